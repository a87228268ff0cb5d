"""Labels and formatting shared by every exporter, so the PDF, the deck and the files agree."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PLATFORM_LABELS: dict[str, str] = {
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "x": "X",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "email": "Email",
    "google_business": "Google Business Profile",
    "pinterest": "Pinterest",
    "threads": "Threads",
}

MODULE_LABELS: dict[str, str] = {
    "intake": "Client brief",
    "strategy": "Strategy",
    "creatives": "Creatives",
    "execution": "Execution plan",
    "monitoring": "Monitoring",
    "leadgen": "Lead generation",
    "autonomy": "Generation plan",
    "delivery": "Delivery",
    "learn": "Learnings",
}


def platform_label(platform: str) -> str:
    key = str(platform)
    return PLATFORM_LABELS.get(key, key.replace("_", " ").title())


def module_label(module: str) -> str:
    key = str(module)
    return MODULE_LABELS.get(key, key.replace("_", " ").title())


def hashtag(tag: str) -> str:
    tag = tag.strip()
    return tag if tag.startswith("#") else f"#{tag}"


def hashtags_text(tags: list[str]) -> str:
    return " ".join(hashtag(t) for t in tags if t.strip())


def long_date(value: date) -> str:
    """'6 January 2026' (no locale dependency, no leading zero)."""
    return f"{value.day} {value:%B %Y}"


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


def number(value: float) -> str:
    """12 345 style grouping with a thin space, 1 decimal below 10 when fractional."""
    if abs(value) >= 10 or float(value).is_integer():
        return f"{round(value):,}".replace(",", "\u2009")
    return f"{value:.1f}"


def compact_number(value: float) -> str:
    for threshold, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if abs(value) >= threshold:
            scaled = value / threshold
            return f"{scaled:.1f}{suffix}" if scaled < 100 else f"{scaled:.0f}{suffix}"
    return number(value)


def percent(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f}%"


def money(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
