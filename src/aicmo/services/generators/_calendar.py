"""Scheduling: the engagement window, posting slots and local posting times per platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aicmo.domain.channels import CHANNELS, channel
from aicmo.domain.plan_steps import REVIEWABLE_POSTS
from aicmo.domain.schemas.intake import Platform
from aicmo.services.generators.base import GenerationInputs

MAX_POSTS = REVIEWABLE_POSTS  # ready-to-post pieces per engagement: enough for the window, quick to review

# (weekday 0=Monday, local time) in order of preference; B2B mornings, consumer evenings.
PLATFORM_SLOTS: dict[Platform, list[tuple[int, time]]] = {p: list(c.slots) for p, c in CHANNELS.items()}


ALTERNATES = 1  # posting times tried besides the channel's usual ones (the learning loop measures them)


def candidate_times(platform: Platform) -> list[tuple[int, time]]:
    """The posting times a calendar may use for `platform`: the channel's usual slots in order of
    preference, then `ALTERNATES` more (the first usual times two days later) for the learning loop to try."""
    usual = list(PLATFORM_SLOTS[platform])
    shifted = [((weekday + 2) % 7, at) for weekday, at in usual]
    return list(dict.fromkeys([*usual, *[s for s in shifted if s not in usual][:ALTERNATES]]))


def week_start(start: date, week: int) -> date:
    return start + timedelta(days=7 * (week - 1))


def retimed(slot: Slot, weekday: int, at: time, start: date, end: date) -> Slot:
    """The slot moved to another weekday and time of its own week (unchanged if that leaves the window)."""
    first = week_start(start, slot.week)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    if not start <= day <= end:
        return slot
    return Slot(slot.platform, datetime.combine(day, at, tzinfo=slot.when.tzinfo), slot.week, slot.number)


@dataclass(frozen=True)
class Slot:
    platform: Platform
    when: datetime
    week: int  # 1-based week of the engagement
    number: int  # 1-based position among this platform's posts


def engagement_window(inputs: GenerationInputs) -> tuple[date, date]:
    """The brief's start date and duration when it has a start date, else the inputs' window."""
    intake = inputs.intake
    if intake.start_date:
        return intake.start_date, intake.start_date + timedelta(weeks=intake.duration_weeks, days=-1)
    return inputs.window_start, inputs.window_end


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except Exception:  # validated upstream; stay safe for hand-built content
        return ZoneInfo("UTC")


def slots(
    cadence: dict[Platform, int], start: date, end: date, timezone: str, cap: int = MAX_POSTS
) -> list[Slot]:
    """Posting slots across the whole window at each platform's weekly cadence (at most `cap`).

    When the cadence would exceed the cap, each platform keeps evenly spaced slots so the
    calendar still covers the window from the first week to the last.
    """
    tz = zone(timezone)
    days = (end - start).days + 1
    weeks = max(1, -(-days // 7))
    per_platform: dict[Platform, list[tuple[date, time, int]]] = {}
    for platform, per_week in cadence.items():
        prefs = PLATFORM_SLOTS[platform][: max(0, min(per_week, 3))]
        found = []
        for week in range(weeks):
            week_start = start + timedelta(days=7 * week)
            for weekday, at in prefs:
                day = week_start + timedelta(days=(weekday - week_start.weekday()) % 7)
                if day <= end:
                    found.append((day, at, week + 1))
        per_platform[platform] = _spread(sorted(found), channel(platform).max_messages or len(found))
    total = sum(len(v) for v in per_platform.values())
    if total > cap:  # channels with their own small cap (SMS) keep it; the feeds share the rest
        own = {p for p in per_platform if channel(p).max_messages}
        room = max(cap - sum(len(per_platform[p]) for p in own), len(per_platform) - len(own))
        rest = sum(len(v) for p, v in per_platform.items() if p not in own) or 1
        per_platform = {
            p: v if p in own else _spread(v, max(1, round(len(v) * room / rest)))
            for p, v in per_platform.items()
        }
    result = []
    for platform, entries in per_platform.items():
        for number, (day, at, week) in enumerate(entries, start=1):
            result.append(Slot(platform, datetime.combine(day, at, tzinfo=tz), week, number))
    return sorted(result, key=lambda s: (s.when, s.platform.value))


def _spread(entries: list[tuple[date, time, int]], keep: int) -> list[tuple[date, time, int]]:
    if keep >= len(entries):
        return entries
    step = len(entries) / keep
    return [entries[int(i * step)] for i in range(keep)]


def move_into_window(when: datetime, start: date, end: date, timezone: str) -> datetime:
    """Shift a time into the window by whole weeks (keeping weekday and time), else clamp the date."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone(timezone))
    local = when
    if local.date() < start:
        local += timedelta(weeks=-(-(start - local.date()).days // 7))
    elif local.date() > end:
        local -= timedelta(weeks=-(-(local.date() - end).days // 7))
    if start <= local.date() <= end:
        return local
    day = min(max(local.date(), start), end)
    return datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=local.tzinfo)
