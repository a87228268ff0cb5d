"""The shared retry pieces: back-off arithmetic and which errors are worth another attempt."""

from __future__ import annotations

import httpx2
import pytest
from pydantic import BaseModel, ValidationError
from pydantic_ai import exceptions as pai

from aicmo.adapters.llm._agent_runner import Prices, RetryPolicy, classify


def test_back_off_doubles_from_the_base_and_stops_at_the_cap() -> None:
    policy = RetryPolicy(max_retries=6, backoff_base_s=0.5, backoff_max_s=4.0, jitter=0.1)

    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert policy.delay(1, rand=1.0) == pytest.approx(0.55)
    assert policy.max_attempts == 7


def test_back_off_honours_retry_after_up_to_the_cap() -> None:
    policy = RetryPolicy(backoff_base_s=0.5, backoff_max_s=10.0, jitter=0.0)

    assert policy.delay(1, retry_after=3.0) == 3.0
    assert policy.delay(1, retry_after=120.0) == 10.0


def test_cost_uses_prices_per_million_tokens() -> None:
    assert Prices(input_per_mtok=2.5, output_per_mtok=10.0).cost(1_000, 500) == pytest.approx(0.0075)


class Shape(BaseModel):
    size: int


def _validation_error(raw: str) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        Shape.model_validate_json(raw)
    return raised.value


def _invalid_answer(cause: BaseException) -> pai.UnexpectedModelBehavior:
    error = pai.UnexpectedModelBehavior("Exceeded maximum output retries (0)")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "kind", "retryable"),
    [
        (pai.ModelRateLimitError("m", "slow down", retry_after=2.0), "rate_limit", True),
        (pai.ModelServerError("m", "oops"), "server_error", True),
        (pai.ModelHTTPError(500, "m"), "http_500", True),
        (pai.ModelHTTPError(418, "m"), "http_418", False),
        (pai.ModelTimeoutError("m", "Request timed out."), "timeout", True),
        (pai.ModelConnectionError("m", "Connection error."), "connection", True),
        (pai.ModelAuthenticationError("m", "bad key"), "auth", False),
        (pai.ModelNotFoundError("m", "no such model"), "not_found", False),
        (pai.ModelQuotaExceededError("m", "out of credit"), "quota", False),
        (pai.ContentFilterError("blocked"), "content_filter", False),
        (_invalid_answer(_validation_error('{"size": ')), "invalid_json", True),
        (_invalid_answer(_validation_error('{"size": "big"}')), "schema_invalid", True),
        (httpx2.ReadTimeout("slow"), "timeout", True),
        (httpx2.ConnectError("refused"), "connection", True),
    ],
)
def test_classifies_errors_into_retryable_kinds(error: BaseException, kind: str, retryable: bool) -> None:
    failure = classify(error)

    assert failure is not None
    assert (failure.kind, failure.retryable) == (kind, retryable)


def test_keeps_the_servers_retry_after() -> None:
    failure = classify(pai.ModelRateLimitError("m", "slow down", retry_after=2.0))
    assert failure is not None and failure.retry_after == 2.0


def test_leaves_programming_errors_alone() -> None:
    assert classify(KeyError("bug")) is None


def test_classifies_a_bare_validation_error_of_a_direct_answer() -> None:
    failure = classify(_validation_error('{"size": "big"}'))

    assert failure is not None and (failure.kind, failure.retryable) == ("schema_invalid", True)
