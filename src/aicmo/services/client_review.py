"""Client review through a share link: the read-only view, approve / request changes, and the
operator's list of client reviews (read back from the audit trail, which records every one).

A link opens exactly one engagement of one client: every artifact and export is checked against it
and anything else is "not found", so a link never confirms that other work exists.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from aicmo.domain.artifacts import Action, ArtifactStatus, Module
from aicmo.domain.delivery import DELIVERED
from aicmo.domain.errors import Conflict, Invalid, NotFound
from aicmo.domain.modules import module_title
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.exports import ExportFormat
from aicmo.domain.schemas.sharing import (
    ClientReviewPublic,
    ReviewDecision,
    SharedArtifact,
    SharedDelivery,
    SharedExport,
    ShareReview,
)
from aicmo.domain.share_links import ShareClaims
from aicmo.services import audit
from aicmo.services.artifact_content import version_markdown
from aicmo.services.artifacts import apply_decision, sync_plan
from aicmo.services.delivery_manifest import delivery_period, read_intake
from aicmo.services.engagements import load_engagement
from aicmo.services.exports import ExportFile, export_file
from aicmo.services.share_links import SHARE_PREFIX, resolve_share
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ArtifactRow, AuditRow, EngagementRow

SHARE_ACTOR_SUFFIX = " via share link"
CLIENT_SIGNOFF = "artifact.client_approve"  # a client approving work the agency already approved
REVIEW_ACTIONS = {
    f"artifact.{Action.APPROVE.value}": ReviewDecision.APPROVE,
    CLIENT_SIGNOFF: ReviewDecision.APPROVE,
    f"artifact.{Action.REJECT.value}": ReviewDecision.REQUEST_CHANGES,
}  # older entries carry no `client_decision` in their data: read the decision from the action
AWAITING = {ArtifactStatus.DRAFT, ArtifactStatus.REVISED, ArtifactStatus.FLAGGED_FOR_REVIEW}


def _is_shared(row: ArtifactRow) -> bool:
    """Client-facing modules only (never lead lists or internal plans), and nothing archived."""
    return row.type in {m.value for m in DELIVERED} and row.status != ArtifactStatus.ARCHIVED.value


def shared_rows(uow: UnitOfWork, engagement: EngagementRow) -> list[ArtifactRow]:
    rows = uow.artifacts.by_engagement(engagement.id)
    return [rows[m.value] for m in DELIVERED if m.value in rows and _is_shared(rows[m.value])]


def shared_artifact(row: ArtifactRow) -> SharedArtifact:
    status = ArtifactStatus(row.status)
    return SharedArtifact(
        id=row.id,
        type=Module(row.type),
        title=module_title(row.type),
        version=row.version,
        status=status,
        approved_at=row.approved_at,
        content_markdown=version_markdown(row.type, row),
        awaiting_approval=status in AWAITING,
    )


def download_path(token: str, export_id: str) -> str:
    return f"{SHARE_PREFIX}{token}/exports/{export_id}/download"


def shared_delivery(
    uow: UnitOfWork, token: str, secret: bytes, *, now: datetime | None = None
) -> SharedDelivery:
    """What the client sees: this engagement's deliverable artifacts and its exports, read-only."""
    claims, engagement = resolve_share(uow, token, secret, now=now)
    rows = shared_rows(uow, engagement)
    intake = read_intake({Module(r.type): r for r in rows})
    client = uow.clients.get(engagement.client_id)
    start, end = delivery_period(engagement, intake)
    return SharedDelivery(
        client_name=intake.client_name if intake else (client.name if client else ""),
        engagement_name=engagement.name,
        period_start=start,
        period_end=end,
        link_expires_at=claims.expires_at,
        artifacts=[shared_artifact(r) for r in rows],
        exports=shared_exports(uow, token, engagement),
    )


def shared_exports(uow: UnitOfWork, token: str, engagement: EngagementRow) -> list[SharedExport]:
    """The engagement's exports, newest first, each downloadable through the link."""
    exports, _ = uow.exports.for_engagement(engagement.id, limit=200)
    return [
        SharedExport(
            id=e.id,
            format=ExportFormat(e.format),
            filename=e.filename,
            bytes=e.size_bytes,
            created_at=e.created_at,
            download_path=download_path(token, e.id),
        )
        for e in exports
    ]


def download_shared_export(
    uow: UnitOfWork, token: str, secret: bytes, export_id: str, *, now: datetime | None = None
) -> ExportFile:
    _, engagement = resolve_share(uow, token, secret, now=now)
    row = uow.exports.get(export_id, with_data=True)
    if row is None or row.engagement_id != engagement.id:
        raise NotFound(f"export {export_id} not found")
    return export_file(row)


def review_via_share(
    uow: UnitOfWork, token: str, secret: bytes, review: ShareReview, *, now: datetime | None = None
) -> SharedArtifact:
    """Approve, request changes (a comment is required) or reject, as the named client reviewer
    (commits). The decision is bound to `expected_version`: the version the client looked at."""
    claims, engagement = resolve_share(uow, token, secret, now=now)
    row = _shared_row(uow, claims, engagement, review.artifact_id)
    _apply_client_decision(uow, claims.link_id, row, review)
    sync_plan(uow, engagement.id, _actor(review.reviewer_name))
    uow.commit()
    return shared_artifact(row)


def approve_all_via_share(
    uow: UnitOfWork,
    token: str,
    secret: bytes,
    reviewer_name: str,
    versions: dict[str, int],
    *,
    now: datetime | None = None,
) -> list[SharedArtifact]:
    """Approve every listed artifact at the version the client saw, in delivery order, all or
    nothing: one that moved on (409) or cannot be approved yet leaves every one unchanged."""
    claims, engagement = resolve_share(uow, token, secret, now=now)
    if not versions:
        raise Invalid("nothing to approve", [{"field": "versions", "message": "no deliverable was listed"}])
    rows = [_shared_row(uow, claims, engagement, artifact_id) for artifact_id in versions]
    order = {m.value: i for i, m in enumerate(DELIVERED)}
    for row in sorted(rows, key=lambda r: order[r.type]):
        review = ShareReview(
            artifact_id=row.id,
            decision=ReviewDecision.APPROVE,
            reviewer_name=reviewer_name,
            expected_version=versions[row.id],
        )
        _apply_client_decision(uow, claims.link_id, row, review)
    sync_plan(uow, engagement.id, _actor(reviewer_name))
    uow.commit()
    return [shared_artifact(r) for r in rows]


def _actor(reviewer_name: str) -> str:
    return f"client:{' '.join(reviewer_name.split())}{SHARE_ACTOR_SUFFIX}"


def _shared_row(
    uow: UnitOfWork, claims: ShareClaims, engagement: EngagementRow, artifact_id: str
) -> ArtifactRow:
    row = uow.artifacts.get(artifact_id)
    if (
        row is None
        or row.engagement_id != engagement.id
        or row.client_id != claims.client_id
        or not _is_shared(row)
    ):
        raise NotFound(f"artifact {artifact_id} not found")
    return row


def _apply_client_decision(uow: UnitOfWork, link_id: str, row: ArtifactRow, review: ShareReview) -> None:
    actor = _actor(review.reviewer_name)
    note = {"client_decision": review.decision.value, "link_id": link_id}
    approving = review.decision is ReviewDecision.APPROVE
    if approving and row.status == ArtifactStatus.APPROVED.value:
        _sign_off(uow, actor, row, review, note)
        return
    apply_decision(
        uow,
        actor,
        row,
        Action.APPROVE if approving else Action.REJECT,
        expected_version=review.expected_version,
        comment=review.comment,
        note=note,
    )


def _sign_off(
    uow: UnitOfWork, actor: str, row: ArtifactRow, review: ShareReview, note: dict[str, str]
) -> None:
    """The agency already approved this version: record the client's approval of it as well."""
    if review.expected_version is not None and review.expected_version != row.version:
        raise Conflict(
            f"{row.type} is at v{row.version}, you reviewed v{review.expected_version}; reload to see it",
            [{"field": "expected_version", "current_version": row.version}],
        )
    audit.record(
        uow,
        actor,
        CLIENT_SIGNOFF,
        artifact=row,
        from_version=row.version,
        to_version=row.version,
        from_status=row.status,
        to_status=row.status,
        comment=review.comment,
        data=note,
    )


# ---- what the operator sees -------------------------------------------------------------------
def decision_of(row: AuditRow) -> ReviewDecision:
    """What the client decided: recorded in the entry's data, else read from its action."""
    recorded = (row.data or {}).get("client_decision")
    return (
        ReviewDecision(recorded)
        if recorded in ReviewDecision._value2member_map_
        else REVIEW_ACTIONS[row.action]
    )


def reviewer_of(row: AuditRow) -> str:
    return row.actor.split(":", 1)[1].removesuffix(SHARE_ACTOR_SUFFIX)


def _review(row: AuditRow, current: dict[str, int]) -> ClientReviewPublic:
    via_link = row.actor.startswith("client:")
    reviewer = reviewer_of(row)
    now_at = current.get(row.artifact_id or "")
    return ClientReviewPublic(
        id=row.id,
        at=row.at,
        reviewer=reviewer,
        via="share link" if via_link else "reviewer token",
        artifact_id=row.artifact_id,
        artifact_type=row.artifact_type,
        version=row.to_version,
        decision=decision_of(row),
        comment=row.comment,
        status_after=row.to_status,
        current_version=now_at,
        superseded=now_at is not None and row.to_version is not None and now_at != row.to_version,
    )


def list_reviews(
    uow: UnitOfWork, principal: Principal, engagement_id: str, *, limit: int = 50, offset: int = 0
) -> Page[ClientReviewPublic]:
    """Every client approval and change request on the engagement, newest first."""
    engagement = load_engagement(uow, principal, engagement_id)
    rows, count = uow.audit.client_decisions_page(
        engagement.id, list(REVIEW_ACTIONS), limit=limit, offset=offset
    )
    current = {r.id: r.version for r in uow.artifacts.by_engagement(engagement.id).values()}
    return Page[ClientReviewPublic](data=[_review(r, current) for r in rows], count=count)
