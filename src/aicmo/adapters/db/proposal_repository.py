"""Proposals (a plan's regeneration kept beside a module a person amended): the only SQL for the
`proposals` table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aicmo.adapters.db.tables import ProposalRow


class ProposalRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, **fields: Any) -> ProposalRow:
        """A new proposal from its columns, added to the transaction."""
        row = ProposalRow(**fields)
        self.session.add(row)
        return row

    def get(self, proposal_id: str) -> ProposalRow | None:
        return self.session.get(ProposalRow, proposal_id)

    def open_for(self, artifact_id: str, *, status: str) -> list[ProposalRow]:
        query = select(ProposalRow).where(
            ProposalRow.artifact_id == artifact_id, ProposalRow.status == status
        )
        return list(self.session.scalars(query))

    def for_engagement(self, engagement_id: str, *, status: str | None = None) -> list[ProposalRow]:
        """The engagement's proposals, newest first (`status`: only those)."""
        query = select(ProposalRow).where(ProposalRow.engagement_id == engagement_id)
        if status is not None:
            query = query.where(ProposalRow.status == status)
        return list(self.session.scalars(query.order_by(ProposalRow.created_at.desc())))
