"""Outreach: the only SQL for sequences, enrolments, sends and the suppression list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aicmo.adapters.db.tables import EnrolmentRow, LeadRow, OutreachSendRow, SequenceRow, SuppressionRow

RowT = TypeVar("RowT", SequenceRow, EnrolmentRow, OutreachSendRow, SuppressionRow)


class OutreachRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create_sequence(self, **fields: Any) -> SequenceRow:
        """A new sequence from its columns, added to the transaction (so are the others below)."""
        return self._add(SequenceRow(**fields))

    def create_enrolment(self, **fields: Any) -> EnrolmentRow:
        return self._add(EnrolmentRow(**fields))

    def create_send(self, **fields: Any) -> OutreachSendRow:
        return self._add(OutreachSendRow(**fields))

    def create_suppression(self, **fields: Any) -> SuppressionRow:
        return self._add(SuppressionRow(**fields))

    def _add(self, row: RowT) -> RowT:
        self.session.add(row)
        return row

    def sequence(self, sequence_id: str) -> SequenceRow | None:
        return self.session.get(SequenceRow, sequence_id)

    def sequences(self, client_id: str) -> list[SequenceRow]:
        query = select(SequenceRow).where(SequenceRow.client_id == client_id)
        return list(self.session.scalars(query.order_by(SequenceRow.created_at.desc(), SequenceRow.id)))

    def enrolled_lead_ids(self, sequence_id: str) -> set[str]:
        query = select(EnrolmentRow.lead_id).where(EnrolmentRow.sequence_id == sequence_id)
        return set(self.session.scalars(query))

    def enrolment_by_token(self, token: str) -> EnrolmentRow | None:
        return self.session.scalar(select(EnrolmentRow).where(EnrolmentRow.unsubscribe_token == token))

    def enrolments_of_lead(self, lead_id: str) -> list[EnrolmentRow]:
        return list(self.session.scalars(select(EnrolmentRow).where(EnrolmentRow.lead_id == lead_id)))

    def due(self, sequence_id: str, now: datetime, limit: int) -> list[tuple[EnrolmentRow, LeadRow]]:
        query = (
            select(EnrolmentRow, LeadRow)
            .join(LeadRow, LeadRow.id == EnrolmentRow.lead_id)
            .where(
                EnrolmentRow.sequence_id == sequence_id,
                EnrolmentRow.status == "ACTIVE",
                EnrolmentRow.next_due_at <= now,
            )
            .order_by(EnrolmentRow.next_due_at, EnrolmentRow.id)
            .limit(limit)
        )
        return [(e, lead) for e, lead in self.session.execute(query).all()]

    def sends_on(self, sequence_id: str, channel: str, day: date) -> int:
        """Sends counted against the day's cap (anything attempted: SENDING, SENT, TASK)."""
        query = select(func.count()).where(
            OutreachSendRow.sequence_id == sequence_id,
            OutreachSendRow.channel == channel,
            OutreachSendRow.sent_on == day,
            OutreachSendRow.status != "FAILED",
        )
        return int(self.session.scalar(query) or 0)

    def enrolment_counts(self, sequence_id: str) -> dict[str, int]:
        """How many of the sequence's enrolments are in each status."""
        query = (
            select(EnrolmentRow.status, func.count())
            .where(EnrolmentRow.sequence_id == sequence_id)
            .group_by(EnrolmentRow.status)
        )
        return {status: int(n) for status, n in self.session.execute(query).all()}

    def sends_by_channel_on(self, sequence_id: str, day: date) -> dict[str, int]:
        """`sends_on` for every channel at once."""
        query = (
            select(OutreachSendRow.channel, func.count())
            .where(
                OutreachSendRow.sequence_id == sequence_id,
                OutreachSendRow.sent_on == day,
                OutreachSendRow.status != "FAILED",
            )
            .group_by(OutreachSendRow.channel)
        )
        return {channel: int(n) for channel, n in self.session.execute(query).all()}

    def send_of(self, enrolment_id: str, step: int) -> OutreachSendRow | None:
        query = select(OutreachSendRow).where(
            OutreachSendRow.enrolment_id == enrolment_id, OutreachSendRow.step == step
        )
        return self.session.scalar(query)

    def sends(self, sequence_id: str) -> list[OutreachSendRow]:
        query = select(OutreachSendRow).where(OutreachSendRow.sequence_id == sequence_id)
        return list(self.session.scalars(query.order_by(OutreachSendRow.created_at, OutreachSendRow.id)))

    def suppression(self, client_id: str, email: str) -> SuppressionRow | None:
        query = select(SuppressionRow).where(
            SuppressionRow.client_id == client_id, SuppressionRow.email == email
        )
        return self.session.scalar(query)

    def suppressed(self, client_id: str) -> dict[str, str]:
        """email -> reason, for a client."""
        query = select(SuppressionRow.email, SuppressionRow.reason).where(
            SuppressionRow.client_id == client_id
        )
        return {email: reason for email, reason in self.session.execute(query).all()}

    def suppressions(self, client_id: str) -> list[SuppressionRow]:
        query = select(SuppressionRow).where(SuppressionRow.client_id == client_id)
        return list(
            self.session.scalars(query.order_by(SuppressionRow.created_at.desc(), SuppressionRow.email))
        )
