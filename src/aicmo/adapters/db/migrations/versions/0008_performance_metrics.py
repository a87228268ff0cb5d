"""performance metrics: imported files and their rows

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 16:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "metric_imports",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("engagement_id", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("rows_imported", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_metric_imports_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_imports")),
    )
    op.create_index("ix_metric_imports_engagement", "metric_imports", ["engagement_id", "created_at"])
    op.create_table(
        "metric_rows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.String(length=64), nullable=False),
        sa.Column("engagement_id", sa.String(length=64), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=False),
        sa.Column("post", sa.String(length=500), nullable=False),
        *(sa.Column(n, sa.Integer(), nullable=True) for n in ("impressions", "reach", "engagements")),
        *(sa.Column(n, sa.Integer(), nullable=True) for n in ("clicks", "conversions")),
        *(sa.Column(n, sa.Float(), nullable=True) for n in ("spend", "revenue", "sentiment")),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["metric_imports.id"],
            name=op.f("fk_metric_rows_import_id_metric_imports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_metric_rows_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_rows")),
    )
    op.create_index("ix_metric_rows_engagement_day", "metric_rows", ["engagement_id", "day"])


def downgrade() -> None:
    op.drop_index("ix_metric_rows_engagement_day", table_name="metric_rows")
    op.drop_table("metric_rows")
    op.drop_index("ix_metric_imports_engagement", table_name="metric_imports")
    op.drop_table("metric_imports")
