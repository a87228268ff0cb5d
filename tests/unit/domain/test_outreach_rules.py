"""Outreach rules (issue 19): templates refuse to go out half-filled; quiet hours are the
recipient's local hours; every e-mail ends with the unsubscribe link and the postal address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aicmo.domain.outreach import QuietHours, RenderError, compliant_body, render, template_problems


def test_rendering_fails_on_a_missing_variable_and_names_it() -> None:
    with pytest.raises(RenderError) as missing:
        render("Hi {{first_name}}, about {{company}}", {"first_name": "Ana", "company": " "})
    assert missing.value.missing == ["company"]
    with pytest.raises(RenderError, match="no value for city"):
        render("Hi {{first_name}}", {"first_name": "Ana"}, required=["city"])
    assert render("Hi {{ first_name }}!", {"first_name": "Ana"}) == "Hi Ana!"


@pytest.mark.parametrize(
    "value", ["{{company}}", "[insert company]", "{first_name}", "%FIRST_NAME%", "TBD", "{{ oops"]
)
def test_rendering_fails_on_a_leftover_placeholder_even_inside_a_value(value: str) -> None:
    with pytest.raises(RenderError, match="placeholder left"):
        render("Hi {{first_name}}", {"first_name": value})


def test_a_step_template_with_an_unknown_variable_or_a_dead_placeholder_is_refused() -> None:
    assert template_problems("Hi {{first_name}}") == []
    assert "unknown variable {{nickname}}" in template_problems("Hi {{nickname}}")[0]
    assert "never be filled" in template_problems("Dear [Insert name], hi")[0]
    assert "required variable 'city' is not used" in template_problems("Hi {{first_name}}", ["city"])[0]


@pytest.mark.parametrize(
    ("utc_hour", "zone", "quiet"),
    [
        (10, "Europe/London", False),
        (21, "Europe/London", True),
        (10, "Australia/Sydney", True),  # 21:00 in Sydney (summer time)
        (10, "America/New_York", True),  # 05:00
        (14, "America/New_York", False),
    ],
)
def test_quiet_hours_are_the_recipients_local_hours(utc_hour: int, zone: str, quiet: bool) -> None:
    moment = datetime(2027, 1, 11, utc_hour, tzinfo=UTC)
    hours = QuietHours(20, 8)
    assert hours.is_quiet(moment, zone) is quiet
    opening = hours.next_open(moment, zone)
    assert not hours.is_quiet(opening, zone) and opening >= moment
    assert not QuietHours(0, 0).is_quiet(moment, zone)


def test_every_email_body_ends_with_the_unsubscribe_link_and_the_postal_address() -> None:
    body = compliant_body("Hi Ana,\n\nA note.", "https://a.example/u/t0k", "1 Quay Street, Bristol")
    assert body.endswith("Unsubscribe: https://a.example/u/t0k\n1 Quay Street, Bristol\n")
    with pytest.raises(ValueError, match="postal address"):
        compliant_body("Hi", "https://a.example/u/t0k", " ")
