"""Campaigns: the only SQL for the `campaigns` and `campaign_items` tables."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from aicmo.adapters.db.tables import CampaignItemRow, CampaignRow


class CampaignRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: CampaignRow) -> CampaignRow:
        self.session.add(row)
        return row

    def get(self, campaign_id: str) -> CampaignRow | None:
        return self.session.get(CampaignRow, campaign_id)

    def of_engagement(self, engagement_id: str) -> list[CampaignRow]:
        query = (
            select(CampaignRow)
            .where(CampaignRow.engagement_id == engagement_id)
            .order_by(CampaignRow.created_at.desc())
        )
        return list(self.session.scalars(query))

    def add_item(self, row: CampaignItemRow) -> CampaignItemRow:
        self.session.add(row)
        return row

    def item(self, item_id: str) -> CampaignItemRow | None:
        return self.session.get(CampaignItemRow, item_id)

    def items(self, campaign_id: str) -> list[CampaignItemRow]:
        query = (
            select(CampaignItemRow)
            .where(CampaignItemRow.campaign_id == campaign_id)
            .order_by(CampaignItemRow.scheduled_at, CampaignItemRow.id)
        )
        return list(self.session.scalars(query))
