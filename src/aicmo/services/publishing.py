"""Live-mode publishing (SPEC §6): approved item versions go out through a publishing adapter as
durable jobs on the task engine.

- `enqueue` makes one publish job per approved item version (the idempotency key is stable per
  version) and hands the due ones to the engine; nothing is queued without an approval of that
  exact version, and a job whose item changed since is cancelled before anything is sent.
- `run_job` (called by the engine's step for a `pj_` job) claims the job under a lease, sends ONE
  attempt outside any transaction with a timeout below the lease (an attempt in flight is never
  taken over and sent again by another worker), then records the provider's id, or the error:
  a terminal error or the last attempt fails the job (visible, retryable by a person); any other
  is queued again after the back-off (never sooner than the provider's Retry-After).
- `dispatchable` (the worker's sweeper) starts due jobs and takes back those whose worker died:
  the item is sent again with the same idempotency key, so the receiver can recognise the repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aicmo.domain.campaigns import (
    Channel,
    Delivery,
    ExecutionMode,
    ItemStatus,
    Outgoing,
    Publisher,
    PublishFailed,
    PublishStatus,
    RetryPolicy,
    idempotency_key,
    scrub_destination,
)
from aicmo.domain.errors import Conflict, Invalid, NotFound
from aicmo.domain.quality import render_caption
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.campaigns import PublishJobPublic, PublishRequest, WebhookSigningKey
from aicmo.services import audit
from aicmo.services.access import require_write
from aicmo.services.campaigns import learn, load_campaign
from aicmo.services.context import new_id
from aicmo.services.unit_of_work import UnitOfWork, UowFactory, retry_conflicts

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import CampaignItemRow, CampaignRow, PublishJobRow

S = PublishStatus
JOB_PREFIX = "pj_"
REQUEUE_AFTER_S = 15.0  # a job handed out this long ago and still queued is handed out again
Dispatch = list[tuple[str, int]]
SETUP = {
    Channel.WEBHOOK: "AICMO_PUBLISH_WEBHOOK_URL and AICMO_PUBLISH_WEBHOOK_SECRET",
    Channel.EMAIL: "AICMO_SMTP_HOST, AICMO_MAIL_FROM and AICMO_PUBLISH_EMAIL_TO",
}
# What a campaign with its own destination still needs from the deployment (the credential, the server).
SETUP_OWN = {
    Channel.WEBHOOK: "AICMO_PUBLISH_WEBHOOK_SECRET",
    Channel.EMAIL: "AICMO_SMTP_HOST and AICMO_MAIL_FROM",
}


@dataclass
class Publishing:
    """What running publish jobs needs, wired in bootstrap: the adapters by channel and the policy."""

    publishers: dict[Channel, Publisher] = field(default_factory=dict)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout_s: float = 10.0
    lease_s: float = 60.0
    webhook_public_key: str = ""  # what receivers check the webhook's Ed25519 signature with

    def __post_init__(self) -> None:
        if self.timeout_s * 2 > self.lease_s:
            raise ValueError("a publish attempt's timeout must stay below half its lease")


def webhook_signing_key(publishing: Publishing) -> WebhookSigningKey:
    """The public key a client's receiver checks posts with (not a secret: any signed-in caller may
    read it); a 404 naming the setting while webhook publishing is not configured."""
    if not publishing.webhook_public_key:
        raise NotFound(
            f"webhook publishing is not configured on this deployment: set {SETUP_OWN[Channel.WEBHOOK]}"
        )
    return WebhookSigningKey(public_key=publishing.webhook_public_key)


def is_publish_job(job_id: str) -> bool:
    return job_id.startswith(JOB_PREFIX)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def job_public(row: PublishJobRow) -> PublishJobPublic:
    return PublishJobPublic(
        id=row.id,
        item_id=row.item_id,
        campaign_id=row.campaign_id,
        version=row.version,
        channel=Channel(row.channel),
        idempotency_key=row.idempotency_key,
        status=PublishStatus(row.status),
        attempts=row.attempts,
        not_before=row.not_before,
        provider_id=row.provider_id,
        provider_url=row.provider_url,
        error=row.error,
        log=list(row.log),
        updated_at=row.updated_at,
    )


def list_jobs(uow: UnitOfWork, principal: Principal, campaign_id: str) -> list[PublishJobPublic]:
    campaign = load_campaign(uow, principal, campaign_id)
    return [job_public(j) for j in uow.campaigns.publish_jobs(campaign.id)]


def _mark_queued(jobs: list[PublishJobRow], now: datetime) -> Dispatch:
    for job in jobs:
        job.queued_at = now
    return [(j.id, j.run_no) for j in jobs]


def enqueue(
    uow: UnitOfWork, principal: Principal, campaign_id: str, data: PublishRequest
) -> tuple[list[PublishJobPublic], Dispatch]:
    """One publish job per approved item version named (all approved items by default); an item
    already queued, sending or published at that version keeps its job. Returns the campaign's jobs
    touched and the ones to start now."""
    require_write(principal)
    campaign = load_campaign(uow, principal, campaign_id)
    if campaign.mode != ExecutionMode.LIVE.value:
        raise Conflict(
            f"the campaign runs in {campaign.mode} mode, not live",
            [{"field": "mode", "message": campaign.mode}],
        )
    items = {i.id: i for i in uow.campaigns.items(campaign.id)}
    if data.item_ids is None:
        chosen = [i for i in items.values() if i.status == ItemStatus.APPROVED.value]
    else:
        unknown = [i for i in data.item_ids if i not in items]
        if unknown:
            raise Invalid(
                "unknown items", [{"field": "item_ids", "message": f"not in this campaign: {unknown[0]}"}]
            )
        chosen = [items[i] for i in dict.fromkeys(data.item_ids)]
    unapproved = [
        i for i in chosen if i.status != ItemStatus.APPROVED.value or i.approved_version != i.version
    ]
    if unapproved:
        first = unapproved[0]
        raise Conflict(
            f"item {first.id} is not approved at its current version {first.version}: nothing was queued",
            [{"field": "item_ids", "message": f"{first.id} is {first.status}"}],
        )
    if not chosen:
        raise Conflict(
            "no approved items to publish", [{"field": "item_ids", "message": "approve items first"}]
        )
    now = _now()
    touched: list[PublishJobRow] = []
    for item in chosen:
        job = uow.campaigns.publish_job_of(item.id, item.version)
        if job is None:
            job = uow.campaigns.create_publish_job(
                id=new_id("pj"),
                item_id=item.id,
                campaign_id=campaign.id,
                version=item.version,
                channel=campaign.channel,
                idempotency_key=idempotency_key(item.id, item.version),
                status=S.QUEUED.value,
                run_no=1,
                attempts=0,
                not_before=max(now, _aware(item.scheduled_at)) if data.at_schedule else now,
                worker_id="",
                claim_token="",
                provider_id="",
                provider_url="",
                error="",
                log=[],
                created_by=principal.actor,
            )
        elif job.status in {S.FAILED.value, S.CANCELLED.value}:
            _requeue(job, now, f"queued again by {principal.actor}")
        touched.append(job)
    due = [j for j in touched if j.status == S.QUEUED.value and _aware(j.not_before) <= now]
    dispatch = _mark_queued(due, now)
    audit.record(
        uow,
        principal,
        "campaign.publish",
        client_id=campaign.client_id,
        engagement_id=campaign.engagement_id,
        data={"campaign_id": campaign.id, "items": len(touched), "channel": campaign.channel},
    )
    uow.commit()
    return [job_public(j) for j in touched], dispatch


def retry_job(uow: UnitOfWork, principal: Principal, job_id: str) -> tuple[PublishJobPublic, Dispatch]:
    """A person sends a failed job again (same item version, same idempotency key)."""
    require_write(principal)
    job = uow.campaigns.publish_job(job_id)
    if job is None:
        raise NotFound(f"publish job {job_id} not found")
    load_campaign(uow, principal, job.campaign_id)
    if job.status != S.FAILED.value:
        raise Conflict(
            f"only a failed publish job can be retried (this one is {job.status})",
            [{"field": "status", "message": job.status}],
        )
    item = uow.campaigns.item(job.item_id)
    if item is None or item.approved_version != job.version or item.version != job.version:
        raise Conflict(
            "the item changed since this version was approved: approve it again and publish",
            [{"field": "version", "message": f"job version {job.version}"}],
        )
    now = _now()
    _requeue(job, now, f"retried by {principal.actor}")
    dispatch = _mark_queued([job], now)
    uow.commit()
    return job_public(job), dispatch


def _requeue(job: PublishJobRow, now: datetime, why: str) -> None:
    job.status = S.QUEUED.value
    job.run_no += 1
    job.not_before = now
    job.queued_at = None
    job.worker_id = job.claim_token = ""
    job.lease_expires_at = None
    job.attempts = 0
    job.log = [*job.log, {"at": now.isoformat(), "event": "requeued", "detail": why}]


def dispatchable(uow: UnitOfWork, *, now: datetime | None = None) -> Dispatch:
    """Due jobs to start, and jobs whose worker died holding them (their lease lapsed): those are
    queued again under the next run number and sent again with the same idempotency key."""
    now = now or _now()
    if not uow.campaigns.publish_jobs_due(now, REQUEUE_AFTER_S, limit=1, lock=False):
        return []  # the usual sweep: a read, no write lock taken
    uow.lock_for_write()
    jobs = uow.campaigns.publish_jobs_due(now, REQUEUE_AFTER_S)
    if not jobs:
        return []
    for job in jobs:
        if job.status == S.QUEUED.value and job.queued_at is not None:
            # handed out long ago and never started: its workflow may sit with a dead worker, where a
            # start under the same id would be a no-op; the next run number gives it a new one (a
            # second workflow is harmless: the claim lets one send it)
            job.run_no += 1
        if job.status == S.SENDING.value:
            job.status = S.QUEUED.value
            job.run_no += 1
            job.worker_id = job.claim_token = ""
            job.lease_expires_at = None
            job.log = [*job.log, {"at": now.isoformat(), "event": "lease lapsed", "detail": "worker gone"}]
    dispatch = _mark_queued(jobs, now)
    uow.commit()
    return dispatch


# ---- running one job (the engine's step) ----------------------------------------------------------
@dataclass(frozen=True)
class _Claimed:
    token: str
    channel: Channel
    message: Outgoing
    attempt: int


def run_job(uow_factory: UowFactory, publishing: Publishing, job_id: str, worker_id: str) -> dict[str, Any]:
    """Claim, send one attempt, record what happened. Returns the engine's outcome record."""
    with uow_factory() as uow:
        claimed = _claim(uow, publishing, job_id, worker_id)
    if isinstance(claimed, str):
        return {"result": claimed, "dispatch": [], "detail": ""}
    publisher = publishing.publishers.get(claimed.channel)
    result = _send(publisher, claimed, publishing.timeout_s)
    # Recording retries on its own after a lost write race: the step failing here would make the
    # engine run it again and send the item again.
    outcome = retry_conflicts(
        uow_factory, lambda uow: _record(uow, publishing, job_id, claimed, result), attempts=10
    )
    return {"result": outcome, "dispatch": [], "detail": ""}


def _send(publisher: Publisher | None, claimed: _Claimed, timeout_s: float) -> Delivery | PublishFailed:
    """One attempt through the channel's adapter, to the campaign's destination or the deployment's.
    No destination at all is a terminal failure naming the settings, never a made-up success. An
    error never carries a webhook URL whole: it may hold a token and goes into the job's log."""
    message, channel = claimed.message, claimed.channel
    if publisher is None or not (message.destination or publisher.default_destination):
        need = SETUP_OWN[channel] if message.destination else SETUP[channel]
        return PublishFailed(f"no {channel} publisher is configured (set {need})", terminal=True)
    try:
        return publisher.publish(message, timeout_s)
    except PublishFailed as exc:
        failure = exc
    except Exception as exc:  # an adapter bug or a network surprise: retryable, recorded
        failure = PublishFailed(f"{type(exc).__name__}: {exc}"[:500], terminal=False)
    return _scrubbed(failure, channel, (message.destination, publisher.default_destination))


def _scrubbed(failure: PublishFailed, channel: Channel, destinations: tuple[str, ...]) -> PublishFailed:
    """The failure with each destination URL in its message masked (its other fields kept)."""
    text = str(failure)
    for destination in destinations:
        text = scrub_destination(text, channel, destination)
    if text == str(failure):
        return failure
    return PublishFailed(
        text, terminal=failure.terminal, retry_after=failure.retry_after, status=failure.status
    )


def _claim(uow: UnitOfWork, publishing: Publishing, job_id: str, worker_id: str) -> _Claimed | str:
    uow.lock_for_write()
    job = uow.campaigns.publish_job(job_id, lock=True)
    if job is None:
        return "not-runnable"
    now = _now()
    mine = job.status == S.SENDING.value and job.worker_id == worker_id  # resumed after a restart
    orphaned = (
        job.status == S.SENDING.value
        and job.lease_expires_at is not None
        and _aware(job.lease_expires_at) < now
    )
    queued = job.status == S.QUEUED.value and _aware(job.not_before) <= now
    if not (queued or mine or orphaned):
        return "not-runnable"
    item = uow.campaigns.item(job.item_id)
    campaign = uow.campaigns.get(job.campaign_id)
    assert campaign is not None
    if (
        item is None
        or item.version != job.version
        or item.approved_version != job.version
        or item.status not in {ItemStatus.APPROVED.value, ItemStatus.PUBLISHED.value}
    ):
        job.status = S.CANCELLED.value
        job.error = "the item changed or lost its approval before it was sent: nothing was sent"
        job.log = [*job.log, {"at": now.isoformat(), "event": "cancelled", "detail": job.error}]
        uow.commit()
        return "cancelled"
    token = new_id("claim")
    job.status = S.SENDING.value
    job.worker_id = worker_id
    job.claim_token = token
    job.lease_expires_at = now + timedelta(seconds=publishing.lease_s)
    job.attempts += 1
    job.log = [
        *job.log,
        {"at": now.isoformat(), "event": "sending", "attempt": job.attempts, "worker": worker_id},
    ]
    uow.commit()
    return _Claimed(token, Channel(job.channel), outgoing(item, campaign, job.idempotency_key), job.attempts)


def outgoing(item: CampaignItemRow, campaign: CampaignRow, key: str) -> Outgoing:
    return Outgoing(
        item_id=item.id,
        version=item.version,
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        platform=item.platform,
        scheduled_at=_aware(item.scheduled_at).isoformat(),
        text=item.text,
        hashtags=tuple(item.hashtags),
        cta=item.cta,
        image_prompt=item.image_prompt,
        caption=render_caption(item.text, item.hashtags),
        idempotency_key=key,
        destination=campaign.destination,
    )


def _record(
    uow: UnitOfWork, publishing: Publishing, job_id: str, claimed: _Claimed, result: Delivery | PublishFailed
) -> str:
    uow.lock_for_write()
    job = uow.campaigns.publish_job(job_id, lock=True)
    if job is None or job.status != S.SENDING.value or job.claim_token != claimed.token:
        return "lost"  # another worker took it over after this one's lease lapsed
    now = _now()
    job.lease_expires_at = None
    job.claim_token = ""
    if isinstance(result, Delivery):
        job.status = S.PUBLISHED.value
        job.provider_id, job.provider_url, job.error = result.provider_id, result.url, ""
        job.log = [*job.log, {"at": now.isoformat(), "event": "published", "provider_id": result.provider_id}]
        _item_published(uow, job, result, now)
        uow.commit()
        return "published"
    job.error = str(result)[:2_000]
    if result.terminal or claimed.attempt >= publishing.retry.attempts:
        job.status = S.FAILED.value
        why = "terminal" if result.terminal else f"gave up after {claimed.attempt} attempts"
        job.log = [*job.log, {"at": now.isoformat(), "event": "failed", "detail": f"{why}: {job.error}"}]
        campaign = uow.campaigns.get(job.campaign_id)
        audit.record(
            uow,
            "system:publisher",
            "campaign.publish_failed",
            client_id=campaign.client_id if campaign else None,
            engagement_id=campaign.engagement_id if campaign else None,
            comment=f"{job.item_id} v{job.version}: {job.error[:200]}",
        )
        uow.commit()
        return "failed"
    delay = publishing.retry.delay(claimed.attempt, result.retry_after)
    job.status = S.QUEUED.value
    job.run_no += 1
    job.queued_at = None
    job.worker_id = ""
    job.not_before = now + timedelta(seconds=delay)
    job.log = [
        *job.log,
        {"at": now.isoformat(), "event": "retry", "detail": job.error[:300], "after_s": round(delay, 3)},
    ]
    uow.commit()
    return "retry"


def _item_published(uow: UnitOfWork, job: PublishJobRow, delivery: Delivery, now: datetime) -> None:
    """The item becomes published (when it still stands at the version sent), with the provider's id."""
    item = uow.campaigns.item(job.item_id)
    campaign = uow.campaigns.get(job.campaign_id, lock=True)  # completion: one finisher at a time
    if item is None or campaign is None:
        return
    entry = {
        "at": now.isoformat(),
        "by": "system:publisher",
        "action": ItemStatus.PUBLISHED.value,
        "version": job.version,
        "channel": job.channel,
        "provider_id": delivery.provider_id,
    }
    if item.version == job.version and item.status == ItemStatus.APPROVED.value:
        item.status = ItemStatus.PUBLISHED.value
        item.published_url = delivery.url
        item.history = [*item.history, entry]
        learn(
            uow,
            "system:publisher",
            "publication",
            campaign,
            item,
            data={
                "mode": "live",
                "channel": job.channel,
                "post_id": delivery.provider_id,
                "url": delivery.url,
                "published_at": now.isoformat(),
            },
        )
        items = uow.campaigns.items(campaign.id)
        completed = all(
            i.status in {ItemStatus.PUBLISHED.value, ItemStatus.REJECTED.value} for i in items
        ) and any(i.status == ItemStatus.PUBLISHED.value for i in items)
        if completed != campaign.completed:
            campaign.completed = completed
