"""Artifact use cases (SPEC §4): versions, the status machine, gating, the stale cascade.

Every content change stores a new version; status changes are recorded in the audit trail with
the version they applied to. Callers name the version they read (`expected_version`); a stale one
raises Conflict and nothing is written.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aicmo.domain.artifacts import (
    UPSTREAMS,
    Action,
    ArtifactStatus,
    Module,
    next_status,
    topological_order,
)
from aicmo.domain.errors import Conflict, Forbidden, Gated, Invalid, NotFound
from aicmo.domain.gating import GateReason, gate_reasons
from aicmo.domain.learning import amended_away
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.resources import (
    ArtifactAmend,
    ArtifactCreate,
    ArtifactDiff,
    ArtifactPublic,
    ArtifactVersionPublic,
    GatingPublic,
    Provenance,
)
from aicmo.domain.staleness import ArtifactState, StaleCause, stale_causes
from aicmo.services import audit, brief_facts
from aicmo.services.access import client_scope, require_client, require_write
from aicmo.services.artifact_content import (
    changed_fields,
    content_model,
    missing_parts,
    render_markdown,
    validated_content,
    version_markdown,
)
from aicmo.services.context import new_id
from aicmo.services.engagements import load_engagement
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ArtifactRow, ArtifactVersionRow

SYSTEM = "system:aicmo"


def to_public(row: ArtifactRow) -> ArtifactPublic:
    public = ArtifactPublic.model_validate(row, from_attributes=True)
    public.content_markdown = version_markdown(row.type, row)
    return public


def version_to_public(row: ArtifactVersionRow, module: Module | str) -> ArtifactVersionPublic:
    public = ArtifactVersionPublic.model_validate(row, from_attributes=True)
    public.content_markdown = version_markdown(module, row)
    return public


# ---- loading and access ---------------------------------------------------------------------
def load_artifact(uow: UnitOfWork, principal: Principal, artifact_id: str) -> ArtifactRow:
    row = uow.artifacts.get(artifact_id)
    if row is None or not principal.can_read_client(row.client_id):
        raise NotFound(f"artifact {artifact_id} not found")
    return row


def _check_expected(row: ArtifactRow, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != row.version:
        raise Conflict(
            f"artifact {row.type} is at v{row.version}, you based your change on v{expected_version}; "
            "reload to see the latest version",
            [{"field": "expected_version", "current_version": row.version, "expected": expected_version}],
        )


# ---- gating ---------------------------------------------------------------------------------
def engagement_gate_reasons(uow: UnitOfWork, engagement_id: str, module: Module) -> list[GateReason]:
    rows = uow.artifacts.by_engagement(engagement_id)
    statuses = {Module(t): ArtifactStatus(r.status) for t, r in rows.items()}
    return gate_reasons(module, statuses)


def check_gating(uow: UnitOfWork, principal: Principal, engagement_id: str, module: Module) -> GatingPublic:
    load_engagement(uow, principal, engagement_id)
    reasons = engagement_gate_reasons(uow, engagement_id, module)
    return GatingPublic(
        engagement_id=engagement_id, module=module, allowed=not reasons, reasons=[str(r) for r in reasons]
    )


def require_gates(uow: UnitOfWork, engagement_id: str, module: Module, *, doing: str) -> None:
    """Gated (409) unless every upstream is approved and complete: an approved row stored before
    content was validated may not fit its model, and nothing may be built on it."""
    reasons = engagement_gate_reasons(uow, engagement_id, module)
    if reasons:
        raise Gated(
            f"{module.value} cannot be {doing}: " + "; ".join(str(r) for r in reasons),
            [r.as_dict() for r in reasons],
        )
    rows = uow.artifacts.by_engagement(engagement_id)
    broken = {
        u.value: missing
        for u in UPSTREAMS[module]
        if u.value in rows and (missing := missing_parts(u, rows[u.value].content or {}))
    }
    if broken:
        text = "; ".join(f"{u} (approved but incomplete: {', '.join(m)})" for u, m in broken.items())
        raise Gated(
            f"{module.value} cannot be {doing}: {text}",
            [{"upstream": u, "reason": f"incomplete: {', '.join(m)}"} for u, m in broken.items()],
        )


def require_complete(row: ArtifactRow) -> None:
    """Refuse (409) a version whose content does not fit its module's model, naming what is missing:
    a module still being written part by part cannot be approved or exported."""
    missing = missing_parts(Module(row.type), row.content or {})
    if missing:
        raise Gated(
            f"{row.type} v{row.version} is incomplete and cannot be approved: "
            f"missing or unfinished parts {', '.join(missing)}",
            [{"field": f"content.{name}", "reason": "missing or incomplete"} for name in missing],
        )


# ---- writing versions -----------------------------------------------------------------------
@dataclass(frozen=True)
class NewContent:
    """A new version's content and where it came from."""

    content: dict[str, Any]
    notes: str = ""
    inputs_hash: str = ""
    source_versions: dict[str, int] = field(default_factory=dict)
    provenance: Provenance = field(default_factory=Provenance)


def _store_version(uow: UnitOfWork, row: ArtifactRow, action: Action, actor: str) -> None:
    uow.artifacts.create_version(
        artifact_id=row.id,
        version=row.version,
        status=row.status,
        action=action.value,
        content=row.content,
        content_markdown=row.content_markdown,
        notes=row.notes,
        inputs_hash=row.inputs_hash,
        source_versions=row.source_versions,
        provenance=row.provenance,
        created_by=actor,
    )
    brief_facts.sync_from_brief(uow, row, actor)


def create_artifact(uow: UnitOfWork, principal: Principal, data: ArtifactCreate) -> ArtifactPublic:
    """Create an artifact by hand (v1, draft). Generated artifacts go through `store_generated`."""
    require_write(principal)
    try:
        engagement = load_engagement(uow, principal, data.engagement_id)
    except NotFound as exc:
        raise Invalid(
            "unknown engagement",
            [{"field": "engagement_id", "message": f"no engagement {data.engagement_id}"}],
        ) from exc
    if data.type.value in uow.artifacts.by_engagement(engagement.id):  # one artifact per type
        raise Conflict(
            f"this engagement already has a {data.type.value} artifact; amend it instead",
            [{"field": "type", "message": "already exists"}],
        )
    existing = uow.artifacts.by_engagement(engagement.id)
    built_on = {u.value: existing[u.value].version for u in UPSTREAMS[data.type] if u.value in existing}
    content = NewContent(validated_content(data.type, data.content), data.notes, source_versions=built_on)
    row = _insert(
        uow, principal.actor, engagement.client_id, engagement.id, data.type, content, Action.CREATE
    )
    uow.commit()
    return to_public(row)


def _insert(
    uow: UnitOfWork,
    actor: str,
    client_id: str,
    engagement_id: str,
    module: Module,
    content: NewContent,
    action: Action,
) -> ArtifactRow:
    row = uow.artifacts.create(
        id=new_id("ar"),
        client_id=client_id,
        engagement_id=engagement_id,
        type=module.value,
        version=1,
        status=ArtifactStatus.DRAFT.value,
        content=content.content,
        content_markdown=render_markdown(
            module, content.content, content.notes, content.provenance.amended_fields
        ),
        notes=content.notes,
        inputs_hash=content.inputs_hash,
        source_versions=content.source_versions,
        provenance=content.provenance.model_dump(),
        stale_causes=[],
        created_by=actor,
    )
    uow.flush()
    _store_version(uow, row, action, actor)
    audit.record(uow, actor, f"artifact.{action.value}", artifact=row, to_version=1, to_status=row.status)
    return row


def store_generated(
    uow: UnitOfWork,
    actor: str,
    engagement_id: str,
    module: Module,
    content: NewContent,
    *,
    expected_version: int | None = None,
) -> ArtifactRow:
    """Store a generator's output as a new draft version (v1 if the artifact is new).

    The caller commits; gating is the caller's job (it knows what it read). Does not commit so a
    generation run and its bookkeeping land in one transaction.
    """
    engagement = uow.engagements.get(engagement_id)
    if engagement is None:
        raise NotFound(f"engagement {engagement_id} not found")
    row = uow.artifacts.by_engagement(engagement_id).get(module.value)
    if row is None:
        return _insert(uow, actor, engagement.client_id, engagement_id, module, content, Action.GENERATE)
    _check_expected(row, expected_version)
    _new_version(uow, row, actor, Action.GENERATE, content, stale=[])
    return row


def _new_version(
    uow: UnitOfWork,
    row: ArtifactRow,
    actor: str,
    action: Action,
    content: NewContent,
    *,
    stale: list[dict[str, Any]] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    before_status, before_version = row.status, row.version
    row.status = next_status(action, ArtifactStatus(row.status)).value
    row.version = before_version + 1
    row.content = content.content
    row.content_markdown = render_markdown(
        row.type, content.content, content.notes, content.provenance.amended_fields
    )
    row.notes = content.notes
    row.inputs_hash = content.inputs_hash
    row.source_versions = content.source_versions
    row.provenance = content.provenance.model_dump()
    if stale is not None:
        row.stale_causes = stale
    row.approved_by = None
    row.approved_at = None
    uow.flush()
    _store_version(uow, row, action, actor)
    audit.record(
        uow,
        actor,
        f"artifact.{action.value}",
        artifact=row,
        from_version=before_version,
        to_version=row.version,
        from_status=before_status,
        to_status=row.status,
        data=data,
    )


def amend_artifact(
    uow: UnitOfWork, principal: Principal, artifact_id: str, data: ArtifactAmend
) -> ArtifactPublic:
    """Store a person's edit as a new version: the named content fields replaced, validated as a
    whole against the module's content model (Invalid names each field), and the notes."""
    require_write(principal)
    row = load_artifact(uow, principal, artifact_id)
    _check_expected(row, data.expected_version)
    if not data.content and data.notes is None:
        raise Invalid("nothing to amend", [{"field": "content", "message": "give content or notes"}])
    module = Module(row.type)
    before = row.content or {}
    known = {k: v for k, v in before.items() if k in content_model(module).model_fields}  # legacy keys go
    content = validated_content(module, {**known, **data.content}) if data.content else before
    provenance = Provenance.model_validate(row.provenance or {})
    edited = changed_fields(before, content)
    if edited:
        provenance = provenance.model_copy(
            update={
                "amended_by": principal.actor,
                "amended_fields": sorted({*provenance.amended_fields, *edited}),
            }
        )
    content = NewContent(
        content=content,
        notes=row.notes if data.notes is None else data.notes,
        inputs_hash=row.inputs_hash,
        source_versions=dict(row.source_versions),
        provenance=provenance,
    )
    changed, removed = amended_away(before, content.content)  # a learning event: what was taken out
    _new_version(
        uow,
        row,
        principal.actor,
        Action.AMEND,
        content,
        data={"changed": changed, "removed_phrases": removed},
    )
    sync_plan(uow, row.engagement_id, principal.actor)
    uow.commit()
    return to_public(row)


# ---- status changes -------------------------------------------------------------------------
def decide(
    uow: UnitOfWork,
    principal: Principal,
    artifact_id: str,
    action: Action,
    *,
    expected_version: int | None = None,
    comment: str = "",
) -> ArtifactPublic:
    """Approve, auto-approve, revoke, reject or archive the current version."""
    row = load_artifact(uow, principal, artifact_id)
    if action in (Action.APPROVE, Action.REJECT):
        if not principal.can_review_client(row.client_id):
            raise Forbidden(f"role {principal.role.value} may not {action.value} this artifact")
    else:
        require_write(principal)
    apply_decision(uow, principal.actor, row, action, expected_version=expected_version, comment=comment)
    sync_plan(uow, row.engagement_id, principal.actor)
    uow.commit()
    return to_public(row)


def apply_decision(
    uow: UnitOfWork,
    actor: str,
    row: ArtifactRow,
    action: Action,
    *,
    expected_version: int | None = None,
    comment: str = "",
    note: dict[str, Any] | None = None,
) -> None:
    """The status change itself, without committing (jobs reuse it for automatic approvals).
    `note` is kept in the audit entry's data (e.g. the client's decision behind a share link)."""
    _check_expected(row, expected_version)
    before = row.status
    after = next_status(action, ArtifactStatus(before))
    data: dict[str, Any] = dict(note or {})
    if after is ArtifactStatus.APPROVED:
        module = Module(row.type)
        require_complete(row)
        require_gates(uow, row.engagement_id, module, doing="approved")
        upstream_rows = uow.artifacts.by_engagement(row.engagement_id)
        rebased = {u.value: upstream_rows[u.value].version for u in UPSTREAMS[module]}
        missing = {k: v for k, v in rebased.items() if k not in (row.source_versions or {})}
        if missing:  # record what this approval was granted against
            row.source_versions = {**(row.source_versions or {}), **missing}
        if row.stale_causes:
            data["reapproved_against"] = rebased
            data["cleared_causes"] = [c["reason"] for c in row.stale_causes]
            row.source_versions = {**row.source_versions, **rebased}
            row.stale_causes = []
        row.approved_by = actor
        row.approved_at = datetime.now(UTC)
    elif before == ArtifactStatus.APPROVED.value:
        row.approved_by = None
        row.approved_at = None
    row.status = after.value
    uow.flush()
    audit.record(
        uow,
        actor,
        f"artifact.{action.value}",
        artifact=row,
        from_version=row.version,
        to_version=row.version,
        from_status=before,
        to_status=after.value,
        comment=comment,
        data=data,
    )
    if after is ArtifactStatus.APPROVED:  # staleness follows approvals: a draft flags nothing
        cascade(uow, row.engagement_id, actor)


def sync_plan(uow: UnitOfWork, engagement_id: str, actor: str) -> None:
    """Let the engagement's generation plan react to an approval or a new version (no commit)."""
    from aicmo.services.plans import after_artifact_change  # plans builds on this module

    after_artifact_change(uow, engagement_id, actor)


# ---- stale cascade --------------------------------------------------------------------------
def cascade(uow: UnitOfWork, engagement_id: str, actor: str = SYSTEM) -> list[ArtifactRow]:
    """Flag every artifact built on an older version of an upstream that is now approved at a newer
    one, transitively, naming each cause. Runs when an artifact is approved."""
    rows = uow.artifacts.by_engagement(engagement_id)
    states = {
        Module(t): ArtifactState(
            version=r.version,
            status=ArtifactStatus(r.status),
            source_versions=r.source_versions or {},
            causes=tuple(StaleCause.from_dict(c) for c in r.stale_causes or []),
        )
        for t, r in rows.items()
    }
    flagged = []
    for module in topological_order():
        row = rows.get(module.value)
        state = states.get(module)
        if row is None or state is None:
            continue
        causes = stale_causes(module, states)
        known = {(c.upstream, c.from_version, c.to_version) for c in state.causes}
        new = [c for c in causes if (c.upstream, c.from_version, c.to_version) not in known]
        if not new:
            continue
        before = row.status
        all_causes = (*state.causes, *new)
        row.stale_causes = [c.as_dict() for c in all_causes]
        row.status = ArtifactStatus.FLAGGED_FOR_REVIEW.value
        row.approved_by = None
        row.approved_at = None
        states[module] = ArtifactState(
            row.version, ArtifactStatus.FLAGGED_FOR_REVIEW, state.source_versions, all_causes
        )
        audit.record(
            uow,
            actor,
            f"artifact.{Action.FLAG.value}",
            artifact=row,
            from_version=row.version,
            to_version=row.version,
            from_status=before,
            to_status=row.status,
            comment="; ".join(str(c) for c in new),
        )
        flagged.append(row)
    uow.flush()
    return flagged


# ---- reading --------------------------------------------------------------------------------
def get_artifact(uow: UnitOfWork, principal: Principal, artifact_id: str) -> ArtifactPublic:
    return to_public(load_artifact(uow, principal, artifact_id))


def list_artifacts(
    uow: UnitOfWork,
    principal: Principal,
    *,
    client_id: str | None = None,
    engagement_id: str | None = None,
    type: Module | None = None,
    status: ArtifactStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ArtifactPublic]:
    if client_id is not None:
        require_client(principal, client_id)
    filters: dict[str, Any] = {
        "client_id": client_id if client_id is not None else client_scope(principal),
        "engagement_id": engagement_id,
        "type": type.value if type else None,
        "status": status.value if status else None,
    }
    rows, count = uow.artifacts.list(filters=filters, limit=limit, offset=offset)
    return Page[ArtifactPublic](data=[to_public(r) for r in rows], count=count)


def list_versions(uow: UnitOfWork, principal: Principal, artifact_id: str) -> list[ArtifactVersionPublic]:
    load_artifact(uow, principal, artifact_id)
    row = load_artifact(uow, principal, artifact_id)
    return [version_to_public(v, row.type) for v in uow.artifacts.versions(artifact_id)]


def get_version(
    uow: UnitOfWork, principal: Principal, artifact_id: str, version: int
) -> ArtifactVersionPublic:
    artifact = load_artifact(uow, principal, artifact_id)
    row = uow.artifacts.version(artifact_id, version)
    if row is None:
        raise NotFound(f"artifact {artifact_id} has no version {version}")
    return version_to_public(row, artifact.type)


def _markdown_lines(module: str, v: ArtifactVersionRow) -> list[str]:
    return version_markdown(module, v).splitlines(keepends=True)


def _content_lines(v: ArtifactVersionRow) -> list[str]:
    return json.dumps(v.content, indent=2, sort_keys=True, ensure_ascii=False).splitlines(keepends=True)


def diff_versions(
    uow: UnitOfWork, principal: Principal, artifact_id: str, from_version: int, to_version: int
) -> ArtifactDiff:
    artifact = load_artifact(uow, principal, artifact_id)
    old = uow.artifacts.version(artifact_id, from_version)
    new = uow.artifacts.version(artifact_id, to_version)
    missing = [
        {"field": name, "message": f"no version {number}"}
        for name, number, row in (("from", from_version, old), ("to", to_version, new))
        if row is None
    ]
    if missing or old is None or new is None:
        raise NotFound(f"artifact {artifact_id} lacks a requested version", missing)
    names = {"fromfile": f"v{from_version}", "tofile": f"v{to_version}"}
    markdown_diff = difflib.unified_diff(
        _markdown_lines(artifact.type, old), _markdown_lines(artifact.type, new), **names
    )
    content_diff = difflib.unified_diff(_content_lines(old), _content_lines(new), **names)
    keys = sorted(set(old.content) | set(new.content))
    changed = [k for k in keys if old.content.get(k) != new.content.get(k)]
    if old.notes != new.notes:
        changed.append("notes")
    return ArtifactDiff(
        artifact_id=artifact_id,
        from_version=from_version,
        to_version=to_version,
        unified_diff="".join(markdown_diff),
        content_diff="".join(content_diff),
        changed_fields=changed,
    )
