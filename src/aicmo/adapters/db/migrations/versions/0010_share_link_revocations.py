"""share link revocations: a link taken back before it expires

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 17:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "share_link_revocations",
        sa.Column("link_id", sa.String(length=32), nullable=False),
        sa.Column("engagement_id", sa.String(length=64), nullable=False),
        sa.Column("revoked_by", sa.String(length=200), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_share_link_revocations_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("link_id", name=op.f("pk_share_link_revocations")),
    )
    with op.batch_alter_table("share_link_revocations") as batch:
        batch.create_index(
            batch.f("ix_share_link_revocations_engagement_id"), ["engagement_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("share_link_revocations") as batch:
        batch.drop_index(batch.f("ix_share_link_revocations_engagement_id"))
    op.drop_table("share_link_revocations")
