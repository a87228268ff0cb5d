"""Campaigns (SPEC §6): a reviewed push of posts with a plan, a review queue, an execution mode and a
checklist. Pure: the rules, the simulation model and the posting steps, no I/O.

An item (one post) is `pending` until a person approves or rejects it (with a reason); a rejected
item goes back as `pending` when it is revised (edited or rewritten), keeping its history. Only an
approved item may be executed: simulated (proof), marked published with its live URL (manual), or
sent through an adapter (live). Every change to an item's text is a new version, and an approval
names the version it approved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit

from aicmo.domain.channels import VIDEO_FORMATS, channel
from aicmo.domain.contacts import email_problem
from aicmo.domain.schemas.intake import Platform


class ItemStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLISHED = "published"


class ExecutionMode(StrEnum):
    PROOF = "proof"  # nothing leaves the machine; reach and engagement are simulated
    MANUAL = "manual"  # the operator posts by hand and records the live URL
    LIVE = "live"  # a publishing adapter sends the approved version (webhook or e-mail)


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


def posting_steps(platform: Platform, has_image: bool, hashtags: int, fmt: str = "") -> list[str]:
    """Numbered steps an operator follows to post one item by hand on `platform`; `fmt` (a Reel,
    a carousel ...) says what is made from the item's visual brief."""
    name = channel(platform).name
    steps = [f"Open {name} on the client's account (check the account name before posting)."]
    if has_image:
        if fmt in VIDEO_FORMATS:
            made = f"Film or edit the {fmt.lower()} from the item's visual brief (or use the approved asset)"
        elif "carousel" in fmt.lower():
            made = "Create the carousel's slides from the item's visual brief (or use the approved asset)"
        else:
            made = "Create the image from the item's image prompt (or use the approved asset)"
        steps.append(f"{made} and upload it.")
    steps.append("Paste the caption below exactly as approved (it already carries the disclaimer).")
    if hashtags:
        steps.append(f"Check the {hashtags} hashtags are at the end of the caption.")
    steps.append("Publish at the scheduled time (or schedule it in the platform's own scheduler).")
    steps.append("Open the live post, copy its address and record it here: the item becomes published.")
    return steps


# ---- live mode: publishing through an adapter -----------------------------------------------------------
# The webhook's headers (adapters/publishing/webhook.py signs; docs/deployment.md tells receivers)
TIMESTAMP_HEADER = "X-AICMO-Timestamp"
HMAC_HEADER = "X-AICMO-Signature"  # sha256=<hex>: HMAC-SHA256 with the deployment's secret
ED25519_HEADER = "X-AICMO-Signature-Ed25519"  # base64: checked with the deployment's public key
SIGNED_CONTENT = f"<{TIMESTAMP_HEADER}>.<raw body>"


class Channel(StrEnum):
    WEBHOOK = "webhook"  # a signed POST to the client's endpoint (or a tool behind it)
    EMAIL = "email"  # a message over SMTP (a post-by-e-mail address, an editor's inbox)


class PublishStatus(StrEnum):
    QUEUED = "queued"  # waiting for a worker (or for its next attempt's time)
    SENDING = "sending"  # a worker holds it under a lease and may be sending it now
    PUBLISHED = "published"  # the provider answered with its own id
    FAILED = "failed"  # a terminal error, or the attempts ran out: visible, retryable by a person
    CANCELLED = "cancelled"  # the approved version changed before it went out: nothing was sent


MAX_DESTINATION = 500
MASK = "…"
_TAIL = 4  # characters of a webhook URL's path and query shown after the mask
_TAIL_FROM = 12  # ... and only when at least this many are hidden behind it


def destination_problem(channel: Channel, value: str) -> str:
    """Why `value` cannot be a campaign's own destination on `channel` ('' when it can; '' is the
    deployment's default): a webhook takes an absolute http(s) URL with a host, e-mail an address."""
    if not value:
        return ""
    if len(value) > MAX_DESTINATION:
        return f"a destination has at most {MAX_DESTINATION} characters"
    if channel is Channel.EMAIL:
        return email_problem(value)
    if any(c.isspace() or not c.isprintable() for c in value):
        return "a webhook URL has no spaces or control characters"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - reading it checks the port is a number in range
    except ValueError:
        return "not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "give the webhook's absolute http:// or https:// address"
    return ""


def _url_parts(value: str) -> tuple[str, str, str] | None:
    """(scheme, host with its port, the rest: path, query and fragment) of a URL, or None."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    rest = value[len(parts.scheme) + 3 + len(parts.netloc) :]
    return parts.scheme, parts.netloc.rpartition("@")[2], rest


def mask_destination(channel: Channel, value: str) -> str:
    """A destination as it may be shown: an e-mail address as is; a webhook URL as its scheme and host
    (never a user or password) then the mask and the last 4 characters of the rest, which often holds
    a secret token (`https://hooks.example.com/…ab12`); a short rest is hidden whole."""
    if not value or channel is Channel.EMAIL:
        return value
    parts = _url_parts(value)
    if parts is None:
        return MASK
    scheme, host, rest = parts
    tail = rest[-_TAIL:] if len(rest) >= _TAIL_FROM else ""
    return f"{scheme}://{host}/{MASK}{tail}"


def scrub_destination(text: str, channel: Channel, value: str) -> str:
    """`text` with the webhook URL `value`, and its secret-bearing rest, replaced by the mask: an error
    message that quotes the URL must not carry its token into a job's log."""
    if not value or channel is Channel.EMAIL:
        return text
    text = text.replace(value, mask_destination(channel, value))
    parts = _url_parts(value)
    rest = parts[2] if parts else value
    return text.replace(rest, MASK) if len(rest.strip("/")) > 1 else text


def idempotency_key(item_id: str, version: int) -> str:
    """The same for every send of one item version (a retry, a send after a crash), new for the next
    version: the receiver recognises a repeat and a revised text is a new post."""
    return f"aicmo-{item_id}-v{version}"


@dataclass(frozen=True)
class Outgoing:
    """What an adapter sends: the approved version of one item, exactly as approved."""

    item_id: str
    version: int
    campaign_id: str
    campaign_name: str
    platform: str
    scheduled_at: str
    text: str
    hashtags: tuple[str, ...]
    cta: str
    image_prompt: str
    caption: str
    idempotency_key: str
    # The campaign's own destination (a webhook URL or an e-mail address), '' for the deployment's
    # default. Where the message goes, not what it says: never in the payload.
    destination: str = field(default="", repr=False)

    def payload(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "version": self.version,
            "campaign_id": self.campaign_id,
            "campaign": self.campaign_name,
            "platform": self.platform,
            "scheduled_at": self.scheduled_at,
            "caption": self.caption,
            "text": self.text,
            "hashtags": list(self.hashtags),
            "cta": self.cta,
            "image_prompt": self.image_prompt,
            "idempotency_key": self.idempotency_key,
        }


@dataclass(frozen=True)
class Delivery:
    """The provider's answer to a successful send: its own id for the post (read from its response,
    never made up here) and, when it says, where the post lives."""

    provider_id: str
    url: str = ""


class PublishFailed(Exception):
    """A send that did not succeed. `terminal`: sending it again cannot help (a 4xx the provider will
    repeat); otherwise it is retried after `retry_after` seconds when the provider said so."""

    def __init__(
        self, message: str, *, terminal: bool, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.terminal = terminal
        self.retry_after = retry_after
        self.status = status


class Publisher(Protocol):
    """A publishing adapter: one attempt per call, bounded by `timeout_s`; the engine retries. It sends
    to the message's own destination, else to `default_destination` (the deployment's; '' for none)."""

    channel: Channel
    default_destination: str

    def publish(self, message: Outgoing, timeout_s: float) -> Delivery: ...


RETRYABLE_4XX = frozenset({408, 425, 429})  # timeout, too early, too many requests


def terminal_status(code: int) -> bool:
    """A 4xx other than timeout / too early / rate limited: the provider refuses this request as it is."""
    return 400 <= code < 500 and code not in RETRYABLE_4XX


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None when absent or
    unreadable (the back-off applies)."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    """How publishing retries: exponential back-off from `base_s`, capped at `cap_s`, never sooner than
    the provider's Retry-After (itself capped at `max_wait_s`); `attempts` sends at most."""

    attempts: int = 5
    base_s: float = 2.0
    cap_s: float = 300.0
    max_wait_s: float = 3_600.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        backoff = min(self.cap_s, self.base_s * (2 ** max(0, attempt - 1)))
        return min(self.max_wait_s, max(backoff, retry_after or 0.0))
