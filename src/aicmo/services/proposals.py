"""Proposals (issue 16): a plan's regeneration of a module a person amended, kept beside it.

A plan job never overwrites an operator's edit. When the parts of a module whose current version
carries an amendment are all written again (the brief changed, an upstream moved on, a job was
retried), the assembled module becomes a proposal: the artifact stays exactly as the person left
it, and the proposal shows the difference. The operator accepts it (a new version), merges chosen
fields of it into the current content (an amendment), or discards it. A newer proposal for the
same artifact supersedes an open one.
"""

from __future__ import annotations

import difflib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aicmo.domain.artifacts import Action, Module
from aicmo.domain.errors import Conflict, Invalid, NotFound
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.proposals import (
    ProposalAccept,
    ProposalDetail,
    ProposalPublic,
    ProposalStatus,
)
from aicmo.domain.schemas.resources import ArtifactAmend, Provenance
from aicmo.services import artifacts, audit
from aicmo.services.access import require_write
from aicmo.services.artifact_content import render_markdown
from aicmo.services.context import new_id
from aicmo.services.engagements import load_engagement
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ArtifactRow, ProposalRow

OPEN = ProposalStatus.OPEN.value


def has_amendments(uow: UnitOfWork, row: ArtifactRow) -> bool:
    """Whether a person changed the artifact's content since it was last generated: a version
    made by an amendment after the newest generated one."""
    for version in reversed(uow.artifacts.versions(row.id)):
        if version.action == Action.AMEND.value:
            return True
        if version.action in (Action.GENERATE.value, Action.CREATE.value):
            return False
    return False


def propose(
    uow: UnitOfWork, actor: str, row: ArtifactRow, content: artifacts.NewContent, findings: list[Any]
) -> ProposalRow:
    """Keep `content` beside the amended artifact `row` as an open proposal (superseding any open
    one for it), recorded in the audit trail. No commit."""
    for older in open_for(uow, row.id):
        older.status = ProposalStatus.SUPERSEDED.value
        older.decided_by = actor
        older.decided_at = datetime.now(UTC)
    proposal = uow.proposals.create(
        id=new_id("pr"),
        client_id=row.client_id,
        engagement_id=row.engagement_id,
        artifact_id=row.id,
        type=row.type,
        base_version=row.version,
        status=OPEN,
        content=content.content,
        content_markdown=render_markdown(row.type, content.content, content.notes),
        inputs_hash=content.inputs_hash,
        source_versions=content.source_versions,
        provenance=content.provenance.model_dump(),
        findings=[f.as_dict() if hasattr(f, "as_dict") else dict(f) for f in findings],
        created_by=actor,
    )
    uow.flush()
    audit.record(
        uow,
        actor,
        "proposal.create",
        artifact=row,
        comment=f"your edits of {row.type} v{row.version} are kept; a regenerated version waits for review",
        data={"proposal_id": proposal.id, "base_version": row.version},
    )
    return proposal


def open_for(uow: UnitOfWork, artifact_id: str) -> list[ProposalRow]:
    return uow.proposals.open_for(artifact_id, status=OPEN)


# ---- reading ----------------------------------------------------------------------------------
def to_public(row: ProposalRow) -> ProposalPublic:
    return ProposalPublic.model_validate(row, from_attributes=True)


def _load(uow: UnitOfWork, principal: Principal, proposal_id: str) -> ProposalRow:
    row = uow.proposals.get(proposal_id)
    if row is None or not principal.can_read_client(row.client_id):
        raise NotFound(f"proposal {proposal_id} not found")
    return row


def list_proposals(
    uow: UnitOfWork, principal: Principal, engagement_id: str, status: ProposalStatus | None = None
) -> list[ProposalPublic]:
    load_engagement(uow, principal, engagement_id)
    rows = uow.proposals.for_engagement(engagement_id, status=status.value if status else None)
    return [to_public(r) for r in rows]


def get_proposal(uow: UnitOfWork, principal: Principal, proposal_id: str) -> ProposalDetail:
    """The proposal with its difference from the artifact's current version."""
    row = _load(uow, principal, proposal_id)
    artifact = uow.artifacts.get(row.artifact_id)
    assert artifact is not None
    current, proposed = artifact.content or {}, row.content or {}
    names = {"fromfile": f"v{artifact.version} (current)", "tofile": f"proposal {row.id}"}
    return ProposalDetail(
        **to_public(row).model_dump(),
        current_version=artifact.version,
        changed_fields=sorted(k for k in set(current) | set(proposed) if current.get(k) != proposed.get(k)),
        unified_diff="".join(
            difflib.unified_diff(
                artifact.content_markdown.splitlines(keepends=True),
                row.content_markdown.splitlines(keepends=True),
                **names,
            )
        ),
        content_diff="".join(difflib.unified_diff(_lines(current), _lines(proposed), **names)),
    )


def _lines(content: dict[str, Any]) -> list[str]:
    return json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False).splitlines(keepends=True)


# ---- deciding ---------------------------------------------------------------------------------
def accept(uow: UnitOfWork, principal: Principal, proposal_id: str, data: ProposalAccept) -> ProposalDetail:
    """Take the whole proposal as a new version (`fields` empty), or merge the named fields of it
    into the current content as an amendment. Names the artifact version it read."""
    require_write(principal)
    row = _require_open(uow, principal, proposal_id)
    artifact = uow.artifacts.get(row.artifact_id)
    assert artifact is not None
    if data.fields:
        unknown = sorted(set(data.fields) - set(row.content))
        if unknown:
            raise Invalid(
                "the proposal has no such field", [{"field": "fields", "message": ", ".join(unknown)}]
            )
        chosen = {f: row.content[f] for f in data.fields}  # the amend validates the merged whole
        _decided(row, principal, ProposalStatus.MERGED)
        artifacts.amend_artifact(
            uow, principal, artifact.id, ArtifactAmend(content=chosen, expected_version=data.expected_version)
        )  # commits
    else:
        artifacts.store_generated(
            uow,
            principal.actor,
            artifact.engagement_id,
            Module(artifact.type),
            artifacts.NewContent(
                content=row.content,
                notes=artifact.notes,
                inputs_hash=row.inputs_hash,
                source_versions=dict(row.source_versions),
                provenance=Provenance.model_validate(row.provenance),
            ),
            expected_version=data.expected_version,
        )
        _decided(row, principal, ProposalStatus.ACCEPTED)
        artifacts.sync_plan(uow, artifact.engagement_id, principal.actor)
    audit.record(
        uow,
        principal,
        f"proposal.{row.status}",
        artifact=artifact,
        data={"proposal_id": row.id, "fields": list(data.fields)},
    )
    uow.commit()
    return get_proposal(uow, principal, proposal_id)


def discard(uow: UnitOfWork, principal: Principal, proposal_id: str) -> ProposalDetail:
    require_write(principal)
    row = _require_open(uow, principal, proposal_id)
    _decided(row, principal, ProposalStatus.DISCARDED)
    artifact = uow.artifacts.get(row.artifact_id)
    audit.record(uow, principal, "proposal.discarded", artifact=artifact, data={"proposal_id": row.id})
    uow.commit()
    return get_proposal(uow, principal, proposal_id)


def _require_open(uow: UnitOfWork, principal: Principal, proposal_id: str) -> ProposalRow:
    row = _load(uow, principal, proposal_id)
    if row.status != OPEN:
        raise Conflict(
            f"proposal {proposal_id} is {row.status}; only an open proposal can be decided",
            [{"field": "status", "message": row.status}],
        )
    return row


def _decided(row: ProposalRow, principal: Principal, status: ProposalStatus) -> None:
    row.status = status.value
    row.decided_by = principal.actor
    row.decided_at = datetime.now(UTC)
