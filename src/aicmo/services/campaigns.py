"""Campaign use cases (SPEC §6): create, generate items, review queue, execute (proof, manual), checklist.

Items are written by the execution plan's own writer from the approved strategy and creatives (the
same pillars, copy rules, learned mix and repairs) and checked by the same quality gates; an item with
an error finding cannot be approved. Every decision names the item version it was made on.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aicmo.domain.artifacts import Module
from aicmo.domain.campaigns import (
    Channel,
    ExecutionMode,
    ItemStatus,
    item_move_problem,
    mask_destination,
    posting_steps,
    simulate,
    url_problem,
    window_problems,
)
from aicmo.domain.channels import channel, posting_platforms
from aicmo.domain.errors import Conflict, Invalid, InvalidTransition, NotFound
from aicmo.domain.quality import PLATFORM_LIMITS, check_posts, render_caption
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.campaigns import (
    BulkApproval,
    CampaignCreate,
    CampaignItemPublic,
    CampaignPublic,
    CampaignUpdate,
    Checklist,
    ChecklistLine,
    ItemDecision,
    ItemFinding,
    ItemPublished,
    ItemRevision,
    checked_destination,
)
from aicmo.domain.schemas.execution import Post
from aicmo.domain.schemas.intake import Intake, Platform
from aicmo.domain.text_length import measure
from aicmo.services import audit, learning
from aicmo.services.access import require_write
from aicmo.services.artifacts import require_gates
from aicmo.services.context import new_id
from aicmo.services.engagements import load_engagement
from aicmo.services.generation import load_inputs
from aicmo.services.generators.execution import campaign_post_again, campaign_posts
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import CampaignItemRow, CampaignRow

DEFAULT_CADENCE = 2


# ---- reading ---------------------------------------------------------------------------------------
def load_campaign(uow: UnitOfWork, principal: Principal, campaign_id: str) -> CampaignRow:
    row = uow.campaigns.get(campaign_id)
    if row is None or not principal.can_read_client(row.client_id):
        raise NotFound(f"campaign {campaign_id} not found")
    return row


def _item(uow: UnitOfWork, principal: Principal, item_id: str) -> tuple[CampaignItemRow, CampaignRow]:
    item = uow.campaigns.item(item_id)
    if item is None:
        raise NotFound(f"campaign item {item_id} not found")
    return item, load_campaign(uow, principal, item.campaign_id)


def to_public(uow: UnitOfWork, row: CampaignRow) -> CampaignPublic:
    counts = Counter(i.status for i in uow.campaigns.items(row.id))
    return CampaignPublic(
        id=row.id,
        engagement_id=row.engagement_id,
        client_id=row.client_id,
        name=row.name,
        objective=row.objective,
        platforms=[Platform(p) for p in row.platforms],
        cadence={Platform(p): int(n) for p, n in row.cadence.items()},
        start_date=row.start_date,
        end_date=row.end_date,
        mode=ExecutionMode(row.mode),
        channel=Channel(row.channel),
        destination=mask_destination(Channel(row.channel), row.destination),
        own_destination=bool(row.destination),
        audience=row.audience,
        completed=row.completed,
        counts=dict(counts),
        version=row.row_version,
        created_at=row.created_at,
    )


def _intake(uow: UnitOfWork, engagement_id: str) -> Intake | None:
    row = uow.artifacts.by_engagement(engagement_id).get(Module.INTAKE.value)
    return Intake.model_validate(row.content) if row is not None else None


def _as_post(item: CampaignItemRow) -> Post:
    return Post(
        id=item.id,
        platform=Platform(item.platform),
        scheduled_at=item.scheduled_at,
        text=item.text,
        hashtags=list(item.hashtags),
        pillar=item.pillar,
        format=item.format,
        cta=item.cta,
        image_prompt=item.image_prompt,
    )


def item_public(item: CampaignItemRow, campaign: CampaignRow, intake: Intake | None) -> CampaignItemPublic:
    platform = Platform(item.platform)
    size = measure(render_caption(item.text, item.hashtags), platform, PLATFORM_LIMITS[platform])
    findings = check_posts([_as_post(item)], intake, campaign.start_date, campaign.end_date) if intake else []
    return CampaignItemPublic(
        id=item.id,
        campaign_id=item.campaign_id,
        platform=platform,
        scheduled_at=item.scheduled_at,
        pillar=item.pillar,
        format=item.format,
        text=item.text,
        hashtags=list(item.hashtags),
        cta=item.cta,
        image_prompt=item.image_prompt,
        status=ItemStatus(item.status),
        version=item.version,
        approved_version=item.approved_version,
        reason=item.reason,
        length=size.length,
        limit=size.limit,
        findings=[ItemFinding(code=f.code, message=f.message, severity=f.severity) for f in findings],
        published_url=item.published_url,
        simulated=dict(item.simulated),
        history=list(item.history),
        posting_steps=posting_steps(platform, bool(item.image_prompt), len(item.hashtags), item.format)
        if campaign.mode == ExecutionMode.MANUAL.value
        else [],
    )


def get_campaign(uow: UnitOfWork, principal: Principal, campaign_id: str) -> CampaignPublic:
    return to_public(uow, load_campaign(uow, principal, campaign_id))


def list_campaigns(uow: UnitOfWork, principal: Principal, engagement_id: str) -> list[CampaignPublic]:
    engagement = load_engagement(uow, principal, engagement_id)
    return [to_public(uow, row) for row in uow.campaigns.of_engagement(engagement.id)]


def list_items(uow: UnitOfWork, principal: Principal, campaign_id: str) -> list[CampaignItemPublic]:
    campaign = load_campaign(uow, principal, campaign_id)
    intake = _intake(uow, campaign.engagement_id)
    return [item_public(i, campaign, intake) for i in uow.campaigns.items(campaign.id)]


# ---- create and generate ----------------------------------------------------------------------------
def create_campaign(uow: UnitOfWork, principal: Principal, data: CampaignCreate) -> CampaignPublic:
    require_write(principal)
    engagement = load_engagement(uow, principal, data.engagement_id)
    intake = _intake(uow, engagement.id)
    window = None
    if intake is not None and intake.start_date is not None:
        window = (
            intake.start_date,
            intake.start_date.fromordinal(intake.start_date.toordinal() + 7 * intake.duration_weeks - 1),
        )
    problems = window_problems(data.start_date, data.end_date, window)
    unposted = [p for p in data.platforms if p not in posting_platforms(list(data.platforms))]
    problems += [("platforms", f"{channel(p).name} takes no scheduled posts") for p in unposted]
    if problems:
        raise Invalid(
            f"invalid campaign: {', '.join(dict.fromkeys(f for f, _ in problems))}",
            [{"field": f, "message": m} for f, m in problems],
        )
    row = uow.campaigns.create(
        id=new_id("cp"),
        engagement_id=engagement.id,
        client_id=engagement.client_id,
        name=data.name,
        objective=data.objective,
        platforms=[p.value for p in data.platforms],
        cadence={p.value: data.cadence.get(p, DEFAULT_CADENCE) for p in data.platforms},
        start_date=data.start_date,
        end_date=data.end_date,
        mode=data.mode.value,
        channel=data.channel.value,
        destination=data.destination,
        audience=data.audience,
    )
    audit.record(
        uow,
        principal,
        "campaign.create",
        client_id=row.client_id,
        engagement_id=row.engagement_id,
        comment=row.name,
    )
    uow.commit()
    return to_public(uow, row)


def update_campaign(
    uow: UnitOfWork, principal: Principal, campaign_id: str, data: CampaignUpdate
) -> CampaignPublic:
    """Rename the campaign or change its destination (checked against its channel). A post already
    being sent keeps the destination it was sent to; the next ones go to the new one."""
    require_write(principal)
    campaign = load_campaign(uow, principal, campaign_id)
    if campaign.row_version != data.expected_version:
        raise Conflict(
            f"campaign {campaign.id} is at version {campaign.row_version}, not {data.expected_version}: "
            "reload and look again",
            [{"field": "expected_version", "message": f"current version is {campaign.row_version}"}],
        )
    changed = []
    if data.name is not None and data.name != campaign.name:
        campaign.name = data.name
        changed.append("name")
    if data.destination is not None:
        try:
            destination = checked_destination(Channel(campaign.channel), data.destination)
        except ValueError as exc:
            raise Invalid(str(exc), [{"field": "destination", "message": str(exc)}]) from None
        if destination != campaign.destination:
            campaign.destination = destination
            changed.append("destination")  # never the URL itself: it may hold a token
    if changed:
        audit.record(
            uow,
            principal,
            "campaign.update",
            client_id=campaign.client_id,
            engagement_id=campaign.engagement_id,
            comment=f"{campaign.name}: {' and '.join(changed)} changed",
        )
        uow.commit()
    return to_public(uow, campaign)


def generate_items(uow: UnitOfWork, principal: Principal, campaign_id: str) -> list[CampaignItemPublic]:
    """Write the campaign's posts from the approved strategy and creatives (gated like the execution
    plan); refused once items exist, so reviewed work is never replaced."""
    require_write(principal)
    campaign = load_campaign(uow, principal, campaign_id)
    if uow.campaigns.items(campaign.id):
        raise Conflict(
            "the campaign already has items: revise or reject them one by one",
            [{"field": "campaign_id", "message": "items exist"}],
        )
    require_gates(uow, campaign.engagement_id, Module.EXECUTION, doing="generate campaign items")
    inputs = load_inputs(uow, campaign.engagement_id, Module.EXECUTION).inputs
    cadence = {Platform(p): int(n) for p, n in campaign.cadence.items()}
    posts = campaign_posts(inputs, cadence, campaign.start_date, campaign.end_date)
    now = datetime.now(UTC).isoformat()
    for post in posts:
        uow.campaigns.create_item(
            id=new_id("ci"),
            campaign_id=campaign.id,
            platform=post.platform.value,
            scheduled_at=post.scheduled_at,
            pillar=post.pillar,
            format=post.format,
            text=post.text,
            hashtags=list(post.hashtags),
            cta=post.cta,
            image_prompt=post.image_prompt,
            history=[{"at": now, "by": principal.actor, "action": "generated", "version": 1}],
        )
    audit.record(
        uow,
        principal,
        "campaign.generate",
        client_id=campaign.client_id,
        engagement_id=campaign.engagement_id,
        data={"campaign_id": campaign.id, "items": len(posts)},
    )
    uow.commit()
    return list_items(uow, principal, campaign.id)


# ---- review queue -----------------------------------------------------------------------------------
def _check_version(item: CampaignItemRow, expected: int) -> None:
    if item.version != expected:
        raise Conflict(
            f"item {item.id} is at version {item.version}, not {expected}: reload and look again",
            [{"field": "expected_version", "message": f"current version is {item.version}"}],
        )


def _hold_publishing(uow: UnitOfWork, item: CampaignItemRow) -> None:
    """The approved version is about to change: a publish job still waiting for it is cancelled
    (nothing was sent); one being sent right now refuses the change until it is done."""
    job = uow.campaigns.publish_job_of(item.id, item.version)
    if job is None:
        return
    if job.status == "sending":
        raise Conflict(
            f"item {item.id} is being published right now: try again in a moment",
            [{"field": "status", "message": "sending"}],
        )
    if job.status == "queued":
        job.status = "cancelled"
        job.error = "the item changed before it was sent: nothing was sent"
        job.log = [*job.log, {"at": datetime.now(UTC).isoformat(), "event": "cancelled", "detail": job.error}]


def _move(item: CampaignItemRow, target: ItemStatus, principal: Principal, **entry: object) -> None:
    problem = item_move_problem(ItemStatus(item.status), target)
    if problem:
        raise InvalidTransition(problem, action=target.value, status=item.status)
    item.status = target.value
    item.history = [
        *item.history,
        {
            "at": datetime.now(UTC).isoformat(),
            "by": principal.actor,
            "action": target.value,
            "version": item.version,
            **entry,
        },
    ]


def learn(
    uow: UnitOfWork,
    actor: Principal | str,
    kind: str,
    campaign: CampaignRow,
    item: CampaignItemRow,
    **event: Any,
) -> None:
    """A learning event about one item (SPEC §7 Kaizen), in the caller's transaction."""
    data = {
        "campaign_id": campaign.id,
        "item_id": item.id,
        "platform": item.platform,
        "version": item.version,
    }
    learning.record_event(
        uow,
        actor,
        kind,
        client_id=campaign.client_id,
        engagement_id=campaign.engagement_id,
        subject=f"campaign item {item.id}",
        **{k: v for k, v in event.items() if k != "data"},
        data=data | dict(event.get("data") or {}),
    )


def approve_item(
    uow: UnitOfWork, principal: Principal, item_id: str, data: ItemDecision
) -> CampaignItemPublic:
    require_write(principal)
    item, campaign = _item(uow, principal, item_id)
    _check_version(item, data.expected_version)
    intake = _intake(uow, campaign.engagement_id)
    errors = [f for f in item_public(item, campaign, intake).findings if f.severity == "error"]
    if errors:
        raise Conflict(
            f"item {item.id} fails a quality gate: {errors[0].message}",
            [{"field": "text", "message": f.message, "code": f.code} for f in errors],
        )
    _move(item, ItemStatus.APPROVED, principal)
    item.approved_version = item.version
    item.reason = ""
    uow.commit()
    return item_public(item, campaign, intake)


def reject_item(
    uow: UnitOfWork, principal: Principal, item_id: str, data: ItemDecision
) -> CampaignItemPublic:
    require_write(principal)
    if not data.reason.strip():
        raise Invalid("a rejection needs a reason", [{"field": "reason", "message": "say what to change"}])
    item, campaign = _item(uow, principal, item_id)
    _check_version(item, data.expected_version)
    _hold_publishing(uow, item)
    _move(item, ItemStatus.REJECTED, principal, reason=data.reason.strip())
    item.reason = data.reason.strip()
    item.approved_version = None
    learn(uow, principal, "rejection", campaign, item, reason=item.reason)
    uow.commit()
    return item_public(item, campaign, _intake(uow, campaign.engagement_id))


def revise_item(
    uow: UnitOfWork, principal: Principal, item_id: str, data: ItemRevision
) -> CampaignItemPublic:
    """A new version of the text (and hashtags); a rejected or approved item goes back to the queue."""
    require_write(principal)
    item, campaign = _item(uow, principal, item_id)
    _check_version(item, data.expected_version)
    if item.status == ItemStatus.PUBLISHED.value:
        raise InvalidTransition(
            "a published item cannot change", [{"field": "status", "message": "published"}]
        )
    if item.status == ItemStatus.APPROVED.value:
        _hold_publishing(uow, item)
        _move(item, ItemStatus.REJECTED, principal, reason="edited after approval")
    before = item.text
    item.version += 1
    item.text = data.text
    if data.hashtags is not None:
        item.hashtags = list(data.hashtags)
    item.approved_version = None
    if item.status == ItemStatus.REJECTED.value:
        _move(item, ItemStatus.PENDING, principal, revised_from=item.version - 1)
    if before != item.text:
        learn(uow, principal, "amendment", campaign, item, reason=item.reason, before=before, after=item.text)
    uow.commit()
    return item_public(item, campaign, _intake(uow, campaign.engagement_id))


def regenerate_item(
    uow: UnitOfWork, principal: Principal, item_id: str, data: ItemDecision
) -> CampaignItemPublic:
    """A rejected item rewritten by the same generator from the approved strategy and creatives (a
    fresh angle for the same slot, unlike the rejected text and the campaign's other posts), as a new
    version back in the queue; its history keeps the rejected text and the reason."""
    require_write(principal)
    item, campaign = _item(uow, principal, item_id)
    _check_version(item, data.expected_version)
    if item.status != ItemStatus.REJECTED.value:
        raise InvalidTransition(
            f"only a rejected item is regenerated (this one is {item.status})",
            action="regenerate",
            status=item.status,
        )
    require_gates(uow, campaign.engagement_id, Module.EXECUTION, doing="regenerate a campaign item")
    inputs = load_inputs(uow, campaign.engagement_id, Module.EXECUTION).inputs
    others = [i.text for i in uow.campaigns.items(campaign.id) if i.id != item.id]
    rounds = sum(1 for h in item.history if h.get("action") == "regenerated")
    post = campaign_post_again(
        inputs,
        {Platform(p): int(n) for p, n in campaign.cadence.items()},
        campaign.start_date,
        campaign.end_date,
        _as_post(item),
        others,
        round_no=rounds + 1,
    )
    if post is None:
        raise Conflict(
            "the generator found no new wording for this slot that differs from the campaign's other "
            "posts: revise the text by hand",
            [{"field": "text", "message": "no distinct rewrite"}],
        )
    before, old_version = item.text, item.version
    item.version += 1
    item.text, item.hashtags, item.cta = post.text, list(post.hashtags), post.cta
    item.pillar, item.format, item.image_prompt = post.pillar, post.format, post.image_prompt
    item.approved_version = None
    item.history = [
        *item.history,
        {
            "at": datetime.now(UTC).isoformat(),
            "by": principal.actor,
            "action": "regenerated",
            "version": item.version,
            "revised_from": old_version,
            "previous_text": before,
            "reason": item.reason,
        },
    ]
    _move(item, ItemStatus.PENDING, principal, revised_from=old_version)
    learn(uow, principal, "generation", campaign, item, reason=item.reason, data={"regenerated": True})
    uow.commit()
    return item_public(item, campaign, _intake(uow, campaign.engagement_id))


def approve_items(
    uow: UnitOfWork, principal: Principal, campaign_id: str, data: BulkApproval
) -> list[CampaignItemPublic]:
    """Approve several pending items at their current versions; one failing a gate stops the lot."""
    require_write(principal)
    campaign = load_campaign(uow, principal, campaign_id)
    intake = _intake(uow, campaign.engagement_id)
    by_id = {i.id: i for i in uow.campaigns.items(campaign.id)}
    unknown = [i for i in data.item_ids if i not in by_id]
    if unknown:
        raise Invalid(
            "unknown items", [{"field": "item_ids", "message": f"not in this campaign: {unknown[0]}"}]
        )
    for item_id in data.item_ids:
        item = by_id[item_id]
        errors = [f for f in item_public(item, campaign, intake).findings if f.severity == "error"]
        if errors:
            raise Conflict(
                f"item {item.id} fails a quality gate: {errors[0].message}",
                [{"field": f"item_ids.{item.id}", "message": errors[0].message}],
            )
        _move(item, ItemStatus.APPROVED, principal)
        item.approved_version = item.version
    uow.commit()
    return [item_public(by_id[i], campaign, intake) for i in data.item_ids]


# ---- execution --------------------------------------------------------------------------------------
def _per_week(campaign: CampaignRow, platform: Platform) -> int:
    return int(campaign.cadence.get(platform.value, DEFAULT_CADENCE))


def run_proof(uow: UnitOfWork, principal: Principal, campaign_id: str) -> Checklist:
    """Proof mode: nothing is posted; every approved item gets simulated reach and engagements."""
    require_write(principal)
    campaign = load_campaign(uow, principal, campaign_id)
    if campaign.mode != ExecutionMode.PROOF.value:
        raise Conflict(
            f"the campaign runs in {campaign.mode} mode, not proof",
            [{"field": "mode", "message": campaign.mode}],
        )
    for item in uow.campaigns.items(campaign.id):
        if item.status != ItemStatus.APPROVED.value:
            continue
        platform = Platform(item.platform)
        result = simulate(platform, campaign.audience or 2_000, _per_week(campaign, platform))
        item.simulated = {"reach": result.reach, "engagements": result.engagements, "model": result.model}
        _move(item, ItemStatus.PUBLISHED, principal, simulated=True)
        # Learned from as what it is: a simulated publication, its numbers the model's, not measured.
        learn(
            uow,
            principal,
            "publication",
            campaign,
            item,
            reason="simulated in proof mode: nothing was posted",
            data={"mode": "proof", "simulated": item.simulated},
        )
    _close_if_done(uow, campaign)
    uow.commit()
    return checklist(uow, principal, campaign.id)


def record_published(
    uow: UnitOfWork, principal: Principal, item_id: str, data: ItemPublished
) -> CampaignItemPublic:
    """Manual mode: the operator posted the approved version by hand; its live URL makes it published."""
    require_write(principal)
    item, campaign = _item(uow, principal, item_id)
    if campaign.mode != ExecutionMode.MANUAL.value:
        raise Conflict(
            f"the campaign runs in {campaign.mode} mode, not manual",
            [{"field": "mode", "message": campaign.mode}],
        )
    problem = url_problem(Platform(item.platform), data.url)
    if problem:
        raise Invalid(f"url: {problem}", [{"field": "url", "message": problem}])
    if item.approved_version != item.version:
        raise InvalidTransition(
            f"only the approved version of an item can be published (it is {item.status}, version "
            f"{item.version})",
            action="publish",
            status=item.status,
        )
    _move(item, ItemStatus.PUBLISHED, principal, url=data.url)
    item.published_url = data.url
    learn(uow, principal, "publication", campaign, item, data={"mode": "manual", "url": data.url})
    _close_if_done(uow, campaign)
    uow.commit()
    return item_public(item, campaign, _intake(uow, campaign.engagement_id))


def _close_if_done(uow: UnitOfWork, campaign: CampaignRow) -> None:
    items = uow.campaigns.items(campaign.id)
    campaign.completed = (
        bool(items)
        and all(i.status in {ItemStatus.PUBLISHED.value, ItemStatus.REJECTED.value} for i in items)
        and any(i.status == ItemStatus.PUBLISHED.value for i in items)
    )


def checklist(uow: UnitOfWork, principal: Principal, campaign_id: str) -> Checklist:
    campaign = load_campaign(uow, principal, campaign_id)
    items = uow.campaigns.items(campaign.id)
    lines = []
    for platform in campaign.platforms:
        own = [i for i in items if i.platform == platform]
        published = [i for i in own if i.status == ItemStatus.PUBLISHED.value]
        lines.append(
            ChecklistLine(
                platform=Platform(platform),
                items=len(own),
                approved=sum(1 for i in own if i.status == ItemStatus.APPROVED.value),
                published=len(published),
                urls_recorded=sum(1 for i in published if i.published_url),
                done=bool(own) and all(i.status in {"published", "rejected"} for i in own),
            )
        )
    proof = campaign.mode == ExecutionMode.PROOF.value
    return Checklist(
        campaign_id=campaign.id,
        mode=ExecutionMode(campaign.mode),
        lines=lines,
        completed=campaign.completed,
        simulated_reach=sum(int(i.simulated.get("reach", 0)) for i in items) if proof else None,
        simulated_engagements=sum(int(i.simulated.get("engagements", 0)) for i in items) if proof else None,
    )
