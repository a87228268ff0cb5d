"""Social listening: the only SQL for the `mention_imports` and `mentions` tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from aicmo.adapters.db.tables import MentionImportRow, MentionRow
from aicmo.domain.listening import Mention


class ListeningRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create_import(self, mentions: Iterable[Mention], **fields: Any) -> MentionImportRow:
        """The import (from its columns) and its mentions, inserted in one batch."""
        row = MentionImportRow(**fields)
        self.session.add(row)
        self.session.flush()
        values = [
            {
                "import_id": row.id,
                "engagement_id": row.engagement_id,
                "source_row": m.source_row,
                "day": m.date,
                "platform": m.platform,
                "author": m.author,
                "text": m.text,
                "reach": m.reach,
                "sentiment": m.sentiment,
                "sentiment_computed": m.sentiment_computed,
            }
            for m in mentions
        ]
        if values:
            self.session.execute(insert(MentionRow), values)
        return row

    def imports(self, engagement_id: str) -> list[MentionImportRow]:
        query = (
            select(MentionImportRow)
            .where(MentionImportRow.engagement_id == engagement_id)
            .order_by(MentionImportRow.created_at.desc())
        )
        return list(self.session.scalars(query))

    def mentions(self, engagement_id: str) -> list[Mention]:
        query = (
            select(MentionRow)
            .where(MentionRow.engagement_id == engagement_id)
            .order_by(MentionRow.day, MentionRow.id)
        )
        return [
            Mention(
                date=r.day,
                platform=r.platform,
                text=r.text,
                author=r.author,
                reach=r.reach,
                sentiment=r.sentiment,
                sentiment_computed=r.sentiment_computed,
                source_row=r.source_row,
            )
            for r in self.session.scalars(query)
        ]
