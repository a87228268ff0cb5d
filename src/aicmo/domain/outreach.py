"""Outreach (SPEC §7): sequence steps, templates that refuse to go out half-filled, and the
compliance rules every message passes: suppression, quiet hours in the recipient's time zone,
an unsubscribe link and the sender's postal address in every e-mail. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Channel(StrEnum):
    EMAIL = "email"  # sent through the mail port (SMTP)
    CALL = "call"  # a task for a person: listed when due, counted against its cap
    LINKEDIN = "linkedin"


class Suppression(StrEnum):
    SUPPRESSED = "SUPPRESSED"  # put on the list by a person (do-not-contact)
    UNSUBSCRIBED = "UNSUBSCRIBED"
    BOUNCED = "BOUNCED"


class EnrolmentStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DONE = "DONE"
    STOPPED = "STOPPED"  # replied, unsubscribed, bounced, suppressed: never resumed
    BLOCKED = "BLOCKED"  # a template could not be filled for this lead: fix the lead or the step


VARIABLES = (
    "first_name",
    "last_name",
    "name",
    "company",
    "title",
    "city",
    "region",
    "email",
    "client_name",
    "sender_name",
)
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# What a half-filled template leaves behind, whatever the syntax its author used.
_LEFTOVER = re.compile(
    r"\{\{.*?\}\}|\{\{|\}\}|\{[A-Za-z_][A-Za-z0-9_ ]*\}|%[A-Z_]{3,}%|\[\s*(?:insert|first ?name|name|company|"
    r"your [a-z ]+)[^\]]*\]|\bTBD\b|lorem ipsum",
    re.IGNORECASE,
)


class RenderError(ValueError):
    """A template that cannot go out: `missing` variables without a value, `leftover` placeholders."""

    def __init__(self, missing: Iterable[str] = (), leftover: Iterable[str] = ()) -> None:
        self.missing = sorted(set(missing))
        self.leftover = sorted(set(leftover))
        parts = []
        if self.missing:
            parts.append("no value for " + ", ".join(self.missing))
        if self.leftover:
            parts.append("placeholder left in the text: " + ", ".join(self.leftover))
        super().__init__("; ".join(parts))


def placeholders(template: str) -> list[str]:
    """The variables a template uses, in order of first use."""
    return list(dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(template)))


def template_problems(template: str, required: Iterable[str] = ()) -> list[str]:
    """Why a step's template is not usable at all (unknown variables; declared ones unused)."""
    used = placeholders(template)
    problems = [
        f"unknown variable {{{{{name}}}}} (use {', '.join(VARIABLES)})"
        for name in used
        if name not in VARIABLES
    ]
    problems += [
        f"required variable {name!r} is not used in the template" for name in required if name not in used
    ]
    stripped = _PLACEHOLDER.sub("x", template)
    problems += [
        f"placeholder that will never be filled: {m.group(0)!r}" for m in _LEFTOVER.finditer(stripped)
    ]
    return problems


def render(template: str, values: Mapping[str, str], required: Iterable[str] = ()) -> str:
    """Fill `{{variable}}`s; RenderError when a used or required variable has no value, or when
    anything that looks like a placeholder is left."""
    used = placeholders(template)
    missing = [name for name in dict.fromkeys([*used, *required]) if not str(values.get(name) or "").strip()]
    if missing:
        raise RenderError(missing=missing)
    text = _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]).strip(), template)
    leftover = [m.group(0) for m in _LEFTOVER.finditer(text)]
    if leftover:
        raise RenderError(leftover=leftover)
    return text


def footer(unsubscribe_url: str, postal_address: str) -> str:
    """The lines every outreach e-mail ends with (CAN-SPAM, PECR, CASL)."""
    return f"\n\n--\nUnsubscribe: {unsubscribe_url}\n{postal_address}\n"


def compliant_body(text: str, unsubscribe_url: str, postal_address: str) -> str:
    if not unsubscribe_url or not postal_address.strip():
        raise ValueError("every outreach e-mail needs an unsubscribe link and a postal address")
    return text.rstrip() + footer(unsubscribe_url, postal_address.strip())


@dataclass(frozen=True)
class QuietHours:
    """Hours (local to the recipient) when nothing is sent: start 20, end 8 is 20:00–08:00.
    start == end means never quiet."""

    start: int = 20
    end: int = 8

    def is_quiet(self, moment: datetime, zone: str) -> bool:
        hour = moment.astimezone(ZoneInfo(zone or "UTC")).hour
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end

    def next_open(self, moment: datetime, zone: str) -> datetime:
        """The first moment at or after `moment` outside quiet hours (an aware datetime)."""
        if not self.is_quiet(moment, zone):
            return moment
        local = moment.astimezone(ZoneInfo(zone or "UTC"))
        opening = datetime.combine(local.date(), time(self.end), tzinfo=local.tzinfo)
        if opening <= local:
            opening = datetime.combine(local.date() + timedelta(days=1), time(self.end), tzinfo=local.tzinfo)
        return opening.astimezone(moment.tzinfo)


def lead_values(lead: Mapping[str, object], client_name: str = "", sender_name: str = "") -> dict[str, str]:
    values = {name: str(lead.get(name) or "").strip() for name in VARIABLES}
    values["client_name"] = client_name.strip()
    values["sender_name"] = sender_name.strip()
    return values
