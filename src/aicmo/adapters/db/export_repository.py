"""Stored exports: the only SQL for the `exports` table. Listing never loads the files themselves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from aicmo.adapters.db.tables import ExportRow


class ExportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: ExportRow) -> ExportRow:
        self.session.add(row)
        return row

    def create(self, **fields: Any) -> ExportRow:
        """A new export row from its columns, added to the transaction."""
        return self.add(ExportRow(**fields))

    def get(self, export_id: str, *, with_data: bool = False) -> ExportRow | None:
        options = [undefer(ExportRow.data)] if with_data else []
        return self.session.get(ExportRow, export_id, options=options)

    def for_engagement(
        self, engagement_id: str, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[ExportRow], int]:
        where = ExportRow.engagement_id == engagement_id
        total = self.session.scalar(select(func.count()).select_from(ExportRow).where(where)) or 0
        query = (
            select(ExportRow)
            .where(where)
            .order_by(ExportRow.created_at.desc(), ExportRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(self.session.scalars(query)), int(total)

    def latest(self, engagement_id: str, fmt: str, *, content_hash: str | None = None) -> ExportRow | None:
        """The newest export of `fmt` (made from exactly `content_hash`, when given)."""
        query = select(ExportRow).where(ExportRow.engagement_id == engagement_id, ExportRow.format == fmt)
        if content_hash is not None:
            query = query.where(ExportRow.content_hash == content_hash)
        query = query.order_by(ExportRow.created_at.desc(), ExportRow.id.desc()).limit(1)
        return self.session.scalar(query)
