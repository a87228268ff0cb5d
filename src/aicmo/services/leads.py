"""Lead use cases (SPEC §7): add one, import a CSV in batches (listed, undone), search, filter,
export, move through statuses one by one or in bulk.

Every lead belongs to a client and is unique by e-mail there. Its score and tier are recomputed
whenever the lead changes, against the client's ICP: the engagement's approved strategy (its ICP)
and approved brief (target audience, geography). Enrichment (company domain, free-mail, role
account, seniority) is offline and recomputed with the score.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from itertools import compress, count, islice
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING, Any

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.contacts import normalise_phone
from aicmo.domain.csv_files import decode_bytes
from aicmo.domain.errors import Conflict, Invalid, InvalidTransition, NotFound
from aicmo.domain.leads import (
    FIELDS,
    Icp,
    LeadFilter,
    LeadStatus,
    check_timezone,
    enrich,
    icp_from,
    move_problem,
    normalise_email,
    parse_status,
    read_leads_csv,
    role_accounts,
    score_lead,
)
from aicmo.domain.locale import region_of
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.leads import (
    LeadBatchPublic,
    LeadBulkMove,
    LeadBulkMoveResult,
    LeadCreate,
    LeadImport,
    LeadImportResult,
    LeadMove,
    LeadPublic,
)
from aicmo.services import audit
from aicmo.services.access import require_write
from aicmo.services.clients import load_client
from aicmo.services.context import new_id
from aicmo.services.engagements import load_engagement
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import LeadRow

UNDOABLE = (LeadStatus.NEW.value, LeadStatus.ENRICHED.value)  # an undo never removes worked leads
EXPORT_COLUMNS = (
    "id",
    *FIELDS,
    "status",
    "score",
    "tier",
    "company_domain",
    "free_mail",
    "role_account",
    "seniority",
    "opens",
    "clicks",
    "replies",
    "batch_id",
    "created_at",
)


def to_public(row: LeadRow) -> LeadPublic:
    return LeadPublic.model_validate(row, from_attributes=True)


def _approved(
    uow: UnitOfWork, principal: Principal, client_id: str, engagement_id: str | None
) -> dict[str, dict]:
    """The engagement's approved brief and strategy contents ({} without an engagement)."""
    if engagement_id is None:
        return {}
    engagement = load_engagement(uow, principal, engagement_id)
    if engagement.client_id != client_id:
        raise Invalid(
            "the engagement belongs to another client",
            [{"field": "engagement_id", "message": f"not an engagement of client {client_id}"}],
        )
    artifacts = uow.artifacts.by_engagement(engagement_id)

    def approved(module: Module) -> dict[str, dict]:
        row = artifacts.get(module.value)
        if row is None or row.status != ArtifactStatus.APPROVED.value:
            return {}
        return {module.value: dict(row.content)}

    return approved(Module.INTAKE) | approved(Module.STRATEGY)


def client_icp(
    uow: UnitOfWork, principal: Principal, client_id: str, engagement_id: str | None
) -> tuple[Icp, str]:
    """The ICP leads are measured against and the client's country (reading national phones)."""
    approved = _approved(uow, principal, client_id, engagement_id)
    brief = approved.get(Module.INTAKE.value, {})
    country = region_of(str(brief.get("geography") or ""), str(brief.get("timezone") or ""))
    return icp_from(approved.get(Module.STRATEGY.value), brief), country


def derived(fields: Mapping[str, Any], status: LeadStatus, icp: Icp, now: datetime) -> dict[str, Any]:
    """The columns computed from a lead's own: enrichment, score, tier and reasons."""
    facts = enrich(str(fields.get("email") or ""), str(fields.get("title") or ""))
    score = score_lead(fields, status, icp, now)
    return {
        "company_domain": facts.company_domain,
        "free_mail": facts.free_mail,
        "role_account": facts.role_account,
        "seniority": facts.seniority.value,
        "score": score.total,
        "tier": score.tier.value,
        "score_reasons": list(score.reasons),
    }


_DOMAIN = itemgetter(2)
_KEYED = ("title", "company", "notes", "source", "campaign", "city", "region")
_SCORED = ("email", "title", "company", "notes", "source", "campaign", "phone", "city", "region")
_ENGAGED = ("opens", "clicks", "replies", "last_activity_at")


def _score_slots(table: Mapping[str, list[Any]], numbered: dict[tuple[Any, ...], int]) -> list[int]:
    """Each new lead's place among the distinct things a score and enrichment depend on (numbered
    as first met, in `numbered`, across the parts of an import): its e-mail domain and, for a role
    account, the local part (the score names it); whether it has a phone, not which; every other
    scored field the file has, as it is. Rows with the same place are scored once. Only the
    distinct keys are kept (not a tuple per row)."""
    emails = table["email"]
    roles = role_accounts(emails, lowered=True)  # checked e-mails are lower case
    domains = list(map(_DOMAIN, map(methodcaller("rpartition", "@"), emails)))
    role = (
        [e.partition("@")[0] if r else "" for e, r in zip(emails, roles, strict=True)] if any(roles) else None
    )

    varying = [name for name in _KEYED if name in table]  # a field the file lacks is the same for all

    parts: list[Iterable[Any]] = [domains, *(table[name] for name in varying)]
    if role is not None:
        parts.append(role)
    if "phone" in table:
        parts.append(map(bool, table["phone"]))
    return [numbered.setdefault(key, len(numbered)) for key in zip(*parts, strict=True)]


def _scored(table: Mapping[str, list[Any]], absent: Mapping[str, Any], row: int) -> dict[str, Any]:
    """One row's scored fields."""
    return {name: table[name][row] if name in table else absent[name] for name in _SCORED}


def rescore(row: LeadRow, icp: Icp, now: datetime | None = None) -> None:
    fields = {key: getattr(row, key) for key in (*_SCORED, *_ENGAGED)}
    for key, value in derived(fields, LeadStatus(row.status), icp, now or datetime.now(UTC)).items():
        setattr(row, key, value)


def rescore_lead(uow: UnitOfWork, principal: Principal, row: LeadRow) -> None:
    rescore(row, client_icp(uow, principal, row.client_id, row.engagement_id)[0])


def create_lead(uow: UnitOfWork, principal: Principal, data: LeadCreate) -> LeadPublic:
    require_write(principal)
    load_client(uow, principal, data.client_id)
    icp, country = client_icp(uow, principal, data.client_id, data.engagement_id)
    email = normalise_email(str(data.email))
    try:
        phone = normalise_phone(data.phone, country)
    except ValueError as exc:
        raise Invalid(str(exc), [{"field": "phone", "message": str(exc)}]) from None
    try:
        zone = check_timezone(data.timezone)
    except ValueError as exc:
        raise Invalid(str(exc), [{"field": "timezone", "message": str(exc)}]) from None
    if uow.leads.by_email(data.client_id, email) is not None:
        raise Conflict(
            f"{email} is already a lead of this client", [{"field": "email", "message": "already a lead"}]
        )
    fields = data.model_dump() | {"email": email, "phone": phone, "timezone": zone}
    if not fields["name"]:
        fields["name"] = f"{data.first_name} {data.last_name}".strip()
    row = uow.leads.create(id=new_id("ld"), status=LeadStatus.NEW.value, **fields)
    rescore(row, icp)
    audit.record(
        uow, principal, "lead.create", client_id=row.client_id, engagement_id=row.engagement_id, comment=email
    )
    uow.commit()
    return to_public(row)


def import_leads(uow: UnitOfWork, principal: Principal, data: LeadImport) -> LeadImportResult:
    """New e-mails become NEW leads of one import batch; e-mails the client already has are left
    as they are; bad rows are skipped and named (row number and field), the good ones all kept."""
    text, encoding = _csv_text(data)
    return import_text(
        uow,
        principal,
        data.client_id,
        text,
        engagement_id=data.engagement_id,
        encoding=encoding,
        filename=data.filename,
        columns=data.columns,
    )


def imported_lead_values(
    client_id: str, engagement_id: str | None, batch_id: str, now: datetime
) -> dict[str, Any]:
    """What every lead of an import starts with, besides the fields its file has."""
    return {
        "client_id": client_id,
        "engagement_id": engagement_id,
        "batch_id": batch_id,
        "status": LeadStatus.NEW.value,
        "opens": 0,
        "clicks": 0,
        "replies": 0,
        "last_activity_at": None,
        "row_version": 1,
        "created_at": now,
        "updated_at": now,
    }


def import_text(
    uow: UnitOfWork,
    principal: Principal,
    client_id: str,
    text: str,
    *,
    engagement_id: str | None = None,
    encoding: str = "utf-8",
    filename: str = "",
    columns: Mapping[str, str] | None = None,
) -> LeadImportResult:
    """Import a CSV's text a part at a time: each part's good rows are scored and handed to the
    repository's bulk insert, which stores them (on SQLite, on a thread of its own) while the next
    part is checked. One transaction: an import is stored whole or not at all."""
    require_write(principal)
    load_client(uow, principal, client_id)
    icp, country = client_icp(uow, principal, client_id, engagement_id)
    try:
        parsed, parts = read_leads_csv(text, country=country, mapping=columns)
    except ValueError as exc:
        raise Invalid(str(exc), [{"field": "columns", "message": str(exc)}]) from None
    if parsed.errors and parsed.errors[0].field == "csv":  # no e-mail column: nothing to read
        raise Invalid(parsed.errors[0].message, [e.as_dict() for e in parsed.errors])
    known = uow.leads.emails(client_id)
    now = datetime.now(UTC)
    batch = uow.leads.create_batch(
        id=new_id("lb"),
        client_id=client_id,
        engagement_id=engagement_id,
        filename=filename[:300],
        actor=principal.name[:200],
        rows_read=0,
        duplicates=0,
        skipped=[],
        columns={k: v for k, v in parsed.columns.items() if k},
        created_at=now,
        removed=0,
        kept=0,
        created=0,
        known=0,
    )
    common = imported_lead_values(client_id, engagement_id, batch.id, now) | parsed.absent
    ids = map(f"ld_{uuid.uuid4().hex[:12]}{{:012x}}".format, count())
    numbered: dict[tuple[Any, ...], int] = {}  # the distinct scored fields met so far -> their set
    good = created = 0
    with uow.leads.bulk_insert(common) as writer:
        for part in parts:
            good += len(part["email"])
            if known and not known.isdisjoint(part["email"]):  # e-mails the client has: left as they are
                fresh = [email not in known for email in part["email"]]
                part = {name: list(compress(values, fresh)) for name, values in part.items()}
                if not part["email"]:
                    continue
            before = len(numbered)
            slots = _score_slots(part, numbered)  # lists repeat companies, titles, sources
            first = dict(zip(reversed(slots), reversed(range(len(slots))), strict=True))  # a set's first row
            shared = [
                derived(_scored(part, parsed.absent, first[slot]), LeadStatus.NEW, icp, now)
                for slot in range(before, len(numbered))
            ]
            writer.add({"id": list(islice(ids, len(slots))), **part}, shared, slots)
            created += len(slots)
    if not good and parsed.errors and parsed.errors[0].field == "csv":  # malformed before any good row
        raise Invalid(parsed.errors[0].message, [e.as_dict() for e in parsed.errors])
    batch.rows_read = parsed.rows_read
    batch.duplicates = parsed.duplicates
    batch.skipped = [{"field": e.field, "message": e.message} for e in parsed.errors]
    batch.created = created
    batch.known = good - created
    audit.record(
        uow,
        principal,
        "lead.import",
        client_id=client_id,
        engagement_id=engagement_id,
        comment=batch.id,
        data={
            "created": batch.created,
            "duplicates": batch.duplicates,
            "known": batch.known,
            "skipped": len(parsed.errors),
        },
    )
    uow.commit()
    return LeadImportResult(
        created=batch.created,
        duplicates_in_file=parsed.duplicates,
        already_known=batch.known,
        skipped=batch.skipped,
        encoding=encoding,
        delimiter=parsed.delimiter,
        batch_id=batch.id,
        rows_read=parsed.rows_read,
        columns=parsed.columns,
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


def lead_filter(
    *,
    status: str | None = None,
    tier: str | None = None,
    q: str = "",
    batch_id: str | None = None,
    min_score: int | None = None,
) -> LeadFilter:
    """A filter from query parameters: statuses and tiers read as labels (400 naming the field)."""
    wanted_tier = None
    if tier:
        wanted_tier = tier.strip().upper()
        if wanted_tier not in ("HOT", "WARM", "COOL", "COLD"):
            message = f"unknown tier {tier!r}; use HOT, WARM, COOL or COLD"
            raise Invalid(message, [{"field": "tier", "message": message}])
    return LeadFilter(
        status=_status(status).value if status else None,
        tier=wanted_tier,
        q=(q or "").strip(),
        batch_id=batch_id or None,
        min_score=min_score,
    )


def list_leads(
    uow: UnitOfWork,
    principal: Principal,
    client_id: str,
    *,
    status: str | None = None,
    filters: LeadFilter | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[LeadPublic]:
    """A client's leads, best score first, filtered."""
    load_client(uow, principal, client_id)
    filters = filters or lead_filter(status=status)
    rows, count = uow.leads.list(client_id=client_id, filters=filters, limit=limit, offset=offset)
    return Page[LeadPublic](data=[to_public(r) for r in rows], count=count)


def export_csv(
    uow: UnitOfWork, principal: Principal, client_id: str, filters: LeadFilter | None = None
) -> str:
    """The filtered leads as CSV (best score first): the import's columns plus status, score,
    tier, enrichment and engagement, so an export imports back."""
    load_client(uow, principal, client_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    offset = 0
    while True:
        rows, _ = uow.leads.list(
            client_id=client_id, filters=filters or LeadFilter(), limit=5000, offset=offset
        )
        for row in rows:
            writer.writerow([_cell(getattr(row, column)) for column in EXPORT_COLUMNS])
        if len(rows) < 5000:
            return out.getvalue()
        offset += 5000


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat()
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not text[1:2].isdigit() else text  # no formulas


def list_batches(uow: UnitOfWork, principal: Principal, client_id: str) -> list[LeadBatchPublic]:
    load_client(uow, principal, client_id)
    return [LeadBatchPublic.model_validate(b, from_attributes=True) for b in uow.leads.batches(client_id)]


def undo_batch(uow: UnitOfWork, principal: Principal, batch_id: str) -> LeadBatchPublic:
    """Remove the leads an import created that nobody has worked yet (NEW or ENRICHED); leads
    already contacted or further are kept and counted. An undone batch cannot be undone again."""
    require_write(principal)
    batch = uow.leads.batch(batch_id)
    if batch is None or not principal.can_read_client(batch.client_id):
        raise NotFound(f"import batch {batch_id} not found")
    if batch.undone_at is not None:
        raise Conflict(
            f"import batch {batch_id} was already undone",
            [{"field": "batch_id", "message": "already undone"}],
        )
    removed, kept = uow.leads.undo_batch(batch_id, UNDOABLE)
    batch.undone_at = datetime.now(UTC)
    batch.removed, batch.kept = removed, kept
    audit.record(
        uow,
        principal,
        "lead.import.undo",
        client_id=batch.client_id,
        engagement_id=batch.engagement_id,
        comment=batch_id,
        data={"removed": removed, "kept": kept},
    )
    uow.commit()
    return LeadBatchPublic.model_validate(batch, from_attributes=True)


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
    _apply_move(uow, principal, row, current, target, data.reason)
    rescore_lead(uow, principal, row)
    uow.commit()
    return to_public(row)


def _apply_move(
    uow: UnitOfWork, principal: Principal, row: LeadRow, current: LeadStatus, target: LeadStatus, reason: str
) -> None:
    row.status = target.value
    audit.record(
        uow,
        principal,
        "lead.move",
        client_id=row.client_id,
        engagement_id=row.engagement_id,
        from_status=current.value,
        to_status=target.value,
        comment=reason or row.email,
    )


def bulk_move(uow: UnitOfWork, principal: Principal, data: LeadBulkMove) -> LeadBulkMoveResult:
    """Move many leads of one client at once: each legal move is made, each refused one is named
    with why; one transaction."""
    require_write(principal)
    load_client(uow, principal, data.client_id)
    target = _status(data.status)
    rows = {row.id: row for row in uow.leads.by_ids(data.client_id, data.lead_ids)}
    icps: dict[str | None, Icp] = {}
    moved, refused = [], []
    for lead_id in dict.fromkeys(data.lead_ids):
        row = rows.get(lead_id)
        if row is None:
            refused.append({"lead_id": lead_id, "message": "not a lead of this client"})
            continue
        current = LeadStatus(row.status)
        if problem := move_problem(current, target):
            refused.append({"lead_id": lead_id, "message": problem})
            continue
        _apply_move(uow, principal, row, current, target, data.reason)
        if row.engagement_id not in icps:
            icps[row.engagement_id] = client_icp(uow, principal, row.client_id, row.engagement_id)[0]
        rescore(row, icps[row.engagement_id])
        moved.append(lead_id)
    uow.commit()
    return LeadBulkMoveResult(moved=moved, refused=refused)


def _status(label: str) -> LeadStatus:
    try:
        return parse_status(label)
    except ValueError as exc:
        raise Invalid(str(exc), [{"field": "status", "message": str(exc)}]) from None
