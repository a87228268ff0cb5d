"""Engagement use cases: a client's project over a period."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aicmo.domain.errors import Invalid, NotFound
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.resources import EngagementCreate, EngagementPublic, EngagementUpdate
from aicmo.services import audit
from aicmo.services.access import client_scope, require_client, require_write
from aicmo.services.clients import load_client
from aicmo.services.context import new_id
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import EngagementRow


def to_public(row: EngagementRow) -> EngagementPublic:
    return EngagementPublic.model_validate(row, from_attributes=True)


def load_engagement(uow: UnitOfWork, principal: Principal, engagement_id: str) -> EngagementRow:
    row = uow.engagements.get(engagement_id)
    if row is None or not principal.can_read_client(row.client_id):
        raise NotFound(f"engagement {engagement_id} not found")
    return row


def create_engagement(uow: UnitOfWork, principal: Principal, data: EngagementCreate) -> EngagementPublic:
    require_write(principal)
    try:
        client = load_client(uow, principal, data.client_id)
    except NotFound as exc:
        raise Invalid(
            "unknown client", [{"field": "client_id", "message": f"no client {data.client_id}"}]
        ) from exc
    row = uow.engagements.create(id=new_id("en"), **data.model_dump())
    audit.record(uow, principal, "engagement.create", client_id=client.id, engagement_id=row.id)
    uow.commit()
    return to_public(row)


def get_engagement(uow: UnitOfWork, principal: Principal, engagement_id: str) -> EngagementPublic:
    return to_public(load_engagement(uow, principal, engagement_id))


def list_engagements(
    uow: UnitOfWork,
    principal: Principal,
    *,
    client_id: str | None = None,
    include_archived: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> Page[EngagementPublic]:
    if client_id is not None:
        require_client(principal, client_id)
        scope: list[str] | None = [client_id]
    else:
        scope = client_scope(principal)
    rows, count = uow.engagements.list(
        client_ids=scope, include_archived=include_archived, limit=limit, offset=offset
    )
    return Page[EngagementPublic](data=[to_public(r) for r in rows], count=count)


def update_engagement(
    uow: UnitOfWork, principal: Principal, engagement_id: str, data: EngagementUpdate
) -> EngagementPublic:
    require_write(principal)
    row = load_engagement(uow, principal, engagement_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    for key, value in changes.items():
        setattr(row, key, value)
    audit.record(
        uow,
        principal,
        "engagement.update",
        client_id=row.client_id,
        engagement_id=row.id,
        data={"fields": sorted(changes)},
    )
    uow.commit()
    return to_public(row)


def archive_engagement(uow: UnitOfWork, principal: Principal, engagement_id: str) -> EngagementPublic:
    require_write(principal)
    row = load_engagement(uow, principal, engagement_id)
    row.archived = True
    audit.record(uow, principal, "engagement.archive", client_id=row.client_id, engagement_id=row.id)
    uow.commit()
    return to_public(row)
