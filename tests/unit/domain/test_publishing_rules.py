"""Live publishing's pure rules: the idempotency key, which HTTP answers are terminal, Retry-After in
both its forms, the back-off that never undercuts it, and the settings that keep an attempt inside
its lease."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pydantic import ValidationError

from aicmo.config import Settings
from aicmo.domain.campaigns import RetryPolicy, idempotency_key, parse_retry_after, terminal_status


def test_the_key_is_stable_per_item_version_and_new_for_the_next() -> None:
    assert idempotency_key("ci_1", 1) == idempotency_key("ci_1", 1)
    assert idempotency_key("ci_1", 2) != idempotency_key("ci_1", 1)
    assert idempotency_key("ci_2", 1) != idempotency_key("ci_1", 1)


@pytest.mark.parametrize(("code", "terminal"), [(400, True), (401, True), (404, True), (422, True),
                                                 (408, False), (425, False), (429, False), (500, False),
                                                 (503, False)])  # fmt: skip
def test_a_4xx_is_terminal_except_timeout_too_early_and_rate_limit(code: int, terminal: bool) -> None:
    assert terminal_status(code) is terminal


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=90), usegmt=True), now) == 0.0
    assert parse_retry_after(None, now) is None and parse_retry_after("soon", now) is None


def test_the_back_off_doubles_is_capped_and_never_undercuts_retry_after() -> None:
    policy = RetryPolicy(attempts=5, base_s=2, cap_s=30, max_wait_s=600)
    assert [policy.delay(n, None) for n in (1, 2, 3, 4, 5, 6)] == [2, 4, 8, 16, 30, 30]
    assert policy.delay(1, 45) == 45  # the provider asked for longer
    assert policy.delay(4, 3) == 16  # the back-off is longer than it asked
    assert policy.delay(1, 86_400) == 600  # an absurd Retry-After is capped


def test_an_attempt_must_fit_twice_in_its_lease() -> None:
    Settings(_env_file=None, publish_timeout_s=10, publish_lease_s=20)
    with pytest.raises(ValidationError, match="PUBLISH_TIMEOUT_S"):
        Settings(_env_file=None, publish_timeout_s=15, publish_lease_s=20)
