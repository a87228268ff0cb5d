"""Campaigns: the only SQL for the `campaigns`, `campaign_items` and `publish_jobs` tables."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from aicmo.adapters.db.tables import CampaignItemRow, CampaignRow, PublishJobRow


class CampaignRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, **fields: Any) -> CampaignRow:
        """A new campaign from its columns, added to the transaction."""
        row = CampaignRow(**fields)
        self.session.add(row)
        return row

    def get(self, campaign_id: str, *, lock: bool = False) -> CampaignRow | None:
        if lock:  # PostgreSQL: a row lock (SQLite: the caller holds the write lock)
            self.session.scalars(
                select(CampaignRow.id).where(CampaignRow.id == campaign_id).with_for_update()
            ).all()
        return self.session.get(CampaignRow, campaign_id)

    def of_engagement(self, engagement_id: str) -> list[CampaignRow]:
        query = (
            select(CampaignRow)
            .where(CampaignRow.engagement_id == engagement_id)
            .order_by(CampaignRow.created_at.desc())
        )
        return list(self.session.scalars(query))

    def create_item(self, **fields: Any) -> CampaignItemRow:
        row = CampaignItemRow(**fields)
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

    # ---- publish jobs (live mode) ------------------------------------------------------------------
    def create_publish_job(self, **fields: Any) -> PublishJobRow:
        row = PublishJobRow(**fields)
        self.session.add(row)
        return row

    def publish_job(self, job_id: str, *, lock: bool = False) -> PublishJobRow | None:
        """The job; with `lock`, read under a row lock on PostgreSQL (SQLite: the caller holds the
        database's write lock)."""
        if lock:
            self.session.scalars(
                select(PublishJobRow.id).where(PublishJobRow.id == job_id).with_for_update()
            ).all()
            self.session.expire_all()
        return self.session.get(PublishJobRow, job_id)

    def publish_jobs(self, campaign_id: str) -> list[PublishJobRow]:
        query = (
            select(PublishJobRow)
            .where(PublishJobRow.campaign_id == campaign_id)
            .order_by(PublishJobRow.created_at, PublishJobRow.id)
        )
        return list(self.session.scalars(query))

    def publish_job_of(self, item_id: str, version: int) -> PublishJobRow | None:
        query = select(PublishJobRow).where(
            PublishJobRow.item_id == item_id, PublishJobRow.version == version
        )
        return self.session.scalars(query).first()

    def publish_jobs_due(
        self, now: datetime, requeue_after_s: float, limit: int = 500, *, lock: bool = True
    ) -> list[PublishJobRow]:
        """Jobs a worker should start: queued and due, not handed out yet (or handed out long ago: the
        enqueue may have died with its process), and sending ones whose lease expired. Locked on
        PostgreSQL (SKIP LOCKED: two sweepers share the work)."""
        stale = now - timedelta(seconds=requeue_after_s)
        query = (
            select(PublishJobRow)
            .where(
                or_(
                    and_(
                        PublishJobRow.status == "queued",
                        PublishJobRow.not_before <= now,
                        or_(PublishJobRow.queued_at.is_(None), PublishJobRow.queued_at < stale),
                    ),
                    and_(PublishJobRow.status == "sending", PublishJobRow.lease_expires_at < now),
                )
            )
            .order_by(PublishJobRow.not_before, PublishJobRow.id)
            .limit(limit)
        )
        if lock:
            query = query.with_for_update(skip_locked=True)
        return list(self.session.scalars(query))
