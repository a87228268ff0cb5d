"""Performance data: the only SQL for the `metric_imports` and `metric_rows` tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from aicmo.adapters.db.tables import EngagementRow, MetricImportRow, MetricRowRow
from aicmo.domain.learning import Observation, PostLink
from aicmo.domain.metrics import MetricRow


class MetricRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create_import(
        self, rows: Iterable[MetricRow], links: Mapping[str, PostLink] | None = None, **fields: Any
    ) -> MetricImportRow:
        """The import (from its columns) and its rows, inserted in batches (an export can hold many
        thousand rows); a row naming a known post keeps that post's pillar, format and slot (`links`)."""
        row = MetricImportRow(**fields)
        self.session.add(row)
        self.session.flush()
        links = links or {}
        none = PostLink("", "", "")
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
                **vars(links.get(r.post, none)),
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

    def observations(self, engagement_ids: Sequence[str] | None = None) -> dict[str, list[Observation]]:
        """Measured posts per engagement (all engagements when None): rows that name a known post and
        carry both impressions and engagements, summed per post."""
        query = select(MetricRowRow).where(
            MetricRowRow.pillar != "",
            MetricRowRow.impressions.is_not(None),
            MetricRowRow.engagements.is_not(None),
        )
        if engagement_ids is not None:
            query = query.where(MetricRowRow.engagement_id.in_(engagement_ids))
        grouped: dict[tuple[str, ...], list[MetricRowRow]] = defaultdict(list)
        for r in self.session.scalars(query.order_by(MetricRowRow.id)):
            grouped[(r.engagement_id, r.post, r.pillar, r.format, r.platform, r.slot)].append(r)
        out: dict[str, list[Observation]] = defaultdict(list)
        for (engagement_id, post, pillar, fmt, platform, slot), group in grouped.items():
            out[engagement_id].append(
                Observation(
                    post_id=post,
                    pillar=pillar,
                    format=fmt,
                    platform=platform,
                    slot=slot,
                    impressions=sum(r.impressions or 0 for r in group),
                    engagements=sum(r.engagements or 0 for r in group),
                    source_rows=tuple(r.source_row for r in group),
                    source_imports=tuple(dict.fromkeys(r.import_id for r in group)),
                )
            )
        return dict(out)

    def version(self) -> tuple[int, int, Any]:
        """What changes whenever any engagement's performance data does (rows are only inserted, by
        an import, and deleted with their engagement): the number of rows, the last row's id and
        the newest import's time (a rolled-back import's ids may be taken again, not its time)."""
        newest = select(func.max(MetricImportRow.created_at)).scalar_subquery()
        rows = select(func.count(), func.coalesce(func.max(MetricRowRow.id), 0), newest)
        count, last, at = self.session.execute(rows.select_from(MetricRowRow)).one()
        return int(count), int(last), at

    def engagements_of_client(self, client_id: str) -> list[str]:
        query = select(EngagementRow.id).where(EngagementRow.client_id == client_id)
        return list(self.session.scalars(query))
