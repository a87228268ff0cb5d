"""Campaigns (SPEC §6): a reviewed push of posts with a plan, a review queue, an execution mode and a
checklist. Pure: the rules, the simulation model and the posting steps, no I/O.

An item (one post) is `pending` until a person approves or rejects it (with a reason); a rejected
item goes back as `pending` when it is revised (edited or rewritten), keeping its history. Only an
approved item may be executed: simulated (proof), marked published with its live URL (manual), or
sent through an adapter (live). Every change to an item's text is a new version, and an approval
names the version it approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from urllib.parse import urlsplit

from aicmo.domain.channels import channel
from aicmo.domain.schemas.intake import Platform


class ItemStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLISHED = "published"


class ExecutionMode(StrEnum):
    PROOF = "proof"  # nothing leaves the machine; reach and engagement are simulated
    MANUAL = "manual"  # the operator posts by hand and records the live URL
    LIVE = "live"  # an adapter publishes (not built yet)


ITEM_MOVES: dict[ItemStatus, frozenset[ItemStatus]] = {
    ItemStatus.PENDING: frozenset({ItemStatus.APPROVED, ItemStatus.REJECTED}),
    ItemStatus.APPROVED: frozenset({ItemStatus.REJECTED, ItemStatus.PUBLISHED}),
    ItemStatus.REJECTED: frozenset({ItemStatus.PENDING}),  # revised: back in the queue
    ItemStatus.PUBLISHED: frozenset(),
}


def item_move_problem(current: ItemStatus, target: ItemStatus) -> str:
    """Why `current` → `target` is refused ("" when it is legal)."""
    if target in ITEM_MOVES[current]:
        return ""
    if current == target:
        return f"the item is already {current}"
    allowed = ", ".join(sorted(ITEM_MOVES[current])) or "nothing (it is published)"
    return f"a {current} item can move to {allowed}, not {target}"


def window_problems(start: date, end: date, window: tuple[date, date] | None) -> list[tuple[str, str]]:
    """(field, message) for campaign dates outside their order or the engagement's window."""
    problems = []
    if end < start:
        problems.append(("end_date", "the end date is before the start date"))
    if window is not None:
        first, last = window
        if start < first or start > last:
            problems.append(("start_date", f"outside the engagement window {first} to {last}"))
        if end > last or end < first:
            problems.append(("end_date", f"outside the engagement window {first} to {last}"))
    return problems


# ---- proof mode: a documented simulation -----------------------------------------------------------
# Organic reach per post as a share of the audience, and engagements per reached person, by platform:
# round figures from published organic benchmarks (2024-2025), the same for every client. They are a
# model, labelled "simulated" wherever shown, never a forecast.
REACH_RATE: dict[Platform, float] = {
    Platform.INSTAGRAM: 0.12,
    Platform.FACEBOOK: 0.05,
    Platform.LINKEDIN: 0.08,
    Platform.X: 0.04,
    Platform.TIKTOK: 0.18,
    Platform.YOUTUBE: 0.10,
    Platform.PINTEREST: 0.06,
    Platform.THREADS: 0.06,
}
ENGAGEMENT_RATE: dict[Platform, float] = {
    Platform.INSTAGRAM: 0.035,
    Platform.FACEBOOK: 0.015,
    Platform.LINKEDIN: 0.025,
    Platform.X: 0.01,
    Platform.TIKTOK: 0.05,
    Platform.YOUTUBE: 0.03,
    Platform.PINTEREST: 0.02,
    Platform.THREADS: 0.02,
}
DEFAULT_AUDIENCE = 2_000  # followers assumed when the campaign names none
FATIGUE = 0.03  # each extra post a week on a platform reaches 3 % fewer people (cadence)


@dataclass(frozen=True)
class Simulated:
    reach: int
    engagements: int
    model: str


def simulate(platform: Platform, audience: int, posts_per_week: int) -> Simulated:
    """Reach = audience × platform reach rate × (1 − fatigue × (posts a week − 1)); engagements = reach ×
    platform engagement rate. Deterministic: the same inputs give the same figures."""
    reach_rate = REACH_RATE.get(platform, 0.05)
    fatigue = max(0.5, 1 - FATIGUE * max(0, posts_per_week - 1))
    reach = round(audience * reach_rate * fatigue)
    engaged = round(reach * ENGAGEMENT_RATE.get(platform, 0.02))
    return Simulated(
        reach,
        engaged,
        f"simulated: {audience:,} followers × {reach_rate:.0%} reach × {fatigue:.2f} cadence factor; "
        f"{ENGAGEMENT_RATE.get(platform, 0.02):.1%} of reached people engage",
    )


# ---- manual mode: posting steps and the live URL ------------------------------------------------------
HOSTS: dict[Platform, tuple[str, ...]] = {
    Platform.INSTAGRAM: ("instagram.com",),
    Platform.FACEBOOK: ("facebook.com", "fb.com", "fb.watch"),
    Platform.LINKEDIN: ("linkedin.com", "lnkd.in"),
    Platform.X: ("x.com", "twitter.com"),
    Platform.TIKTOK: ("tiktok.com",),
    Platform.YOUTUBE: ("youtube.com", "youtu.be"),
    Platform.PINTEREST: ("pinterest.com", "pin.it"),
    Platform.THREADS: ("threads.net", "threads.com"),
    Platform.GOOGLE_BUSINESS: ("google.com", "g.page", "maps.app.goo.gl", "goo.gl"),
}


def url_problem(platform: Platform, url: str) -> str:
    """Why `url` is not a live post on `platform` ("" when it is): https, and the platform's host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "not a URL"
    if parts.scheme != "https" or not parts.hostname:
        return "give the post's https:// address"
    hosts = HOSTS.get(platform)
    host = parts.hostname.lower()
    if hosts and not any(host == h or host.endswith("." + h) for h in hosts):
        return f"a {channel(platform).name} post lives on {' or '.join(hosts)}, not {host}"
    if not parts.path.strip("/"):
        return "give the address of the post itself, not the site's home page"
    return ""


def posting_steps(platform: Platform, has_image: bool, hashtags: int) -> list[str]:
    """Numbered steps an operator follows to post one item by hand on `platform`."""
    name = channel(platform).name
    steps = [f"Open {name} on the client's account (check the account name before posting)."]
    if has_image:
        steps.append("Create the image from the item's image prompt (or the approved asset) and upload it.")
    steps.append("Paste the caption below exactly as approved (it already carries the disclaimer).")
    if hashtags:
        steps.append(f"Check the {hashtags} hashtags are at the end of the caption.")
    steps.append("Publish at the scheduled time (or schedule it in the platform's own scheduler).")
    steps.append("Open the live post, copy its address and record it here: the item becomes published.")
    return steps
