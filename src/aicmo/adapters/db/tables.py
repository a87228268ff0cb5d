"""Table mappings (SQLAlchemy 2 typed ORM). Rows are `<Concept>Row`; the API never sees them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON, float: Float}


class ClientRow(Base):
    __tablename__ = "clients"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(2000), default="")
    website: Mapped[str] = mapped_column(String(2000), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class EngagementRow(Base):
    __tablename__ = "engagements"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    duration_weeks: Mapped[int] = mapped_column(Integer, default=12)
    autonomy_level: Mapped[str] = mapped_column(String(16), default="manual")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ArtifactRow(Base):
    """The current state of one artifact; every content version is also an ArtifactVersionRow."""

    __tablename__ = "artifacts"
    __table_args__ = (UniqueConstraint("engagement_id", "type", name="uq_artifacts_engagement_type"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(32), index=True)
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_markdown: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    inputs_hash: Mapped[str] = mapped_column(String(64), default="")
    source_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    stale_causes: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    approved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic lock for every write, status-only ones included: a concurrent writer gets a
    # StaleDataError (mapped to 409) instead of silently overwriting.
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": row_version}


class ArtifactVersionRow(Base):
    __tablename__ = "artifact_versions"
    __table_args__ = (UniqueConstraint("artifact_id", "version", name="uq_artifact_versions_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    artifact_id: Mapped[str] = mapped_column(ForeignKey("artifacts.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_markdown: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    inputs_hash: Mapped[str] = mapped_column(String(64), default="")
    source_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_client_at", "client_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    engagement_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    artifact_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    artifact_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    from_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    from_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    trace_id: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)


class GenerationRunRow(Base):
    """One generation: who asked, which provider answered, what it cost, what the gates found.

    The per-client cost ledger and the pipeline manifest read these rows.
    """

    __tablename__ = "generation_runs"
    __table_args__ = (Index("ix_generation_runs_client_created", "client_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    module: Mapped[str] = mapped_column(String(32))
    artifact_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(200), default="")
    prompt_version: Mapped[str] = mapped_column(String(32), default="")
    inputs_hash: Mapped[str] = mapped_column(String(64), default="")
    requests: Mapped[int] = mapped_column(Integer, default=0)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[list[Any]] = mapped_column(default=list)
    error: Mapped[str] = mapped_column(Text, default="")
    trace_id: Mapped[str] = mapped_column(String(64), default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProviderCallRow(Base):
    """One provider call as the cost ledger counts it, written in its own transaction when the call
    returned or failed (`domain.provider_calls.ProviderCall`). No foreign keys: what was paid
    stays in the ledger whatever happens to the job or engagement it served."""

    __tablename__ = "provider_calls"
    __table_args__ = (
        Index("ix_provider_calls_client_started", "client_id", "started_at"),
        Index("ix_provider_calls_engagement", "engagement_id"),
        Index("ix_provider_calls_job", "job_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    engagement_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    job_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    trace_id: Mapped[str] = mapped_column(String(64), default="")
    actor: Mapped[str] = mapped_column(String(200), default="")
    module: Mapped[str] = mapped_column(String(32))
    provider: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(String(8))  # pending (started, not ended yet) | ok | error
    ahead: Mapped[bool] = mapped_column(Boolean, default=False)  # started ahead of its job
    requests: Mapped[int] = mapped_column(Integer, default=0)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(default=0.0)
    error: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column()
    finished_at: Mapped[datetime] = mapped_column()


class PlanRow(Base):
    """An engagement's generation plan (SPEC §5). One per engagement; jobs are PlanJobRow."""

    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), unique=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="active")
    auto_continue: Mapped[bool] = mapped_column(Boolean, default=False)
    intake_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PlanJobRow(Base):
    """One job of a plan: its place in the DAG, its state, and the lease of the worker running it."""

    __tablename__ = "plan_jobs"
    __table_args__ = (
        UniqueConstraint("plan_id", "key", name="uq_plan_jobs_plan_key"),
        Index("ix_plan_jobs_status_lease", "status", "lease_expires_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    module: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str | None] = mapped_column(String(32), nullable=True)
    weeks: Mapped[list[Any] | None] = mapped_column(nullable=True)  # a posts job's [first, last] week
    kind: Mapped[str] = mapped_column(String(16), default="generate")
    export_format: Mapped[str | None] = mapped_column(String(8), nullable=True)
    depends_on: Mapped[list[Any]] = mapped_column(default=list)
    content_fields: Mapped[list[Any]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    blocked_reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=4)
    error: Mapped[str] = mapped_column(Text, default="")
    llm_calls: Mapped[int] = mapped_column(Integer, default=0)
    provider_attempts: Mapped[int] = mapped_column(Integer, default=0)
    inputs_hash: Mapped[str] = mapped_column(String(64), default="")
    artifact_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    run_no: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[str] = mapped_column(String(64), default="")
    worker_id: Mapped[str] = mapped_column(String(200), default="")
    lease_expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    queued_at: Mapped[datetime | None] = mapped_column(nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    trace_id: Mapped[str] = mapped_column(String(64), default="")  # of the request that queued it
    # The part this job wrote (its fields of the module's content): the module's version is
    # assembled from its jobs' parts once the last one is written (one version per module per run).
    output: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Why the job is blocked, skipped or running again: a `domain.job_state.BlockReason` as data
    # (`blocked_reason` is its rendering for people).
    reason: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": row_version}


class ProposalRow(Base):
    """A plan job's regeneration of a module an operator amended, kept beside the artifact
    instead of overwriting it, until the operator accepts, merges or discards it."""

    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_engagement_status", "engagement_id", "status"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    artifact_id: Mapped[str] = mapped_column(ForeignKey("artifacts.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(32))
    base_version: Mapped[int] = mapped_column(Integer)  # the artifact's version it was proposed against
    status: Mapped[str] = mapped_column(String(16), default="open")
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_markdown: Mapped[str] = mapped_column(Text, default="")
    inputs_hash: Mapped[str] = mapped_column(String(64), default="")
    source_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    findings: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": row_version}


class ExportRow(Base):
    """One delivered file (PDF, PPTX, ZIP, MD, JSON): who exported which artifact versions, and when.

    The file is kept in `data` (deferred: listing exports never loads it). A blob, not a file in a
    folder, because export jobs run on whichever worker picks them up and commit with the job, while
    the API that serves the download may run on another host.
    """

    __tablename__ = "exports"
    __table_args__ = (Index("ix_exports_engagement_created", "engagement_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    manifest: Mapped[dict[str, Any]] = mapped_column(default=dict)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LeadBatchRow(Base):
    """One CSV import: what it created and refused; `undone_at` once its leads were removed."""

    __tablename__ = "lead_batches"
    __table_args__ = (Index("ix_lead_batches_client", "client_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    engagement_id: Mapped[str | None] = mapped_column(
        ForeignKey("engagements.id", ondelete="SET NULL"), nullable=True
    )
    filename: Mapped[str] = mapped_column(String(300), default="")
    actor: Mapped[str] = mapped_column(String(200), default="")
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    known: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[list[Any]] = mapped_column(default=list)
    columns: Mapped[dict[str, Any]] = mapped_column(default=dict)  # file header -> lead field
    undone_at: Mapped[datetime | None] = mapped_column(nullable=True)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    kept: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LeadRow(Base):
    """A lead of one client (SPEC §7), unique by e-mail within the client; `score_reasons` say
    where its score comes from."""

    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("client_id", "email", name="uq_leads_client_email"),
        Index("ix_leads_client_status", "client_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    engagement_id: Mapped[str | None] = mapped_column(
        ForeignKey("engagements.id", ondelete="SET NULL"), nullable=True
    )
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(500), default="")
    company: Mapped[str] = mapped_column(String(500), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    campaign: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str] = mapped_column(String(32), default="", server_default="")  # E.164
    first_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    last_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    city: Mapped[str] = mapped_column(String(200), default="", server_default="")
    region: Mapped[str] = mapped_column(String(200), default="", server_default="")  # state, county
    timezone: Mapped[str] = mapped_column(String(64), default="", server_default="")  # IANA; quiet hours
    # offline enrichment (domain/leads.enrich): recomputed with the score
    company_domain: Mapped[str] = mapped_column(String(255), default="", server_default="")
    free_mail: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    role_account: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    seniority: Mapped[str] = mapped_column(String(32), default="", server_default="")
    tier: Mapped[str] = mapped_column(String(8), default="COLD", server_default="COLD")
    # engagement counted from outreach events
    opens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    clicks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    replies: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_activity_at: Mapped[datetime | None] = mapped_column(nullable=True)
    batch_id: Mapped[str | None] = mapped_column(
        ForeignKey("lead_batches.id", ondelete="SET NULL"), nullable=True, index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="NEW")
    score: Mapped[int] = mapped_column(Integer, default=0)
    score_reasons: Mapped[list[Any]] = mapped_column(default=list)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": row_version}


class MetricImportRow(Base):
    """One performance-data file imported for an engagement: which columns were read, what was refused."""

    __tablename__ = "metric_imports"
    __table_args__ = (Index("ix_metric_imports_engagement", "engagement_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(300), default="")
    columns: Mapped[dict[str, Any]] = mapped_column(default=dict)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MetricRowRow(Base):
    """One row of imported performance data; a NULL number is "not in the export", never zero."""

    __tablename__ = "metric_rows"
    __table_args__ = (Index("ix_metric_rows_engagement_day", "engagement_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[str] = mapped_column(ForeignKey("metric_imports.id", ondelete="CASCADE"))
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    source_row: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    platform: Mapped[str] = mapped_column(String(64))
    post: Mapped[str] = mapped_column(String(500), default="")
    impressions: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reach: Mapped[int | None] = mapped_column(Integer, nullable=True)
    engagements: Mapped[int | None] = mapped_column(Integer, nullable=True)
    clicks: Mapped[int | None] = mapped_column(Integer, nullable=True)
    conversions: Mapped[int | None] = mapped_column(Integer, nullable=True)
    spend: Mapped[float | None] = mapped_column(Float, nullable=True)
    revenue: Mapped[float | None] = mapped_column(Float, nullable=True)
    sentiment: Mapped[float | None] = mapped_column(Float, nullable=True)
    # the post the row names, as the execution plan had it when the row was imported (learning)
    pillar: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[str] = mapped_column(String(100), default="")
    slot: Mapped[str] = mapped_column(String(20), default="")


class MentionImportRow(Base):
    """One social-listening export imported for an engagement: columns read, rows refused."""

    __tablename__ = "mention_imports"
    __table_args__ = (Index("ix_mention_imports_engagement", "engagement_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(300), default="")
    columns: Mapped[dict[str, Any]] = mapped_column(default=dict)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    sentiment_computed: Mapped[int] = mapped_column(Integer, default=0)  # scored from the text here
    errors: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MentionRow(Base):
    """One imported mention; `sentiment_computed` says the score came from its text, not the export."""

    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_engagement_day", "engagement_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    import_id: Mapped[str] = mapped_column(ForeignKey("mention_imports.id", ondelete="CASCADE"))
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    source_row: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    platform: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    reach: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sentiment: Mapped[float] = mapped_column(Float)
    sentiment_computed: Mapped[bool] = mapped_column(Boolean, default=False)


class ShareLinkRevocationRow(Base):
    """A share link taken back before it expired. Links are signed, not stored: a revocation is the
    one thing kept about a link, by its id (the `link_id` in its claims)."""

    __tablename__ = "share_link_revocations"

    link_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    revoked_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[datetime] = mapped_column(default=utcnow)


class CampaignRow(Base):
    """A campaign of one engagement (SPEC §6); its items are the posts under review."""

    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_engagement", "engagement_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    engagement_id: Mapped[str] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    objective: Mapped[str] = mapped_column(String(300))
    platforms: Mapped[list[Any]] = mapped_column(default=list)
    cadence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(16), default="manual")
    channel: Mapped[str] = mapped_column(String(16), default="webhook")  # live mode's adapter
    # live mode: its own webhook URL or e-mail address ('' = the deployment's); may hold a token
    destination: Mapped[str] = mapped_column(String(500), default="", server_default="")
    audience: Mapped[int | None] = mapped_column(Integer, nullable=True)
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": row_version}


class CampaignItemRow(Base):
    """One post of a campaign: its text version, review status and, once out, its URL or simulation."""

    __tablename__ = "campaign_items"
    __table_args__ = (Index("ix_campaign_items_campaign", "campaign_id", "scheduled_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))
    scheduled_at: Mapped[datetime] = mapped_column()
    pillar: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)
    hashtags: Mapped[list[Any]] = mapped_column(default=list)
    cta: Mapped[str] = mapped_column(String(300), default="")
    image_prompt: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    version: Mapped[int] = mapped_column(Integer, default=1)
    approved_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    published_url: Mapped[str] = mapped_column(String(2000), default="")
    simulated: Mapped[dict[str, Any]] = mapped_column(default=dict)
    history: Mapped[list[Any]] = mapped_column(default=list)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": row_version}


class PublishJobRow(Base):
    """Live mode: one approved item version going out through a publishing adapter (SPEC §6).

    The idempotency key is stable per item version, so a send repeated after a crash is recognised
    by the receiver; `run_no` names the engine run that may send it (a requeue takes the next one).
    """

    __tablename__ = "publish_jobs"
    __table_args__ = (
        UniqueConstraint("item_id", "version", name="uq_publish_jobs_item_version"),
        Index("ix_publish_jobs_status", "status", "not_before"),
        Index("ix_publish_jobs_campaign", "campaign_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("campaign_items.id", ondelete="CASCADE"))
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    run_no: Mapped[int] = mapped_column(Integer, default=1)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    queued_at: Mapped[datetime | None] = mapped_column(nullable=True)
    worker_id: Mapped[str] = mapped_column(String(100), default="")
    claim_token: Mapped[str] = mapped_column(String(64), default="")
    lease_expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    provider_id: Mapped[str] = mapped_column(String(500), default="")
    provider_url: Mapped[str] = mapped_column(String(2000), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    log: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SuppressionRow(Base):
    """An address a client must not e-mail: suppressed by hand, unsubscribed, or bounced."""

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("client_id", "email", name="uq_suppressions_client_email"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(String(16))  # SUPPRESSED | UNSUBSCRIBED | BOUNCED
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SequenceRow(Base):
    """An outreach sequence: its steps (channel, wait, template), caps, quiet hours and sender."""

    __tablename__ = "outreach_sequences"
    __table_args__ = (Index("ix_outreach_sequences_client", "client_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    steps: Mapped[list[Any]] = mapped_column(default=list)
    daily_caps: Mapped[dict[str, Any]] = mapped_column(default=dict)  # channel -> sends per day
    quiet_start: Mapped[int] = mapped_column(Integer, default=20)  # hour, recipient's local time
    quiet_end: Mapped[int] = mapped_column(Integer, default=8)
    default_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    sender: Mapped[str] = mapped_column(String(320), default="")
    postal_address: Mapped[str] = mapped_column(String(500))
    unsubscribe_base: Mapped[str] = mapped_column(String(500))
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": row_version}


class EnrolmentRow(Base):
    """One lead in one sequence: the next step and when it is due, or why it stopped."""

    __tablename__ = "outreach_enrolments"
    __table_args__ = (
        UniqueConstraint("sequence_id", "lead_id", name="uq_outreach_enrolments_sequence_lead"),
        Index("ix_outreach_enrolments_due", "sequence_id", "status", "next_due_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sequence_id: Mapped[str] = mapped_column(ForeignKey("outreach_sequences.id", ondelete="CASCADE"))
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    step: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="ACTIVE")  # ACTIVE | DONE | STOPPED
    stop_reason: Mapped[str] = mapped_column(String(200), default="")
    next_due_at: Mapped[datetime] = mapped_column(default=utcnow)
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutreachSendRow(Base):
    """One attempt to send one step to one lead: SENT (with the server's reply) or FAILED."""

    __tablename__ = "outreach_sends"
    __table_args__ = (
        Index("ix_outreach_sends_cap", "sequence_id", "channel", "sent_on"),
        UniqueConstraint("enrolment_id", "step", name="uq_outreach_sends_enrolment_step"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sequence_id: Mapped[str] = mapped_column(ForeignKey("outreach_sequences.id", ondelete="CASCADE"))
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("outreach_enrolments.id", ondelete="CASCADE"))
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    step: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    sent_on: Mapped[date] = mapped_column(Date)  # the day (sequence time zone) its cap counts against
    status: Mapped[str] = mapped_column(String(16))  # SENT | FAILED
    to: Mapped[str] = mapped_column(String(320))
    message_id: Mapped[str] = mapped_column(String(500), default="")
    server_reply: Mapped[str] = mapped_column(String(500), default="")
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
