"""Leads (SPEC §7): a client's lead list, one by one or from a CSV, and their status moves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.leads import LeadCreate, LeadImport, LeadImportResult, LeadMove, LeadPublic
from aicmo.entrypoints.api.deps import Limit, Offset, PrincipalDep, UowDep
from aicmo.services import leads

router = APIRouter(prefix="/leads", tags=["leads"])
LeadId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
ClientQuery = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


@router.get("")
def list_leads(
    client_id: ClientQuery,
    uow: UowDep,
    principal: PrincipalDep,
    status_: Annotated[str | None, Query(alias="status", max_length=32)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[LeadPublic]:
    """A client's leads, best score first (optionally one status; legacy labels are read too)."""
    return leads.list_leads(uow, principal, client_id, status=status_, limit=limit, offset=offset)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_lead(body: LeadCreate, uow: UowDep, principal: PrincipalDep) -> LeadPublic:
    """A new lead (NEW, scored); 409 when the client already has a lead with that e-mail."""
    return leads.create_lead(uow, principal, body)


@router.post("/import")
def import_leads(body: LeadImport, uow: UowDep, principal: PrincipalDep) -> LeadImportResult:
    """Import a CSV: new e-mails become NEW leads, repeats and known e-mails are counted, bad rows
    are listed by row and field; nothing already saved is changed."""
    return leads.import_leads(uow, principal, body)


@router.get("/{lead_id}")
def get_lead(lead_id: LeadId, uow: UowDep, principal: PrincipalDep) -> LeadPublic:
    return leads.to_public(leads.load_lead(uow, principal, lead_id))


@router.post("/{lead_id}/status")
def move_lead(lead_id: LeadId, body: LeadMove, uow: UowDep, principal: PrincipalDep) -> LeadPublic:
    """Move the lead to another status: legal moves only (409 INVALID_TRANSITION names the allowed
    ones), on the version you saw (409 CONFLICT otherwise)."""
    return leads.move_lead(uow, principal, lead_id, body)
