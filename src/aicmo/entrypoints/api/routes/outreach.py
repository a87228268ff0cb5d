"""Outreach (SPEC §7): sequences, enrolment by tier or filter, runs through the SMTP adapter,
what was sent, the suppression list, and the public unsubscribe link carried by every e-mail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import HTMLResponse

from aicmo.domain.schemas.outreach import (
    Enrol,
    EnrolResult,
    RunRequest,
    RunResult,
    SequenceCreate,
    SequencePublic,
    SuppressionAdd,
    SuppressionPublic,
)
from aicmo.entrypoints.api.deps import AppDep, PrincipalDep, UowDep
from aicmo.services import outreach

router = APIRouter(prefix="/outreach", tags=["outreach"])
SequenceId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
ClientQuery = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
Token = Annotated[str, Path(max_length=200)]


@router.post("/sequences", status_code=status.HTTP_201_CREATED)
def create_sequence(
    body: SequenceCreate, request: Request, app: AppDep, uow: UowDep, principal: PrincipalDep
) -> SequencePublic:
    """A sequence: steps (channel, wait, template with required variables; a template with an
    unknown variable or a placeholder that can never be filled is refused), daily caps per
    channel, quiet hours in the recipient's time zone, sender and postal address."""
    base = app.settings.public_url or str(request.base_url)
    return outreach.create_sequence(uow, principal, body, unsubscribe_base=base)


@router.get("/sequences")
def list_sequences(client_id: ClientQuery, uow: UowDep, principal: PrincipalDep) -> list[SequencePublic]:
    return outreach.list_sequences(uow, principal, client_id)


@router.get("/sequences/{sequence_id}")
def get_sequence(sequence_id: SequenceId, uow: UowDep, principal: PrincipalDep) -> SequencePublic:
    return outreach.get_sequence(uow, principal, sequence_id)


@router.post("/sequences/{sequence_id}/enrol")
def enrol(sequence_id: SequenceId, body: Enrol, uow: UowDep, principal: PrincipalDep) -> EnrolResult:
    """Enrol leads by tier, ids, status, search or minimum score; suppressed ones are named, not enrolled."""
    return outreach.enrol(uow, principal, sequence_id, body)


@router.post("/sequences/{sequence_id}/run")
def run_sequence(
    sequence_id: SequenceId, body: RunRequest, app: AppDep, uow: UowDep, principal: PrincipalDep
) -> RunResult:
    """Send every due step the rules allow now (SMTP); each one not sent is listed with why."""
    return outreach.run(uow, principal, app.mailer, sequence_id, limit=body.limit)


@router.get("/sequences/{sequence_id}/sends")
def list_sends(sequence_id: SequenceId, uow: UowDep, principal: PrincipalDep) -> list[dict[str, str]]:
    """Every send attempt of the sequence with the SMTP server's reply or the error."""
    return outreach.sends(uow, principal, sequence_id)


@router.post("/suppressions")
def add_suppressions(body: SuppressionAdd, uow: UowDep, principal: PrincipalDep) -> list[SuppressionPublic]:
    """Addresses the client must not contact; their running sequences stop."""
    return outreach.add_suppressions(uow, principal, body)


@router.get("/suppressions")
def list_suppressions(
    client_id: ClientQuery, uow: UowDep, principal: PrincipalDep
) -> list[SuppressionPublic]:
    return outreach.list_suppressions(uow, principal, client_id)


public = APIRouter(tags=["outreach"])
_DONE = (
    "<!doctype html><html lang='en'><meta charset='utf-8'><title>Unsubscribed</title>"
    "<body><p>You are unsubscribed: no more e-mails from this sender.</p></body></html>"
)


@public.get("/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_page(token: Token, uow: UowDep) -> HTMLResponse:
    """The link in every outreach e-mail (public: the token is the credential)."""
    outreach.unsubscribe(uow, token)
    return HTMLResponse(_DONE)


@public.post("/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_one_click(token: Token, uow: UowDep) -> HTMLResponse:
    """RFC 8058 one-click unsubscribe (List-Unsubscribe-Post)."""
    outreach.unsubscribe(uow, token)
    return HTMLResponse(_DONE)


router.include_router(public)
