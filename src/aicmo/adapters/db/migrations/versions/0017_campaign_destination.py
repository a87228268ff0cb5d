"""a campaign's own publishing destination (a webhook URL or an e-mail address; '' = the default)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-11 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("destination", sa.String(length=500), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("destination")
