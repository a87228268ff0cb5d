"""What the client's review page shows, and which reviews are overdue for the operator.

The page reads the same engagement a share link opens (see `client_review`): each deliverable with
the client's decision on its *current* version. A decision names the version it was made on, so an
approval of v2 says nothing about v3: when a new version comes back, the item is awaiting a
decision again and shows the previous round's comments and what changed since that version.
"""

from __future__ import annotations

import difflib
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError

from aicmo.domain.artifacts import Module
from aicmo.domain.quality import PLATFORM_LIMITS, render_caption
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.execution import Execution
from aicmo.domain.schemas.exports import ExportFormat
from aicmo.domain.schemas.sharing import (
    ClientDecisionPublic,
    DiffLine,
    OverdueReview,
    ReviewItem,
    ReviewPage,
    SharedPost,
    ShareLinkSummary,
)
from aicmo.domain.text_length import measure
from aicmo.services.artifact_content import version_markdown
from aicmo.services.client_review import (
    REVIEW_ACTIONS,
    decision_of,
    reviewer_of,
    shared_artifact,
    shared_exports,
    shared_rows,
)
from aicmo.services.delivery_manifest import delivery_period, read_intake
from aicmo.services.engagements import load_engagement
from aicmo.services.share_links import resolve_share
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ArtifactRow, AuditRow, EngagementRow

CONTEXT_LINES = 1  # kept lines shown around each change in "what changed since you reviewed"


def review_page(uow: UnitOfWork, token: str, secret: bytes, *, now: datetime | None = None) -> ReviewPage:
    """The review page behind a share link (Forbidden, Unauthorized or NotFound when it is not valid)."""
    claims, engagement = resolve_share(uow, token, secret, now=now)
    rows = shared_rows(uow, engagement)
    intake = read_intake({Module(r.type): r for r in rows})
    client = uow.clients.get(engagement.client_id)
    start, end = delivery_period(engagement, intake)
    decisions = _decisions_by_artifact(uow, engagement.id)
    shared = shared_exports(uow, token, engagement)
    pdfs = sorted((e for e in shared if e.format is ExportFormat.PDF), key=lambda e: e.created_at)
    return ReviewPage(
        client_name=intake.client_name if intake else (client.name if client else ""),
        engagement_name=engagement.name,
        period_start=start,
        period_end=end,
        link_id=claims.link_id,
        link_expires_at=claims.expires_at,
        review_due=claims.review_due,
        social_handles={str(k): v for k, v in (intake.social_handles if intake else {}).items()},
        items=[_item(uow, row, decisions.get(row.id, []), start) for row in rows],
        report=pdfs[-1] if pdfs else None,
        exports=shared,
    )


def _decisions_by_artifact(uow: UnitOfWork, engagement_id: str) -> dict[str, list[ClientDecisionPublic]]:
    """Client decisions per artifact, oldest first."""
    found: dict[str, list[ClientDecisionPublic]] = {}
    for row in uow.audit.client_decisions(engagement_id, list(REVIEW_ACTIONS)):
        if row.artifact_id is None or row.to_version is None:
            continue
        found.setdefault(row.artifact_id, []).append(_decision(row))
    return found


def _decision(row: AuditRow) -> ClientDecisionPublic:
    return ClientDecisionPublic(
        decision=decision_of(row),
        reviewer=reviewer_of(row),
        at=row.at,
        version=row.to_version or 0,
        comment=row.comment,
    )


def _item(
    uow: UnitOfWork, row: ArtifactRow, decisions: list[ClientDecisionPublic], start: date
) -> ReviewItem:
    on_current = [d for d in decisions if d.version == row.version]
    earlier = [d for d in decisions if d.version < row.version]
    item = ReviewItem(artifact=shared_artifact(row), posts=_posts(row, start))
    if on_current:
        item.decision = on_current[-1]
    last_round = max((d.version for d in earlier), default=None)
    if last_round is not None:
        item.previous_round = [d for d in earlier if d.version == last_round]
        if not on_current:
            item.changed_since = last_round
            item.changes = _changes(uow, row, last_round)
    return item


def _changes(uow: UnitOfWork, row: ArtifactRow, since: int) -> list[DiffLine]:
    """The Markdown lines changed from version `since` to the current one, with a little context."""
    old = uow.artifacts.version(row.id, since)
    if old is None:
        return []
    before = version_markdown(row.type, old).splitlines()
    after = version_markdown(row.type, row).splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for number, group in enumerate(matcher.get_grouped_opcodes(CONTEXT_LINES)):
        if number:
            lines.append(DiffLine(op="gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine(op="same", text=t) for t in before[i1:i2]]
                continue
            lines += [DiffLine(op="del", text=t) for t in before[i1:i2] if t.strip()]
            lines += [DiffLine(op="add", text=t) for t in after[j1:j2] if t.strip()]
    return lines


def _posts(row: ArtifactRow, start: date) -> list[SharedPost]:
    """Execution's posts in date order, each with its week of the campaign, its caption length and
    its platform's limit."""
    if row.type != Module.EXECUTION.value:
        return []
    try:
        execution = Execution.model_validate(row.content).without_rejected()
    except ValidationError:
        return []  # the Markdown still shows the plan
    posts = []
    for p in sorted(execution.posts, key=lambda p: p.scheduled_at):
        size = measure(render_caption(p.text, p.hashtags), p.platform, PLATFORM_LIMITS[p.platform])
        posts.append(
            SharedPost(
                id=p.id,
                platform=p.platform,
                scheduled_at=p.scheduled_at,
                text=p.text,
                hashtags=p.hashtags,
                format=p.format,
                pillar=p.pillar,
                cta=p.cta,
                image_prompt=p.image_prompt,
                characters=size.length,
                limit=size.limit,
                unit=size.unit,
                week=max(1, (p.scheduled_at.date() - start).days // 7 + 1),
            )
        )
    return posts


# ---- what the operator sees ---------------------------------------------------------------------
def share_link_list(
    uow: UnitOfWork, principal: Principal, engagement_id: str, *, now: datetime | None = None
) -> list[ShareLinkSummary]:
    """Every review link issued for the engagement, newest first, with its state and whether its
    review is overdue (past its due date, not revoked, a deliverable still awaiting the client)."""
    engagement = load_engagement(uow, principal, engagement_id)
    now = now or datetime.now(UTC)
    links = uow.audit.share_links_issued(engagement.id)
    if not links:
        return []
    revoked = uow.share_links.revoked_links(engagement.id)
    waiting = bool(_pending(uow, engagement))
    out = []
    for link in links:
        data = link.data or {}
        expires = datetime.fromisoformat(data["expires_at"])
        due = date.fromisoformat(data["review_due"]) if data.get("review_due") else None
        state = "revoked" if data["link_id"] in revoked else "expired" if expires <= now else "active"
        out.append(
            ShareLinkSummary(
                link_id=str(data["link_id"]),
                created_at=link.at,
                created_by=link.actor,
                expires_at=expires,
                review_due=due,
                state=state,
                overdue=state != "revoked" and due is not None and due < now.date() and waiting,
            )
        )
    return out


def _pending(uow: UnitOfWork, engagement: EngagementRow) -> list[str]:
    """Deliverables without a client decision on their current version, e.g. 'strategy v3'."""
    rows = shared_rows(uow, engagement)
    decided = {(a, d.version) for a, ds in _decisions_by_artifact(uow, engagement.id).items() for d in ds}
    return [f"{r.type} v{r.version}" for r in rows if (r.id, r.version) not in decided]


def overdue_reviews(
    uow: UnitOfWork,
    principal: Principal,
    engagement_id: str,
    *,
    today: date | None = None,
) -> list[OverdueReview]:
    """Share links of the engagement whose review is past due while a deliverable still awaits the
    client's decision on its current version (expired links included: the client never answered;
    revoked ones left out: the agency took them back)."""
    engagement = load_engagement(uow, principal, engagement_id)
    today = today or datetime.now(UTC).date()
    now = datetime.combine(today, datetime.min.time(), UTC)
    due = [s for s in share_link_list(uow, principal, engagement_id, now=now) if s.overdue and s.review_due]
    if not due:
        return []
    pending = _pending(uow, engagement)
    client = uow.clients.get(engagement.client_id)
    return [
        OverdueReview(
            engagement_id=engagement.id,
            engagement_name=engagement.name,
            client_name=client.name if client else "",
            link_id=s.link_id,
            review_due=s.review_due,
            expires_at=s.expires_at,
            days_overdue=(today - s.review_due).days,
            pending=pending,
        )
        for s in due
        if s.review_due is not None
    ]
