"""Lengths as platforms count them (issue 22): X's weighted characters, SMS segments, plain counts."""

from __future__ import annotations

import pytest

from aicmo.domain.schemas.intake import Platform
from aicmo.domain.text_length import measure, x_length


@pytest.mark.parametrize(
    ("text", "weighted"),
    [
        ("hello", 5),
        ("Café Crème", 10),  # Latin-1 letters weigh 1
        ("Москва", 6),  # Cyrillic weighs 1
        ("“quoted” — dash", 15),  # general punctuation in X's light ranges
        ("…", 2),  # the ellipsis is outside them
        ("€5", 3),
        ("東京", 4),  # CJK weighs 2
        ("😀", 2),
        ("👍🏽", 2),  # an emoji with a skin tone is one emoji
        ("👨‍👩‍👧‍👦", 2),  # a ZWJ family is one emoji
        ("🇬🇧", 2),
        ("https://example.com/a/very/long/path?with=query&and=more", 23),  # every link is 23
        ("see example.com", 27),
        ("a" * 280, 280),
    ],
)
def test_x_counts_weighted_characters(text: str, weighted: int) -> None:
    assert x_length(text) == weighted
    assert measure(text, Platform.X, 280).length == weighted


def test_a_long_link_fits_on_x_when_its_weight_does() -> None:
    text = "Book a consult: https://northwind.com/" + "x" * 300
    assert len(text) > 280
    assert measure(text, Platform.X, 280).fits


def test_emoji_and_cjk_can_overflow_x_where_len_would_not() -> None:
    text = "東" * 141
    assert len(text) <= 280
    assert not measure(text, Platform.X, 280).fits


@pytest.mark.parametrize(
    ("text", "length", "limit", "unit"),
    [
        ("Your appointment is at 10:00", 28, 160, "GSM-7 characters"),
        ("Price: 15€ {today}", 21, 160, "GSM-7 characters"),  # € { } count two
        ("“Smart” quotes — and dashes…", 30, 160, "GSM-7 characters"),  # sent as GSM-7
        ("Zürich Ærø ñ", 12, 160, "GSM-7 characters"),
        ("Łódź 😀", 7, 70, "UTF-16 units (Unicode SMS)"),
        ("Привет", 6, 70, "UTF-16 units (Unicode SMS)"),
    ],
)
def test_sms_counts_its_segment(text: str, length: int, limit: int, unit: str) -> None:
    size = measure(text, Platform.SMS, 160)
    assert (size.length, size.limit, size.unit) == (length, limit, unit)


def test_other_platforms_count_characters() -> None:
    assert measure("東京 😀", Platform.LINKEDIN, 3000).length == 4
