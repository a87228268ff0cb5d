"""provider calls: every LLM call in the cost ledger, written in its own transaction

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 20:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider_calls",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("engagement_id", sa.String(length=64), nullable=True),
        sa.Column("job_id", sa.String(length=64), nullable=True),
        sa.Column("trace_id", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("module", sa.String(length=32), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("ahead", sa.Boolean(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_provider_calls"),
    )
    op.create_index("ix_provider_calls_client_started", "provider_calls", ["client_id", "started_at"])
    op.create_index("ix_provider_calls_engagement", "provider_calls", ["engagement_id"])
    op.create_index("ix_provider_calls_job", "provider_calls", ["job_id"])


def downgrade() -> None:
    op.drop_index("ix_provider_calls_job", table_name="provider_calls")
    op.drop_index("ix_provider_calls_engagement", table_name="provider_calls")
    op.drop_index("ix_provider_calls_client_started", table_name="provider_calls")
    op.drop_table("provider_calls")
