"""Client use cases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aicmo.domain.errors import Invalid, NotFound
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.resources import ClientCreate, ClientPublic, ClientUpdate
from aicmo.services import audit
from aicmo.services.access import client_scope, require_client, require_write
from aicmo.services.context import new_id
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ClientRow


def to_public(row: ClientRow) -> ClientPublic:
    return ClientPublic.model_validate(row, from_attributes=True)


def load_client(uow: UnitOfWork, principal: Principal, client_id: str) -> ClientRow:
    require_client(principal, client_id)
    row = uow.clients.get(client_id)
    if row is None:
        raise NotFound(f"client {client_id} not found")
    return row


def find_client(uow: UnitOfWork, principal: Principal, ref: str) -> ClientPublic | None:
    """The live client whose id is `ref`, else the one named `ref` (case-insensitive); None when there
    is none. Two clients of that name are an error naming both ids, never a guess."""
    row = uow.clients.get(ref)
    if row is not None and not row.archived:
        require_client(principal, row.id)
        return to_public(row)
    scope = client_scope(principal)
    rows = [r for r in uow.clients.named(ref) if scope is None or r.id in scope]
    if len(rows) > 1:
        ids = ", ".join(r.id for r in rows)
        raise Invalid(
            f"{len(rows)} clients are named {ref!r} ({ids}): give the id",
            [{"field": "client", "message": f"ambiguous name; ids: {ids}"}],
        )
    return to_public(rows[0]) if rows else None


def create_client(uow: UnitOfWork, principal: Principal, data: ClientCreate) -> ClientPublic:
    require_write(principal)
    row = uow.clients.create(id=new_id("cl"), **data.model_dump())
    audit.record(uow, principal, "client.create", client_id=row.id, comment=row.name)
    uow.commit()
    return to_public(row)


def get_client(uow: UnitOfWork, principal: Principal, client_id: str) -> ClientPublic:
    return to_public(load_client(uow, principal, client_id))


def list_clients(
    uow: UnitOfWork, principal: Principal, *, include_archived: bool = False, limit: int = 50, offset: int = 0
) -> Page[ClientPublic]:
    rows, count = uow.clients.list(
        only_ids=client_scope(principal), include_archived=include_archived, limit=limit, offset=offset
    )
    return Page[ClientPublic](data=[to_public(r) for r in rows], count=count)


def update_client(uow: UnitOfWork, principal: Principal, client_id: str, data: ClientUpdate) -> ClientPublic:
    require_write(principal)
    row = load_client(uow, principal, client_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    for key, value in changes.items():
        setattr(row, key, value)
    audit.record(uow, principal, "client.update", client_id=row.id, data={"fields": sorted(changes)})
    uow.commit()
    return to_public(row)


def archive_client(uow: UnitOfWork, principal: Principal, client_id: str) -> ClientPublic:
    """Clients are archived, never deleted: their artifacts and audit trail stay."""
    require_write(principal)
    row = load_client(uow, principal, client_id)
    row.archived = True
    audit.record(uow, principal, "client.archive", client_id=row.id)
    uow.commit()
    return to_public(row)
