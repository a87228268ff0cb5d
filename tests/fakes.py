"""In-memory fakes of the ports, for service tests that need no database.

`FakeUnitOfWork` subclasses the real port (`services.unit_of_work.UnitOfWork`) and keeps rows in
dicts. Adding a row fills its column defaults the way a flush would (ids are the caller's), so
the same services run on it unchanged. It records whether the service committed; nothing is
rolled back because nothing is shared between fakes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from types import SimpleNamespace, TracebackType
from typing import Any, Generic, Self, TypeVar

from aicmo.adapters.db.tables import (
    ApiTokenRow,
    ArtifactRow,
    ArtifactVersionRow,
    AuditRow,
    Base,
    ClientRow,
    EngagementRow,
    ExportRow,
    GenerationRunRow,
    LeadBatchRow,
    LeadRow,
    PlanJobRow,
    PlanRow,
    ProposalRow,
    ShareLinkRevocationRow,
)
from aicmo.domain.leads import LeadFilter
from aicmo.services.unit_of_work import UnitOfWork

RowT = TypeVar("RowT", bound=Base)
T = TypeVar("T")


def with_defaults(row: RowT) -> RowT:
    """Fill the Python-side column defaults a flush would (timestamps, versions, empty strings)."""
    for column in row.__table__.columns:
        default = column.default
        if default is None or getattr(row, column.key, None) is not None:
            continue
        value = default.arg(None) if default.is_callable else default.arg
        setattr(row, column.key, value)
    return row


class FakeRepository(Generic[RowT]):
    row_type: type[RowT]

    def __init__(self, row_type: type[RowT] | None = None) -> None:
        self.rows: dict[Any, RowT] = {}
        if row_type is not None:
            self.row_type = row_type

    def add(self, row: RowT) -> RowT:
        key = getattr(row, "id", None) or len(self.rows) + 1
        self.rows[key] = with_defaults(row)
        return row

    def create(self, **fields: Any) -> RowT:
        return self.add(self.row_type(**fields))

    def get(self, row_id: Any) -> RowT | None:
        return self.rows.get(row_id)


class FakeArtifactRepository(FakeRepository[ArtifactRow]):
    row_type = ArtifactRow

    def __init__(self) -> None:
        super().__init__()
        self.version_rows: list[ArtifactVersionRow] = []

    def by_engagement(self, engagement_id: str) -> dict[str, ArtifactRow]:
        return {row.type: row for row in self.rows.values() if row.engagement_id == engagement_id}

    def create_version(self, **fields: Any) -> ArtifactVersionRow:
        row = with_defaults(ArtifactVersionRow(**fields))
        self.version_rows.append(row)
        return row


class FakeAuditRepository(FakeRepository[AuditRow]):
    row_type = AuditRow

    def actions(self) -> list[str]:
        return [row.action for row in self.rows.values()]


class FakeLeadRepository(FakeRepository[LeadRow]):
    row_type = LeadRow

    def __init__(self) -> None:
        super().__init__()
        self.batch_rows: dict[str, LeadBatchRow] = {}

    def emails(self, client_id: str) -> set[str]:
        return {row.email for row in self.rows.values() if row.client_id == client_id}

    def by_email(self, client_id: str, email: str) -> LeadRow | None:
        return next((r for r in self.rows.values() if r.client_id == client_id and r.email == email), None)

    def by_ids(self, client_id: str, ids: list[str]) -> list[LeadRow]:
        return [r for r in self.rows.values() if r.client_id == client_id and r.id in set(ids)]

    @contextmanager
    def bulk_insert(self, common: Mapping[str, Any]) -> Iterator[Any]:
        added: list[dict[str, Any]] = []  # every set so far: a row may name an earlier part's

        def add(
            columns: Mapping[str, Sequence[Any]],
            shared: Sequence[Mapping[str, Any]],
            shared_of: Sequence[int],
        ) -> None:
            added.extend(shared)
            for n, slot in enumerate(shared_of):
                own = {key: values[n] for key, values in columns.items()}
                self.add(LeadRow(**{**common, **added[slot], **own}))

        yield SimpleNamespace(add=add)

    def list(
        self, *, client_id: str, filters: LeadFilter | None = None, limit: int, offset: int
    ) -> tuple[list[LeadRow], int]:
        wanted = filters or LeadFilter()
        rows = [r for r in self.rows.values() if r.client_id == client_id and wanted.matches(vars(r))]
        rows.sort(key=lambda r: (-r.score, r.created_at, r.id))
        return rows[offset : offset + limit], len(rows)

    def create_batch(self, **fields: Any) -> LeadBatchRow:
        row = self.batch_rows[fields["id"]] = with_defaults(LeadBatchRow(**fields))
        return row

    def batch(self, batch_id: str) -> LeadBatchRow | None:
        return self.batch_rows.get(batch_id)

    def batches(self, client_id: str) -> list[LeadBatchRow]:
        rows = [b for b in self.batch_rows.values() if b.client_id == client_id]
        return sorted(rows, key=lambda b: (b.created_at, b.id), reverse=True)

    def undo_batch(self, batch_id: str, statuses: list[str]) -> tuple[int, int]:
        doomed = [k for k, r in self.rows.items() if r.batch_id == batch_id and r.status in statuses]
        for key in doomed:
            del self.rows[key]
        return len(doomed), sum(1 for r in self.rows.values() if r.batch_id == batch_id)


class FakeExportRepository(FakeRepository[ExportRow]):
    row_type = ExportRow

    def get(self, export_id: str, *, with_data: bool = False) -> ExportRow | None:
        return self.rows.get(export_id)

    def for_engagement(
        self, engagement_id: str, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[ExportRow], int]:
        rows = sorted(
            (r for r in self.rows.values() if r.engagement_id == engagement_id),
            key=lambda r: (r.created_at, r.id),
            reverse=True,
        )
        return rows[offset : offset + limit], len(rows)

    def latest(self, engagement_id: str, fmt: str, *, content_hash: str | None = None) -> ExportRow | None:
        rows, _ = self.for_engagement(engagement_id, limit=len(self.rows) or 1)
        return next((r for r in rows if r.format == fmt and content_hash in (None, r.content_hash)), None)


class FakeProposalRepository(FakeRepository[ProposalRow]):
    row_type = ProposalRow

    def open_for(self, artifact_id: str, *, status: str) -> list[ProposalRow]:
        return [r for r in self.rows.values() if r.artifact_id == artifact_id and r.status == status]

    def for_engagement(self, engagement_id: str, *, status: str | None = None) -> list[ProposalRow]:
        rows = [
            r for r in self.rows.values() if r.engagement_id == engagement_id and status in (None, r.status)
        ]
        return sorted(rows, key=lambda r: r.created_at, reverse=True)


class FakeShareLinkRepository:
    def __init__(self) -> None:
        self.rows: dict[str, ShareLinkRevocationRow] = {}

    def revocation(self, link_id: str) -> ShareLinkRevocationRow | None:
        return self.rows.get(link_id)

    def revoke(self, link_id: str, engagement_id: str, revoked_by: str) -> ShareLinkRevocationRow:
        row = ShareLinkRevocationRow(link_id=link_id, engagement_id=engagement_id, revoked_by=revoked_by)
        self.rows[link_id] = with_defaults(row)
        return row

    def revoked_links(self, engagement_id: str) -> set[str]:
        return {k for k, r in self.rows.items() if r.engagement_id == engagement_id}


class FakeProviderCallRepository:
    """Provider calls as recorded (`domain.provider_calls.ProviderCall`), in order."""

    def __init__(self) -> None:
        self.calls: list[Any] = []
        self.jobs: dict[str, tuple[str, str]] = {}  # job id -> (client id, engagement id)

    def add(self, call: Any) -> None:
        self.calls.append(call)

    def finish(self, call: Any) -> bool:
        at = next((i for i, c in enumerate(self.calls) if c.id == call.id), None)
        if at is None:
            return False
        self.calls[at] = replace(call, scope=self.calls[at].scope)
        return True

    def owner_of_job(self, job_id: str) -> tuple[str, str] | None:
        return self.jobs.get(job_id)

    def count(self) -> int:
        return len(self.calls)


class FakePlanRepository:
    """Plans and jobs in dicts; no locks to take (one fake transaction at a time)."""

    def __init__(self) -> None:
        self.plans: dict[str, PlanRow] = {}
        self.all_jobs: dict[str, PlanJobRow] = {}

    def get(self, plan_id: str) -> PlanRow | None:
        return self.plans.get(plan_id)

    def for_engagement(self, engagement_id: str) -> PlanRow | None:
        return next((p for p in self.plans.values() if p.engagement_id == engagement_id), None)

    def job(self, job_id: str) -> PlanJobRow | None:
        return self.all_jobs.get(job_id)

    def job_and_plan(self, job_id: str) -> tuple[PlanJobRow | None, PlanRow | None]:
        job = self.all_jobs.get(job_id)
        return job, (self.plans.get(job.plan_id) if job else None)

    def locked_job(
        self, job_id: str, *, with_module: bool = True
    ) -> tuple[PlanJobRow | None, PlanRow | None]:
        return self.job_and_plan(job_id)

    def jobs(self, plan_id: str, module: str | None = None) -> list[PlanJobRow]:
        mine = (j for j in self.all_jobs.values() if j.plan_id == plan_id and module in (None, j.module))
        return sorted(mine, key=lambda j: j.position)

    def plan_id_of_job(self, job_id: str) -> str | None:
        job = self.all_jobs.get(job_id)
        return job.plan_id if job else None

    def create(self, **fields: Any) -> PlanRow:
        plan = self.plans[fields["id"]] = with_defaults(PlanRow(**fields))
        return plan

    def add_job(self, **fields: Any) -> PlanJobRow:
        job = self.all_jobs[fields["id"]] = with_defaults(PlanJobRow(**fields))
        return job

    def sweep(self, now: datetime, requeue_before: datetime) -> tuple[list[PlanJobRow], list[PlanJobRow]]:
        def waiting(job: PlanJobRow) -> bool:
            plan = self.plans[job.plan_id]
            return (
                plan.state == "active"
                and job.status == "ready"
                and (
                    (plan.auto_continue and job.queued_at is None)
                    or (job.queued_at is not None and job.queued_at < requeue_before)
                )
            )

        jobs = sorted(self.all_jobs.values(), key=lambda j: (j.plan_id, j.position))
        lapsed = [
            j for j in jobs if j.status == "running" and j.lease_expires_at and j.lease_expires_at < now
        ]
        return lapsed, [j for j in jobs if waiting(j)]

    def renew_leases(self, worker_id: str, until: datetime) -> int:
        mine = [j for j in self.all_jobs.values() if j.status == "running" and j.worker_id == worker_id]
        for job in mine:
            job.lease_expires_at = until
        return len(mine)


class FakeUnitOfWork(UnitOfWork):
    """The port over dicts: what a service stored, and whether it committed."""

    def __init__(self) -> None:
        self.clients = FakeRepository(ClientRow)
        self.engagements = FakeRepository(EngagementRow)
        self.artifacts = FakeArtifactRepository()
        self.audit = FakeAuditRepository()
        self.tokens = FakeRepository(ApiTokenRow)
        self.leads = FakeLeadRepository()
        self.runs = FakeRepository(GenerationRunRow)
        self.plans = FakePlanRepository()
        self.provider_calls = FakeProviderCallRepository()
        self.exports = FakeExportRepository()
        self.proposals = FakeProposalRepository()
        self.share_links = FakeShareLinkRepository()
        self.commits = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1

    def flush(self) -> None:
        return None
