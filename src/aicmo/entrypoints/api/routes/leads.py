"""Leads (SPEC §7): a client's lead list, one by one or from a CSV in import batches (listed,
undone), search, filters, CSV export, status moves one by one or in bulk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from aicmo.domain.leads import LeadFilter
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.leads import (
    LeadBatchPublic,
    LeadBulkMove,
    LeadBulkMoveResult,
    LeadCreate,
    LeadEvent,
    LeadImport,
    LeadImportResult,
    LeadMove,
    LeadPublic,
)
from aicmo.entrypoints.api.deps import Limit, Offset, PrincipalDep, UowDep
from aicmo.services import leads, outreach

router = APIRouter(prefix="/leads", tags=["leads"])
LeadId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
BatchId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
ClientQuery = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
StatusQuery = Annotated[str | None, Query(alias="status", max_length=32)]
TierQuery = Annotated[str | None, Query(max_length=8, description="HOT, WARM, COOL or COLD.")]
SearchQuery = Annotated[
    str, Query(max_length=200, description="Part of the e-mail, name, company, city or title.")
]
BatchQuery = Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
MinScore = Annotated[int | None, Query(ge=0, le=100)]


def _filters(
    status_: StatusQuery = None,
    tier: TierQuery = None,
    q: SearchQuery = "",
    batch_id: BatchQuery = None,
    min_score: MinScore = None,
) -> LeadFilter:
    """Status (legacy labels are read too), tier, import batch, minimum score, search text."""
    return leads.lead_filter(status=status_, tier=tier, q=q, batch_id=batch_id, min_score=min_score)


Filters = Annotated[LeadFilter, Depends(_filters)]


@router.get("")
def list_leads(
    client_id: ClientQuery,
    uow: UowDep,
    principal: PrincipalDep,
    filters: Filters,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[LeadPublic]:
    """A client's leads, best score first: filter by status, tier, import batch, minimum score and
    search text."""
    return leads.list_leads(uow, principal, client_id, filters=filters, limit=limit, offset=offset)


@router.get("/export", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def export_leads(client_id: ClientQuery, uow: UowDep, principal: PrincipalDep, filters: Filters) -> Response:
    """The filtered leads as a CSV file (the import's columns plus status, score, tier, enrichment)."""
    text = leads.export_csv(uow, principal, client_id, filters)
    return Response(
        content=text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="leads-{client_id}.csv"'},
    )


@router.post("", status_code=status.HTTP_201_CREATED)
def create_lead(body: LeadCreate, uow: UowDep, principal: PrincipalDep) -> LeadPublic:
    """A new lead (NEW, scored); 409 when the client already has a lead with that e-mail."""
    return leads.create_lead(uow, principal, body)


@router.post("/import")
def import_leads(body: LeadImport, uow: UowDep, principal: PrincipalDep) -> LeadImportResult:
    """Import a CSV as one batch: new e-mails become NEW leads, repeats and known e-mails are
    counted, bad rows are listed by row and field (every good row is kept); nothing already saved
    is changed. `columns` maps headers the aliases do not know."""
    return leads.import_leads(uow, principal, body)


@router.get("/batches")
def list_batches(client_id: ClientQuery, uow: UowDep, principal: PrincipalDep) -> list[LeadBatchPublic]:
    """A client's CSV imports, newest first: what each created, skipped, and whether it was undone."""
    return leads.list_batches(uow, principal, client_id)


@router.post("/batches/{batch_id}/undo")
def undo_batch(batch_id: BatchId, uow: UowDep, principal: PrincipalDep) -> LeadBatchPublic:
    """Remove the batch's leads nobody has worked yet (NEW, ENRICHED); worked ones are kept and
    counted. 409 when the batch was already undone."""
    return leads.undo_batch(uow, principal, batch_id)


@router.post("/bulk-status")
def bulk_move(body: LeadBulkMove, uow: UowDep, principal: PrincipalDep) -> LeadBulkMoveResult:
    """Move many leads to one status: legal moves are made, the others are listed with why."""
    return leads.bulk_move(uow, principal, body)


@router.get("/{lead_id}")
def get_lead(lead_id: LeadId, uow: UowDep, principal: PrincipalDep) -> LeadPublic:
    return leads.to_public(leads.load_lead(uow, principal, lead_id))


@router.post("/{lead_id}/status")
def move_lead(lead_id: LeadId, body: LeadMove, uow: UowDep, principal: PrincipalDep) -> LeadPublic:
    """Move the lead to another status: legal moves only (409 INVALID_TRANSITION names the allowed
    ones), on the version you saw (409 CONFLICT otherwise)."""
    return leads.move_lead(uow, principal, lead_id, body)


@router.post("/{lead_id}/events")
def record_event(lead_id: LeadId, body: LeadEvent, uow: UowDep, principal: PrincipalDep) -> LeadPublic:
    """An open, click or reply (engagement: the score and tier follow); a reply stops the lead's
    sequences, a bounce or an unsubscribe also puts the address on the suppression list."""
    return outreach.record_event(uow, principal, lead_id, body)
