"""Share-link revocations: the only SQL for the `share_link_revocations` table (the links
themselves are signed tokens; only their revocations are stored)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from aicmo.adapters.db.tables import ShareLinkRevocationRow


class ShareLinkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def revocation(self, link_id: str) -> ShareLinkRevocationRow | None:
        return self.session.get(ShareLinkRevocationRow, link_id)

    def revoke(self, link_id: str, engagement_id: str, revoked_by: str) -> ShareLinkRevocationRow:
        """Record the revocation (its time is set when the unit of work flushes)."""
        row = ShareLinkRevocationRow(link_id=link_id, engagement_id=engagement_id, revoked_by=revoked_by)
        self.session.add(row)
        return row

    def revoked_links(self, engagement_id: str) -> set[str]:
        query = select(ShareLinkRevocationRow.link_id).where(
            ShareLinkRevocationRow.engagement_id == engagement_id
        )
        return set(self.session.scalars(query))
