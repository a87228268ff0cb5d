"""Labels and formatting shared by every exporter, so the PDF, the deck and the files agree.

Numbers and money are the domain's one formatter (`aicmo.domain.locale`, Babel/CLDR).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from aicmo.domain.channels import CHANNELS
from aicmo.domain.locale import (
    DEFAULT_LOCALE,
    format_compact,
    format_day,
    format_money,
    format_number,
    format_percentage,
)
from aicmo.domain.modules import module_title

PLATFORM_LABELS: dict[str, str] = {p.value: c.name for p, c in CHANNELS.items()}


def platform_label(platform: str) -> str:
    key = str(platform)
    return PLATFORM_LABELS.get(key, key.replace("_", " ").title())


def module_label(module: str) -> str:
    return module_title(module)


def hashtag(tag: str) -> str:
    tag = tag.strip()
    return tag if tag.startswith("#") else f"#{tag}"


def hashtags_text(tags: list[str]) -> str:
    return " ".join(hashtag(t) for t in tags if t.strip())


def long_date(value: date, locale: str = "") -> str:
    """'6 January 2026' by default; in a client's locale when given ('January 6, 2026', '6. Januar 2026')."""
    return format_day(value, locale) if locale else f"{value.day} {value:%B %Y}"


def short_date(value: date) -> str:
    return f"{value.day} {value:%b}"


def period_text(start: date, end: date) -> str:
    if start.year == end.year:
        return f"{start.day} {start:%B} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"


def local_time(value: datetime, tz: ZoneInfo) -> datetime:
    """A post time in the client's zone; a naive time is taken to be in that zone already."""
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """At most `limit` characters, cut at a word boundary where one is near."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - len(ellipsis))]
    space = cut.rfind(" ")
    if space >= len(cut) * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + ellipsis


def number(value: float, locale: str = DEFAULT_LOCALE) -> str:
    return format_number(value, locale)


def compact_number(value: float, locale: str = DEFAULT_LOCALE) -> str:
    return format_compact(value, locale)


def percent(value: float, digits: int = 1, locale: str = DEFAULT_LOCALE) -> str:
    return format_percentage(value, locale, digits)


def money(value: float, currency: str = "", locale: str = DEFAULT_LOCALE) -> str:
    return format_money(value, currency, locale)
