"""lead names, place, time zone, enrichment, engagement and import batch; outreach sequences,
enrolments, sends and the suppression list

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_TEXT = ("first_name", "last_name", "city", "region")


def _now() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "lead_batches",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("engagement_id", sa.String(length=64), nullable=True),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("known", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("kept", sa.Integer(), nullable=False),
        _now(),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_lead_batches_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_lead_batches_engagement_id_engagements"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_batches")),
    )
    op.create_index("ix_lead_batches_client", "lead_batches", ["client_id", "created_at"])
    with op.batch_alter_table("leads") as batch:
        for name in _TEXT:
            batch.add_column(sa.Column(name, sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("company_domain", sa.String(length=255), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("free_mail", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("role_account", sa.Boolean(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("seniority", sa.String(length=32), nullable=False, server_default=""))
        batch.add_column(sa.Column("tier", sa.String(length=8), nullable=False, server_default="COLD"))
        for name in ("opens", "clicks", "replies"):
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("batch_id", sa.String(length=64), nullable=True))
        batch.create_foreign_key(
            "fk_leads_batch_id_lead_batches", "lead_batches", ["batch_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_leads_batch_id", ["batch_id"], unique=False)
    op.create_table(
        "suppressions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        _now(),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_suppressions_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppressions")),
        sa.UniqueConstraint("client_id", "email", name="uq_suppressions_client_email"),
    )
    op.create_table(
        "outreach_sequences",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("daily_caps", sa.JSON(), nullable=False),
        sa.Column("quiet_start", sa.Integer(), nullable=False),
        sa.Column("quiet_end", sa.Integer(), nullable=False),
        sa.Column("default_timezone", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("postal_address", sa.String(length=500), nullable=False),
        sa.Column("unsubscribe_base", sa.String(length=500), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _now(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_outreach_sequences_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_sequences")),
    )
    op.create_index("ix_outreach_sequences_client", "outreach_sequences", ["client_id", "created_at"])
    op.create_table(
        "outreach_enrolments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("sequence_id", sa.String(length=64), nullable=False),
        sa.Column("lead_id", sa.String(length=64), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stop_reason", sa.String(length=200), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unsubscribe_token", sa.String(length=64), nullable=False),
        _now(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sequence_id"],
            ["outreach_sequences.id"],
            name=op.f("fk_outreach_enrolments_sequence_id_outreach_sequences"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_outreach_enrolments_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_enrolments")),
        sa.UniqueConstraint("sequence_id", "lead_id", name="uq_outreach_enrolments_sequence_lead"),
        sa.UniqueConstraint("unsubscribe_token", name=op.f("uq_outreach_enrolments_unsubscribe_token")),
    )
    op.create_index(
        "ix_outreach_enrolments_due", "outreach_enrolments", ["sequence_id", "status", "next_due_at"]
    )
    op.create_index("ix_outreach_enrolments_lead_id", "outreach_enrolments", ["lead_id"])
    op.create_table(
        "outreach_sends",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("sequence_id", sa.String(length=64), nullable=False),
        sa.Column("enrolment_id", sa.String(length=64), nullable=False),
        sa.Column("lead_id", sa.String(length=64), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("to", sa.String(length=320), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=False),
        sa.Column("server_reply", sa.String(length=500), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=False),
        _now(),
        sa.ForeignKeyConstraint(
            ["sequence_id"],
            ["outreach_sequences.id"],
            name=op.f("fk_outreach_sends_sequence_id_outreach_sequences"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["outreach_enrolments.id"],
            name=op.f("fk_outreach_sends_enrolment_id_outreach_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_outreach_sends_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_sends")),
        sa.UniqueConstraint("enrolment_id", "step", name="uq_outreach_sends_enrolment_step"),
    )
    op.create_index("ix_outreach_sends_cap", "outreach_sends", ["sequence_id", "channel", "sent_on"])


def downgrade() -> None:
    op.drop_table("outreach_sends")
    op.drop_table("outreach_enrolments")
    op.drop_table("outreach_sequences")
    op.drop_table("suppressions")
    with op.batch_alter_table("leads") as batch:
        batch.drop_index("ix_leads_batch_id")
        batch.drop_constraint("fk_leads_batch_id_lead_batches", type_="foreignkey")
        for name in (
            "batch_id",
            "last_activity_at",
            "replies",
            "clicks",
            "opens",
            "tier",
            "seniority",
            "role_account",
            "free_mail",
            "company_domain",
            "timezone",
            *_TEXT,
        ):
            batch.drop_column(name)
    op.drop_index("ix_lead_batches_client", "lead_batches")
    op.drop_table("lead_batches")
