"""Lead use cases (SPEC §7): add one, import a CSV with dedupe by e-mail, move through statuses.

Every lead belongs to a client and is unique by e-mail there. Its score is recomputed whenever the
lead changes, against the target audience of the engagement's approved brief when it has one.
"""

from __future__ import annotations

import base64
import binascii

from aicmo.adapters.db.tables import LeadRow
from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.contacts import normalise_phone
from aicmo.domain.csv_files import decode_bytes
from aicmo.domain.errors import Conflict, Invalid, InvalidTransition, NotFound
from aicmo.domain.leads import (
    LeadStatus,
    audience_terms,
    move_problem,
    normalise_email,
    parse_leads_csv,
    parse_status,
    score_lead,
)
from aicmo.domain.locale import region_of
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.leads import LeadCreate, LeadImport, LeadImportResult, LeadMove, LeadPublic
from aicmo.services import audit
from aicmo.services.access import require_write
from aicmo.services.clients import load_client
from aicmo.services.context import new_id
from aicmo.services.engagements import load_engagement
from aicmo.services.unit_of_work import UnitOfWork


def to_public(row: LeadRow) -> LeadPublic:
    return LeadPublic.model_validate(row, from_attributes=True)


def _audience(uow: UnitOfWork, principal: Principal, client_id: str, engagement_id: str | None) -> list[str]:
    """Words of the target audience in the engagement's approved brief ([] without one)."""
    return audience_terms(
        str(_approved_brief(uow, principal, client_id, engagement_id).get("target_audience", ""))
    )


def _region(brief: dict[str, object]) -> str:
    """The client's country (ISO alpha-2) from the brief, for reading national phone numbers."""
    return region_of(str(brief.get("geography") or ""), str(brief.get("timezone") or ""))


def _approved_brief(
    uow: UnitOfWork, principal: Principal, client_id: str, engagement_id: str | None
) -> dict[str, object]:
    """The engagement's approved brief ({} without one)."""
    if engagement_id is None:
        return {}
    engagement = load_engagement(uow, principal, engagement_id)
    if engagement.client_id != client_id:
        raise Invalid(
            "the engagement belongs to another client",
            [{"field": "engagement_id", "message": f"not an engagement of client {client_id}"}],
        )
    intake = uow.artifacts.by_engagement(engagement_id).get(Module.INTAKE.value)
    if intake is None or intake.status != ArtifactStatus.APPROVED.value:
        return {}
    return dict(intake.content)


def _rescore(row: LeadRow, terms: list[str]) -> None:
    fields = {
        "email": row.email,
        "title": row.title,
        "company": row.company,
        "notes": row.notes,
        "source": row.source,
    }
    score = score_lead(fields, LeadStatus(row.status), terms)
    row.score = score.total
    row.score_reasons = list(score.reasons)


def create_lead(uow: UnitOfWork, principal: Principal, data: LeadCreate) -> LeadPublic:
    require_write(principal)
    load_client(uow, principal, data.client_id)
    brief = _approved_brief(uow, principal, data.client_id, data.engagement_id)
    terms = audience_terms(str(brief.get("target_audience", "")))
    email = normalise_email(str(data.email))
    try:
        phone = normalise_phone(data.phone, _region(brief))
    except ValueError as exc:
        raise Invalid(str(exc), [{"field": "phone", "message": str(exc)}]) from None
    if uow.leads.by_email(data.client_id, email) is not None:
        raise Conflict(
            f"{email} is already a lead of this client", [{"field": "email", "message": "already a lead"}]
        )
    fields = data.model_dump() | {"email": email, "phone": phone}
    row = LeadRow(id=new_id("ld"), status=LeadStatus.NEW.value, **fields)
    _rescore(row, terms)
    uow.leads.add(row)
    audit.record(
        uow, principal, "lead.create", client_id=row.client_id, engagement_id=row.engagement_id, comment=email
    )
    uow.commit()
    return to_public(row)


def import_leads(uow: UnitOfWork, principal: Principal, data: LeadImport) -> LeadImportResult:
    """New e-mails become NEW leads; e-mails the client already has are left as they are."""
    require_write(principal)
    load_client(uow, principal, data.client_id)
    brief = _approved_brief(uow, principal, data.client_id, data.engagement_id)
    terms = audience_terms(str(brief.get("target_audience", "")))
    text, encoding = _csv_text(data)
    parsed = parse_leads_csv(text, region=_region(brief))
    if not parsed.rows and parsed.errors and parsed.errors[0].field == "csv":
        raise Invalid(parsed.errors[0].message, [e.as_dict() for e in parsed.errors])
    known = uow.leads.emails(data.client_id)
    created = 0
    for lead in parsed.rows:
        if lead.email in known:
            continue
        row = LeadRow(
            id=new_id("ld"),
            client_id=data.client_id,
            engagement_id=data.engagement_id,
            status=LeadStatus.NEW.value,
            **vars(lead),
        )
        _rescore(row, terms)
        uow.leads.add(row)
        known.add(lead.email)
        created += 1
    already = len(parsed.rows) - created
    audit.record(
        uow,
        principal,
        "lead.import",
        client_id=data.client_id,
        engagement_id=data.engagement_id,
        data={
            "created": created,
            "duplicates": parsed.duplicates,
            "known": already,
            "skipped": len(parsed.errors),
        },
    )
    uow.commit()
    return LeadImportResult(
        created=created,
        duplicates_in_file=parsed.duplicates,
        already_known=already,
        skipped=[{"field": e.field, "message": e.message} for e in parsed.errors],
        encoding=encoding,
        delimiter=parsed.delimiter,
    )


def _csv_text(data: LeadImport) -> tuple[str, str]:
    """The CSV's text and the encoding it was read in (JSON text is Unicode: utf-8)."""
    if data.csv is not None:
        return data.csv, "utf-8"
    try:
        raw = base64.b64decode(data.csv_base64 or "", validate=True)
    except (binascii.Error, ValueError):
        message = "csv_base64 is not base64 (send the file's bytes base64-encoded)"
        raise Invalid(message, [{"field": "csv_base64", "message": message}]) from None
    try:
        decoded = decode_bytes(raw)
    except ValueError as exc:
        raise Invalid(str(exc), [{"field": "csv_base64", "message": str(exc)}]) from None
    return decoded.text, decoded.encoding


def list_leads(
    uow: UnitOfWork,
    principal: Principal,
    client_id: str,
    *,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[LeadPublic]:
    """A client's leads, best score first."""
    load_client(uow, principal, client_id)
    wanted = _status(status).value if status else None
    rows, count = uow.leads.list(client_id=client_id, status=wanted, limit=limit, offset=offset)
    return Page[LeadPublic](data=[to_public(r) for r in rows], count=count)


def load_lead(uow: UnitOfWork, principal: Principal, lead_id: str) -> LeadRow:
    row = uow.leads.get(lead_id)
    if row is None or not principal.can_read_client(row.client_id):
        raise NotFound(f"lead {lead_id} not found")
    return row


def move_lead(uow: UnitOfWork, principal: Principal, lead_id: str, data: LeadMove) -> LeadPublic:
    """A legal status move only, on the version the caller saw; recorded in the audit trail."""
    require_write(principal)
    row = load_lead(uow, principal, lead_id)
    target = _status(data.status)
    if row.row_version != data.expected_version:
        raise Conflict(
            f"lead {lead_id} is at version {row.row_version}, not {data.expected_version}: reload it",
            [{"field": "expected_version", "message": f"current version is {row.row_version}"}],
        )
    current = LeadStatus(row.status)
    if problem := move_problem(current, target):
        raise InvalidTransition(problem, action=f"move to {target}", status=current.value)
    row.status = target.value
    _rescore(row, _audience(uow, principal, row.client_id, row.engagement_id))
    audit.record(
        uow,
        principal,
        "lead.move",
        client_id=row.client_id,
        engagement_id=row.engagement_id,
        from_status=current.value,
        to_status=target.value,
        comment=data.reason or row.email,
    )
    uow.commit()
    return to_public(row)


def _status(label: str) -> LeadStatus:
    try:
        return parse_status(label)
    except ValueError as exc:
        raise Invalid(str(exc), [{"field": "status", "message": str(exc)}]) from None
