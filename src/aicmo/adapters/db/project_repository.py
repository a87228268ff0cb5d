"""Counts for the operator views, one grouped query each (no row is loaded to be counted)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from aicmo.adapters.db.tables import CampaignRow, LeadRow, MetricRowRow


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lead_counts(self, client_ids: Sequence[str]) -> dict[str, int]:
        query = select(LeadRow.client_id, func.count()).where(LeadRow.client_id.in_(client_ids))
        return {c: int(n) for c, n in self.session.execute(query.group_by(LeadRow.client_id))}

    def campaign_counts(self, engagement_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        """(campaigns, completed campaigns) by engagement."""
        done = func.sum(case((CampaignRow.completed.is_(True), 1), else_=0))
        query = select(CampaignRow.engagement_id, func.count(), done).where(
            CampaignRow.engagement_id.in_(engagement_ids)
        )
        return {
            e: (int(n), int(done or 0))
            for e, n, done in self.session.execute(query.group_by(CampaignRow.engagement_id))
        }

    def metric_counts(self, engagement_ids: Sequence[str]) -> dict[str, int]:
        query = select(MetricRowRow.engagement_id, func.count()).where(
            MetricRowRow.engagement_id.in_(engagement_ids)
        )
        return {e: int(n) for e, n in self.session.execute(query.group_by(MetricRowRow.engagement_id))}
