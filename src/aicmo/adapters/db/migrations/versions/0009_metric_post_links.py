"""metric rows remember the post they measured: its pillar, format and posting slot at import

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = (("pillar", 200), ("format", 100), ("slot", 20))


def upgrade() -> None:
    with op.batch_alter_table("metric_rows") as batch:
        for name, length in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length=length), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("metric_rows") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
