"""The audit trail: every action, who, what, when, from which version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aicmo.domain.roles import Principal
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.resources import AuditEntryPublic
from aicmo.services.access import client_scope, require_client
from aicmo.services.context import current_trace_id
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ArtifactRow, AuditRow


def record(
    uow: UnitOfWork,
    actor: Principal | str,
    action: str,
    *,
    client_id: str | None = None,
    engagement_id: str | None = None,
    artifact: ArtifactRow | None = None,
    from_version: int | None = None,
    to_version: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    if artifact is not None:
        client_id = client_id or artifact.client_id
        engagement_id = engagement_id or artifact.engagement_id
    uow.audit.create(
        actor=actor.actor if isinstance(actor, Principal) else actor,
        action=action,
        client_id=client_id,
        engagement_id=engagement_id,
        artifact_id=artifact.id if artifact else None,
        artifact_type=artifact.type if artifact else None,
        from_version=from_version,
        to_version=to_version,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        trace_id=current_trace_id(),
        data=data or {},
    )


def to_public(row: AuditRow) -> AuditEntryPublic:
    return AuditEntryPublic.model_validate(row, from_attributes=True)


def list_audit(
    uow: UnitOfWork,
    principal: Principal,
    *,
    client_id: str | None = None,
    engagement_id: str | None = None,
    artifact_id: str | None = None,
    action: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[AuditEntryPublic]:
    scope = client_scope(principal)
    if client_id is not None:
        require_client(principal, client_id)
    filters: dict[str, Any] = {
        "client_id": client_id if client_id is not None else scope,
        "engagement_id": engagement_id,
        "artifact_id": artifact_id,
        "action": action,
    }
    rows, count = uow.audit.list(filters=filters, limit=limit, offset=offset)
    return Page[AuditEntryPublic](data=[to_public(r) for r in rows], count=count)
