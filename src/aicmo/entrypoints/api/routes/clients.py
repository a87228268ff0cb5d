from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.resources import ClientCreate, ClientPublic, ClientUpdate
from aicmo.entrypoints.api.deps import Limit, Offset, PrincipalDep, UowDep
from aicmo.services import clients

router = APIRouter(prefix="/clients", tags=["clients"])
ClientId = Annotated[str, Path(max_length=64)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_client(body: ClientCreate, uow: UowDep, principal: PrincipalDep) -> ClientPublic:
    return clients.create_client(uow, principal, body)


@router.get("")
def list_clients(
    uow: UowDep,
    principal: PrincipalDep,
    limit: Limit = 50,
    offset: Offset = 0,
    include_archived: bool = False,
) -> Page[ClientPublic]:
    return clients.list_clients(uow, principal, include_archived=include_archived, limit=limit, offset=offset)


@router.get("/{client_id}")
def get_client(client_id: ClientId, uow: UowDep, principal: PrincipalDep) -> ClientPublic:
    return clients.get_client(uow, principal, client_id)


@router.patch("/{client_id}")
def update_client(
    client_id: ClientId, body: ClientUpdate, uow: UowDep, principal: PrincipalDep
) -> ClientPublic:
    return clients.update_client(uow, principal, client_id, body)


@router.delete("/{client_id}")
def archive_client(client_id: ClientId, uow: UowDep, principal: PrincipalDep) -> ClientPublic:
    """Archive (never hard-delete): artifacts and the audit trail are kept."""
    return clients.archive_client(uow, principal, client_id)
