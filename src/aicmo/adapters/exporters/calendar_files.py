"""The content calendar as files a scheduler or a calendar app imports: CSV and iCalendar.

CSV is RFC 4180 (UTF-8, CRLF, minimal quoting, formula-like cells neutralised: `write_csv`) with
local date and time plus the IANA zone, the shape bulk schedulers map on import. The .ics is written
by hand (RFC 5545): one VEVENT per post with UTC times (no VTIMEZONE needed), TEXT escaping, and
lines folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from aicmo.adapters.exporters.text import hashtags_text, platform_label
from aicmo.adapters.exporters.view import ReportView
from aicmo.domain.csv_files import write_csv
from aicmo.domain.schemas.execution import Post

CALENDAR_COLUMNS = (
    "date",
    "time",
    "timezone",
    "platform",
    "pillar",
    "format",
    "text",
    "hashtags",
    "cta",
    "post_id",
)
PLATFORM_COLUMNS = (
    "post_id",
    "date",
    "time",
    "timezone",
    "pillar",
    "format",
    "title",
    "text",
    "hashtags",
    "cta",
    "caption",
    "characters",
    "image_prompt",
)
POST_MINUTES = 15


def _posts(view: ReportView) -> list[tuple[Post, datetime]]:
    if not view.execution:
        return []
    local = view.package.tz
    posts = [
        (p, p.scheduled_at.replace(tzinfo=local) if p.scheduled_at.tzinfo is None else p.scheduled_at)
        for p in view.execution.posts
    ]
    return sorted(posts, key=lambda item: (item[1], str(item[0].platform)))


def caption(post: Post) -> str:
    """The text as pasted into the platform: copy, a blank line, then the hashtags."""
    tags = hashtags_text(post.hashtags)
    return f"{post.text}\n\n{tags}" if tags else post.text


def calendar_csv(view: ReportView) -> bytes:
    tz = view.package.tz
    rows = []
    for post, when in _posts(view):
        local = when.astimezone(tz)
        rows.append(
            (
                local.date().isoformat(),
                f"{local:%H:%M}",
                view.package.timezone,
                str(post.platform),
                post.pillar,
                post.format,
                post.text,
                hashtags_text(post.hashtags),
                post.cta,
                post.id,
            )
        )
    return write_csv(CALENDAR_COLUMNS, rows)


def platform_csvs(view: ReportView) -> dict[str, bytes]:
    """One CSV per platform id, every post with its ready-to-paste caption."""
    tz = view.package.tz
    grouped: dict[str, list[Sequence[object]]] = {}
    for post, when in _posts(view):
        local = when.astimezone(tz)
        text = caption(post)
        grouped.setdefault(str(post.platform), []).append(
            (
                post.id,
                local.date().isoformat(),
                f"{local:%H:%M}",
                view.package.timezone,
                post.pillar,
                post.format,
                view.titles.get(post.id, ""),
                post.text,
                hashtags_text(post.hashtags),
                post.cta,
                text,
                len(text),
                post.image_prompt,
            )
        )
    return {platform: write_csv(PLATFORM_COLUMNS, rows) for platform, rows in grouped.items()}


# ---- iCalendar ---------------------------------------------------------------------------------------
def ics_escape(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newlines are escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_fold(line: str, limit: int = 75) -> str:
    """Split `line` into CRLF + space continuations, each physical line at most `limit` octets."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        room = limit if not parts else limit - 1  # continuation lines start with one space
        if size + width > room:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_ics(view: ReportView) -> bytes:
    package = view.package
    scope = hashlib.sha256(f"{package.client_name}\x1f{package.engagement_name}".encode()).hexdigest()[:12]
    stamp = _stamp(
        package.generated_at if package.generated_at.tzinfo else package.generated_at.replace(tzinfo=UTC)
    )
    name = f"{package.client_name} — {package.engagement_name}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//AICMO//Content calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(name)}",
        f"X-WR-TIMEZONE:{package.timezone}",
    ]
    for post, when in _posts(view):
        title = view.titles.get(post.id) or post.pillar
        description = "\n".join(
            part
            for part in (
                post.text,
                hashtags_text(post.hashtags),
                f"Call to action: {post.cta}",
                f"Pillar: {post.pillar} · Format: {post.format} · Post id: {post.id}",
            )
            if part
        )
        categories = ",".join(
            ics_escape(c) for c in (platform_label(post.platform), post.pillar, post.format)
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{''.join(ch if ch.isalnum() or ch in '-_.' else '-' for ch in post.id)}-{scope}@aicmo",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_stamp(when)}",
            f"DURATION:PT{POST_MINUTES}M",
            f"SUMMARY:{ics_escape(f'[{platform_label(post.platform)}] {title}')}",
            f"DESCRIPTION:{ics_escape(description)}",
            f"CATEGORIES:{categories}",
            "TRANSP:TRANSPARENT",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(ics_fold(line) for line in lines) + "\r\n").encode("utf-8")
