"""posts jobs write a few weeks of one platform

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Null: the job is not a posts job, or (a plan made before batches) owns the whole platform.
    with op.batch_alter_table("plan_jobs") as batch:
        batch.add_column(sa.Column("weeks", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_jobs") as batch:
        batch.drop_column("weeks")
