"""live publishing: publish jobs and a campaign's publishing channel (SPEC §6)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 20:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=16), nullable=False, server_default="webhook"))
    op.create_table(
        "publish_jobs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("run_no", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker_id", sa.String(length=100), nullable=False),
        sa.Column("claim_token", sa.String(length=64), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_id", sa.String(length=500), nullable=False),
        sa.Column("provider_url", sa.String(length=2000), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("log", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["campaign_items.id"],
            name=op.f("fk_publish_jobs_item_id_campaign_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_publish_jobs_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publish_jobs")),
        sa.UniqueConstraint("item_id", "version", name="uq_publish_jobs_item_version"),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_publish_jobs_idempotency_key")),
    )
    op.create_index("ix_publish_jobs_status", "publish_jobs", ["status", "not_before"])
    op.create_index("ix_publish_jobs_campaign", "publish_jobs", ["campaign_id"])


def downgrade() -> None:
    op.drop_index("ix_publish_jobs_campaign", table_name="publish_jobs")
    op.drop_index("ix_publish_jobs_status", table_name="publish_jobs")
    op.drop_table("publish_jobs")
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("channel")
