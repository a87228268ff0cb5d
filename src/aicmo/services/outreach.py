"""Outreach use cases (SPEC §7): sequences of steps, enrolment by tier or filter, runs that send
through the mail port under the compliance rules, engagement events and the suppression list.

A run looks at the enrolments that are due and, for each, in this order: stops it for good when the
lead replied or its address is suppressed, unsubscribed or bounced; waits when it is quiet hours
where the recipient is; waits when the sequence's daily cap for the step's channel is spent (a day
in the sequence's time zone, where its market is: a cap does not reset mid-afternoon); blocks
it when the template cannot be filled for this lead; otherwise sends. A send is recorded as SENDING
and committed before the server is called, then SENT with the server's reply (or FAILED), so a
crash mid-send can never make a message go out twice and every attempt counts against the cap.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from aicmo.domain.errors import Forbidden, Invalid, NotFound
from aicmo.domain.leads import LeadStatus, can_move, check_timezone
from aicmo.domain.mail import MailError, OutgoingMail
from aicmo.domain.outreach import (
    Channel,
    EnrolmentStatus,
    QuietHours,
    RenderError,
    Suppression,
    compliant_body,
    lead_values,
    render,
)
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.leads import LeadEvent, LeadPublic
from aicmo.domain.schemas.outreach import (
    Enrol,
    EnrolResult,
    RunResult,
    SequenceCreate,
    SequencePublic,
    SuppressionAdd,
    SuppressionPublic,
)
from aicmo.services import audit, leads
from aicmo.services.access import require_write
from aicmo.services.clients import load_client
from aicmo.services.context import new_id
from aicmo.services.mail import MailSender
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import EnrolmentRow, LeadRow, OutreachSendRow, SequenceRow

CLOSED = {LeadStatus.LOST.value, LeadStatus.ROUTED.value}
UNSUBSCRIBE_PATH = "/api/v1/outreach/unsubscribe"


def _public(row: SequenceRow, uow: UnitOfWork | None = None) -> SequencePublic:
    """The sequence; with `uow`, its progress too (enrolments by status, today's sends by channel)."""
    public = SequencePublic.model_validate(row, from_attributes=True)
    if uow is not None:
        public.enrolments = uow.outreach.enrolment_counts(row.id)
        public.sent_today = uow.outreach.sends_by_channel_on(row.id, _cap_day(row, datetime.now(UTC)))
    return public


def _cap_day(sequence: SequenceRow, now: datetime) -> date:
    """The day a send counts against: the sequence's own day where it sells (its time zone), so a
    cap does not reset mid-afternoon for a market behind UTC."""
    return now.astimezone(ZoneInfo(sequence.default_timezone or "UTC")).date()


def create_sequence(
    uow: UnitOfWork, principal: Principal, data: SequenceCreate, *, unsubscribe_base: str
) -> SequencePublic:
    """A sequence for one client; `unsubscribe_base` is where the API is reached (the public URL)."""
    require_write(principal)
    load_client(uow, principal, data.client_id)
    try:
        zone = check_timezone(data.default_timezone) or "UTC"
    except ValueError as exc:
        raise Invalid(str(exc), [{"field": "default_timezone", "message": str(exc)}]) from None
    steps = [step.model_dump(mode="json") for step in data.steps]
    row = uow.outreach.create_sequence(
        id=new_id("sq"),
        client_id=data.client_id,
        name=data.name,
        steps=steps,
        daily_caps={str(k): v for k, v in data.daily_caps.items()},
        quiet_start=data.quiet_start,
        quiet_end=data.quiet_end,
        default_timezone=zone,
        sender=f"{data.sender_name} <{data.sender}>" if data.sender_name else str(data.sender),
        postal_address=data.postal_address,
        unsubscribe_base=unsubscribe_base.rstrip("/") + UNSUBSCRIBE_PATH,
    )
    audit.record(uow, principal, "outreach.sequence.create", client_id=row.client_id, comment=row.name)
    uow.commit()
    return _public(row)


def load_sequence(uow: UnitOfWork, principal: Principal, sequence_id: str) -> SequenceRow:
    row = uow.outreach.sequence(sequence_id)
    if row is None or not principal.can_read_client(row.client_id):
        raise NotFound(f"sequence {sequence_id} not found")
    return row


def get_sequence(uow: UnitOfWork, principal: Principal, sequence_id: str) -> SequencePublic:
    return _public(load_sequence(uow, principal, sequence_id), uow)


def list_sequences(uow: UnitOfWork, principal: Principal, client_id: str) -> list[SequencePublic]:
    load_client(uow, principal, client_id)
    return [_public(row, uow) for row in uow.outreach.sequences(client_id)]


def enrol(uow: UnitOfWork, principal: Principal, sequence_id: str, data: Enrol) -> EnrolResult:
    """Enrol the client's leads that match (tiers, ids, status, search, minimum score); leads
    already in the sequence, closed ones and suppressed addresses are not enrolled (named)."""
    require_write(principal)
    sequence = load_sequence(uow, principal, sequence_id)
    filters = leads.lead_filter(status=data.status, q=data.q, min_score=data.min_score)
    rows, _ = uow.leads.list(client_id=sequence.client_id, filters=filters, limit=1_000_000, offset=0)
    wanted_ids = set(data.lead_ids)
    tiers = {t.value for t in data.tiers}
    chosen = [r for r in rows if (not tiers or r.tier in tiers) and (not wanted_ids or r.id in wanted_ids)]
    already = uow.outreach.enrolled_lead_ids(sequence_id)
    suppressed = uow.outreach.suppressed(sequence.client_id)
    now = datetime.now(UTC)
    enrolled, repeat, skipped = 0, 0, []
    for lead in chosen:
        if lead.id in already:
            repeat += 1
        elif lead.email in suppressed:
            skipped.append(
                {"lead_id": lead.id, "email": lead.email, "reason": suppressed[lead.email].lower()}
            )
        elif lead.status in CLOSED:
            skipped.append({"lead_id": lead.id, "email": lead.email, "reason": f"lead is {lead.status}"})
        else:
            first_wait = int(sequence.steps[0].get("wait_days", 0))
            uow.outreach.create_enrolment(
                id=new_id("oe"),
                sequence_id=sequence_id,
                lead_id=lead.id,
                step=0,
                status=EnrolmentStatus.ACTIVE.value,
                next_due_at=now + timedelta(days=first_wait),
                unsubscribe_token=secrets.token_urlsafe(24),
            )
            enrolled += 1
    audit.record(
        uow,
        principal,
        "outreach.enrol",
        client_id=sequence.client_id,
        comment=sequence_id,
        data={"enrolled": enrolled, "already": repeat, "skipped": len(skipped)},
    )
    uow.commit()
    return EnrolResult(enrolled=enrolled, already=repeat, skipped=skipped)


def run(
    uow: UnitOfWork,
    principal: Principal,
    mailer: MailSender,
    sequence_id: str,
    *,
    now: datetime | None = None,
    limit: int = 500,
) -> RunResult:
    """Send (or list as tasks) every due step the rules allow now; see the module's docstring."""
    require_write(principal)
    sequence = load_sequence(uow, principal, sequence_id)
    now = now or datetime.now(UTC)
    today = _cap_day(sequence, now)
    quiet = QuietHours(sequence.quiet_start, sequence.quiet_end)
    client = load_client(uow, principal, sequence.client_id)
    suppressed = uow.outreach.suppressed(sequence.client_id)
    used: dict[str, int] = {}
    result = RunResult(sent=[], tasks=[], skipped=[], stopped=[], failed=[])
    sender_name = sequence.sender.partition(" <")[0] if " <" in sequence.sender else ""
    for enrolment, lead in uow.outreach.due(sequence_id, now, limit):
        who = {"lead_id": lead.id, "email": lead.email}
        step = sequence.steps[enrolment.step]
        channel = str(step.get("channel", Channel.EMAIL.value))
        stop = _stop_reason(lead, suppressed)
        if stop:
            _stop(enrolment, stop)
            result.stopped.append(who | {"reason": stop})
            continue
        zone = lead.timezone or sequence.default_timezone
        if quiet.is_quiet(now, zone):
            local = now.astimezone(ZoneInfo(zone or "UTC")).strftime("%H:%M")
            result.skipped.append(who | {"reason": f"quiet hours ({local} in {zone})"})
            continue
        if channel not in used:
            used[channel] = uow.outreach.sends_on(sequence_id, channel, today)
        cap = int(sequence.daily_caps.get(channel, 0))
        if used[channel] >= cap:
            result.skipped.append(who | {"reason": f"daily {channel} cap of {cap} reached"})
            continue
        values = lead_values(vars(lead), client_name=client.name, sender_name=sender_name)
        required = list(step.get("required", []))
        try:
            subject = render(str(step.get("subject", "")), values, required) if channel == "email" else ""
            body = render(str(step["body"]), values, required)
        except RenderError as exc:
            enrolment.status = EnrolmentStatus.BLOCKED.value
            enrolment.stop_reason = f"step {enrolment.step + 1}: {exc}"[:200]
            result.failed.append(who | {"reason": enrolment.stop_reason})
            uow.commit()
            continue
        used[channel] += 1
        if channel != Channel.EMAIL.value:
            _record(uow, sequence, enrolment, lead, channel, today, "TASK")
            result.tasks.append(who | {"channel": channel, "script": body[:500]})
            _advance(enrolment, sequence, now, lead)
            uow.commit()
            continue
        outcome = _send_email(uow, mailer, sequence, enrolment, lead, subject, body, today)
        if outcome["status"] == "SENT":
            _advance(enrolment, sequence, now, lead)
            result.sent.append(who | {"message_id": outcome["message_id"]})
        elif outcome["status"] == "BOUNCED":
            _suppress(uow, sequence.client_id, lead.email, Suppression.BOUNCED, outcome["error"])
            suppressed[lead.email] = Suppression.BOUNCED.value
            _stop(enrolment, "bounced")
            result.stopped.append(who | {"reason": f"bounced: {outcome['error']}"})
        else:
            used[channel] -= 1  # a failed attempt does not spend the cap; it is tried again next run
            result.failed.append(who | {"reason": outcome["error"]})
        uow.commit()
    audit.record(
        uow,
        principal,
        "outreach.run",
        client_id=sequence.client_id,
        comment=sequence_id,
        data={k: len(v) for k, v in result.model_dump().items()},
    )
    uow.commit()
    return result


def _stop_reason(lead: LeadRow, suppressed: dict[str, str]) -> str:
    if lead.email in suppressed:
        return suppressed[lead.email].lower()
    if lead.replies or lead.status in (LeadStatus.REPLIED.value, LeadStatus.QUALIFIED.value):
        return "replied"
    if lead.status in CLOSED:
        return f"lead is {lead.status}"
    return ""


def _stop(enrolment: EnrolmentRow, reason: str) -> None:
    enrolment.status = EnrolmentStatus.STOPPED.value
    enrolment.stop_reason = reason[:200]


def _advance(enrolment: EnrolmentRow, sequence: SequenceRow, now: datetime, lead: LeadRow) -> None:
    if can_move(LeadStatus(lead.status), LeadStatus.CONTACTED):
        lead.status = LeadStatus.CONTACTED.value
    enrolment.step += 1
    if enrolment.step >= len(sequence.steps):
        enrolment.status = EnrolmentStatus.DONE.value
        return
    enrolment.next_due_at = now + timedelta(days=int(sequence.steps[enrolment.step].get("wait_days", 0)))


def _record(
    uow: UnitOfWork,
    sequence: SequenceRow,
    enrolment: EnrolmentRow,
    lead: LeadRow,
    channel: str,
    today: date,
    status: str,
) -> OutreachSendRow:
    row = uow.outreach.send_of(enrolment.id, enrolment.step)
    if row is None:
        row = uow.outreach.create_send(
            id=new_id("os"),
            sequence_id=sequence.id,
            enrolment_id=enrolment.id,
            lead_id=lead.id,
            step=enrolment.step,
            channel=channel,
            to=lead.email,
        )
    row.sent_on, row.status, row.error = today, status, ""
    return row


def _send_email(
    uow: UnitOfWork,
    mailer: MailSender,
    sequence: SequenceRow,
    enrolment: EnrolmentRow,
    lead: LeadRow,
    subject: str,
    body: str,
    today: date,
) -> dict[str, str]:
    unsubscribe = f"{sequence.unsubscribe_base}/{enrolment.unsubscribe_token}"
    mail = OutgoingMail(
        sender=sequence.sender,
        to=lead.email,
        subject=subject,
        text=compliant_body(body, unsubscribe, sequence.postal_address),
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    row = _record(uow, sequence, enrolment, lead, Channel.EMAIL.value, today, "SENDING")
    uow.commit()  # the attempt is on record before the server hears of it: never sent twice
    try:
        sent = mailer.send(mail)
    except MailError as exc:
        row.error = str(exc)[:500]
        row.status = "BOUNCED" if exc.terminal and exc.code and exc.code >= 500 else "FAILED"
        return {"status": row.status, "error": row.error}
    row.status, row.message_id, row.server_reply = "SENT", sent.message_id[:500], sent.server_reply[:500]
    return {"status": "SENT", "message_id": sent.message_id}


def _suppress(uow: UnitOfWork, client_id: str, email: str, reason: Suppression, note: str = "") -> bool:
    existing = uow.outreach.suppression(client_id, email)
    if existing is not None:
        return False
    uow.outreach.create_suppression(
        id=new_id("su"), client_id=client_id, email=email, reason=reason.value, note=note[:500]
    )
    return True


def _stop_lead(uow: UnitOfWork, lead_id: str, reason: str) -> None:
    for enrolment in uow.outreach.enrolments_of_lead(lead_id):
        if enrolment.status == EnrolmentStatus.ACTIVE.value:
            _stop(enrolment, reason)


def add_suppressions(uow: UnitOfWork, principal: Principal, data: SuppressionAdd) -> list[SuppressionPublic]:
    """Put addresses on the client's do-not-contact list; their active enrolments stop."""
    require_write(principal)
    load_client(uow, principal, data.client_id)
    for email in dict.fromkeys(str(e).lower() for e in data.emails):
        if _suppress(uow, data.client_id, email, data.reason, data.note):
            lead = uow.leads.by_email(data.client_id, email)
            if lead is not None:
                _stop_lead(uow, lead.id, data.reason.value.lower())
    audit.record(
        uow, principal, "outreach.suppress", client_id=data.client_id, data={"emails": len(data.emails)}
    )
    uow.commit()
    return list_suppressions(uow, principal, data.client_id)


def list_suppressions(uow: UnitOfWork, principal: Principal, client_id: str) -> list[SuppressionPublic]:
    load_client(uow, principal, client_id)
    return [
        SuppressionPublic.model_validate(r, from_attributes=True)
        for r in uow.outreach.suppressions(client_id)
    ]


def unsubscribe(uow: UnitOfWork, token: str) -> str:
    """The link in every e-mail: the address goes on the unsubscribe list, its sequences stop.
    Returns the address; Forbidden for a token no e-mail carried."""
    enrolment = uow.outreach.enrolment_by_token(token) if 16 <= len(token) <= 64 else None
    if enrolment is None:
        raise Forbidden("not a valid unsubscribe link")
    lead = uow.leads.get(enrolment.lead_id)
    if lead is None:
        raise Forbidden("not a valid unsubscribe link")
    _suppress(uow, lead.client_id, lead.email, Suppression.UNSUBSCRIBED, "unsubscribe link")
    _stop_lead(uow, lead.id, "unsubscribed")
    audit.record(uow, "recipient", "outreach.unsubscribe", client_id=lead.client_id, comment=lead.id)
    uow.commit()
    return lead.email


def record_event(uow: UnitOfWork, principal: Principal, lead_id: str, data: LeadEvent) -> LeadPublic:
    """An open, click or reply counts towards engagement (and the score); a reply stops the lead's
    sequences; a bounce or an unsubscribe also puts the address on the suppression list."""
    require_write(principal)
    lead = leads.load_lead(uow, principal, lead_id)
    at = data.at or datetime.now(UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    if data.kind in ("open", "click", "reply"):
        field = {"open": "opens", "click": "clicks", "reply": "replies"}[data.kind]
        setattr(lead, field, getattr(lead, field) + 1)
        if lead.last_activity_at is None or at > lead.last_activity_at:
            lead.last_activity_at = at
    if data.kind == "reply":
        _stop_lead(uow, lead.id, "replied")
        if can_move(LeadStatus(lead.status), LeadStatus.REPLIED):
            lead.status = LeadStatus.REPLIED.value
    elif data.kind in ("bounce", "unsubscribe"):
        reason = Suppression.BOUNCED if data.kind == "bounce" else Suppression.UNSUBSCRIBED
        _suppress(uow, lead.client_id, lead.email, reason, f"{data.kind} event")
        _stop_lead(uow, lead.id, reason.value.lower())
    leads.rescore_lead(uow, principal, lead)
    audit.record(uow, principal, f"lead.event.{data.kind}", client_id=lead.client_id, comment=lead.id)
    uow.commit()
    return leads.to_public(lead)


def sends(uow: UnitOfWork, principal: Principal, sequence_id: str) -> list[dict[str, str]]:
    load_sequence(uow, principal, sequence_id)
    return [
        {
            "lead_id": r.lead_id,
            "to": r.to,
            "step": str(r.step + 1),
            "channel": r.channel,
            "status": r.status,
            "sent_on": r.sent_on.isoformat(),
            "server_reply": r.server_reply,
            "error": r.error,
        }
        for r in uow.outreach.sends(sequence_id)
    ]
