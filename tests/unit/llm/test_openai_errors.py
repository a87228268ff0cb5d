"""The OpenAI-compatible provider's reading of the SDK: error kinds, and completions as responses."""

from __future__ import annotations

import httpx2
import openai
import pytest
from openai.types.chat import ChatCompletion

from aicmo.adapters.llm.openai_compat import _model_response, _openai_failure

REQUEST = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")


def status_error(status: int, code: str | None = None, retry_after: str | None = None) -> Exception:
    headers = {"retry-after": retry_after} if retry_after else {}
    response = httpx2.Response(status, request=REQUEST, headers=headers)
    body = {"message": f"injected {status}", "code": code}
    classes = {
        400: openai.BadRequestError,
        401: openai.AuthenticationError,
        404: openai.NotFoundError,
        429: openai.RateLimitError,
        500: openai.InternalServerError,
    }
    return classes.get(status, openai.APIStatusError)(f"Error code: {status}", response=response, body=body)


@pytest.mark.parametrize(
    ("error", "kind", "retryable"),
    [
        (status_error(429), "rate_limit", True),
        (status_error(429, code="insufficient_quota"), "quota", False),
        (status_error(500), "server_error", True),
        (status_error(503), "server_error", True),
        (status_error(401), "auth", False),
        (status_error(404), "not_found", False),
        (status_error(400), "rejected", False),
        (status_error(418), "http_418", False),
        (openai.APITimeoutError(request=REQUEST), "timeout", True),
        (openai.APIConnectionError(request=REQUEST), "connection", True),
    ],
)
def test_sdk_errors_get_the_failure_kinds_of_the_retry_policy(
    error: BaseException, kind: str, retryable: bool
) -> None:
    failure = _openai_failure(error)

    assert failure is not None and (failure.kind, failure.retryable) == (kind, retryable)
    assert "injected" in failure.summary or kind in ("timeout", "connection")


def test_keeps_the_servers_retry_after() -> None:
    failure = _openai_failure(status_error(429, retry_after="2"))
    assert failure is not None and failure.retry_after == 2.0


def test_other_errors_are_left_to_the_shared_classifier() -> None:
    assert _openai_failure(ValueError("not from the SDK")) is None


def completion(message: dict, finish: str) -> ChatCompletion:
    return ChatCompletion.model_validate(
        {
            "id": "c1",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
        }
    )


def test_a_tool_call_becomes_a_tool_call_part_with_usage_and_finish() -> None:
    call = {"id": "call_1", "type": "function", "function": {"name": "final_result", "arguments": '{"a": 1}'}}
    response = _model_response(completion({"content": None, "tool_calls": [call]}, "tool_calls"))

    (part,) = response.parts
    assert (part.tool_name, part.args) == ("final_result", '{"a": 1}')  # type: ignore[union-attr]
    assert (response.usage.input_tokens, response.usage.output_tokens) == (11, 7)
    assert response.finish_reason == "tool_call"


def test_native_json_content_becomes_text_and_a_cut_answer_says_length() -> None:
    response = _model_response(completion({"content": '{"a": '}, "length"))

    assert [p.content for p in response.parts] == ['{"a": ']  # type: ignore[union-attr]
    assert response.finish_reason == "length"
