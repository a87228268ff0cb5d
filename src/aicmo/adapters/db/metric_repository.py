"""Performance data: the only SQL for the `metric_imports` and `metric_rows` tables."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from aicmo.adapters.db.tables import MetricImportRow, MetricRowRow
from aicmo.domain.metrics import MetricRow


class MetricRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_import(self, row: MetricImportRow, rows: Iterable[MetricRow]) -> MetricImportRow:
        """The import and its rows, inserted in batches (an export can hold many thousand rows)."""
        self.session.add(row)
        self.session.flush()
        values = [
            {
                "import_id": row.id,
                "engagement_id": row.engagement_id,
                "source_row": r.source_row,
                "day": r.date,
                "platform": r.platform,
                "post": r.post,
                "impressions": r.impressions,
                "reach": r.reach,
                "engagements": r.engagements,
                "clicks": r.clicks,
                "conversions": r.conversions,
                "spend": r.spend,
                "revenue": r.revenue,
                "sentiment": r.sentiment,
            }
            for r in rows
        ]
        if values:
            self.session.execute(insert(MetricRowRow), values)
        return row

    def imports(self, engagement_id: str) -> list[MetricImportRow]:
        query = (
            select(MetricImportRow)
            .where(MetricImportRow.engagement_id == engagement_id)
            .order_by(MetricImportRow.created_at.desc())
        )
        return list(self.session.scalars(query))

    def rows(self, engagement_id: str) -> list[MetricRow]:
        query = (
            select(MetricRowRow)
            .where(MetricRowRow.engagement_id == engagement_id)
            .order_by(MetricRowRow.day, MetricRowRow.id)
        )
        return [
            MetricRow(
                date=r.day,
                platform=r.platform,
                post=r.post,
                impressions=r.impressions,
                reach=r.reach,
                engagements=r.engagements,
                clicks=r.clicks,
                conversions=r.conversions,
                spend=r.spend,
                revenue=r.revenue,
                sentiment=r.sentiment,
                source_row=r.source_row,
            )
            for r in self.session.scalars(query)
        ]
