"""Plans and their jobs: the only SQL for the `plans` and `plan_jobs` tables, including the locks a
job's bookkeeping takes and the runner's sweeps (ready jobs not queued yet, lapsed leases)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from aicmo.adapters.db.repositories import begin_serialized, forget, transaction_memo
from aicmo.adapters.db.tables import ArtifactRow, PlanJobRow, PlanRow
from aicmo.domain.schemas.plans import JobStatus, PlanState

J = JobStatus


class PlanRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- reading -------------------------------------------------------------------------------
    def get(self, plan_id: str) -> PlanRow | None:
        return self.session.get(PlanRow, plan_id)

    def for_engagement(self, engagement_id: str) -> PlanRow | None:
        return self.session.scalar(select(PlanRow).where(PlanRow.engagement_id == engagement_id))

    def job(self, job_id: str) -> PlanJobRow | None:
        return self.session.get(PlanJobRow, job_id)

    def job_and_plan(self, job_id: str) -> tuple[PlanJobRow | None, PlanRow | None]:
        """The job and its plan as this transaction sees them (no lock: see `locked_job`)."""
        job = self.session.get(PlanJobRow, job_id)
        return job, (self.session.get(PlanRow, job.plan_id) if job else None)

    def jobs(self, plan_id: str, module: str | None = None) -> list[PlanJobRow]:
        """The plan's jobs (of `module` only, when given) in plan order (read once per
        transaction: `transaction_memo`)."""
        query = select(PlanJobRow).where(PlanJobRow.plan_id == plan_id)
        if module is not None:
            query = query.where(PlanJobRow.module == module)
        load = lambda: list(self.session.scalars(query.order_by(PlanJobRow.position)))  # noqa: E731
        key = ("plan_jobs", plan_id) if module is None else ("plan_jobs", plan_id, module)
        return list(transaction_memo(self.session, key, load))

    def plan_id_of_job(self, job_id: str) -> str | None:
        return self.session.scalar(select(PlanJobRow.plan_id).where(PlanJobRow.id == job_id))

    # ---- writing -------------------------------------------------------------------------------
    def create(self, **fields: Any) -> PlanRow:
        """A new plan, flushed (its jobs refer to it)."""
        plan = PlanRow(**fields)
        self.session.add(plan)
        self.session.flush()
        return plan

    def add_job(self, **fields: Any) -> PlanJobRow:
        job = PlanJobRow(**fields)
        self.session.add(job)
        return job

    def locked_job(
        self, job_id: str, *, with_module: bool = True
    ) -> tuple[PlanJobRow | None, PlanRow | None]:
        """The job and its plan, read after taking the locks every job's bookkeeping takes.

        Jobs of one module finish concurrently, and the last one must see all the others completed
        (it assembles and stores the module). On SQLite the transaction takes the database's write
        lock from its start (`begin_serialized`). On PostgreSQL it locks, in this order, the
        module's artifact row (`with_module`: the order an operator's approval takes too - artifact,
        then the plan's jobs) and the plan row (SELECT ... FOR UPDATE), then reads the jobs: a
        concurrent finisher waits for the lock and reads what this one wrote, instead of losing a
        version check and writing again.
        """
        if begin_serialized(self.session):
            return self.job_and_plan(job_id)
        # The locks, found through the job (one statement each), then the job read afresh under
        # them: a concurrent finisher waits for the lock and reads what this one wrote.
        if with_module:
            module_of_job = and_(PlanJobRow.plan_id == PlanRow.id, PlanJobRow.module == ArtifactRow.type)
            self.session.scalars(
                select(ArtifactRow.id)
                .join(PlanRow, PlanRow.engagement_id == ArtifactRow.engagement_id)
                .join(PlanJobRow, module_of_job)
                .where(PlanJobRow.id == job_id)
                .with_for_update(of=ArtifactRow)
            ).all()
        self.session.expire_all()  # whatever this session read before the locks is read again
        forget(self.session)
        plan = self.session.scalars(
            select(PlanRow)
            .join(PlanJobRow, PlanJobRow.plan_id == PlanRow.id)
            .where(PlanJobRow.id == job_id)
            .with_for_update(of=PlanRow)
            .execution_options(populate_existing=True)
        ).first()
        if plan is None:
            return None, None
        if with_module:  # a job completing: its plan is refreshed next, which reads every job
            return next((j for j in self.jobs(plan.id) if j.id == job_id), None), plan
        return self.session.get(PlanJobRow, job_id, populate_existing=True), plan

    # ---- the runner's sweeps -------------------------------------------------------------------
    def sweep(self, now: datetime, requeue_before: datetime) -> tuple[list[PlanJobRow], list[PlanJobRow]]:
        """(jobs whose lease lapsed, ready jobs to queue), read under their plans' locks.

        Ready means: of an active plan, either running on (auto-continue) and not queued yet, or
        queued before `requeue_before` and still waiting (its enqueue may have been lost with a
        crashed process; the engine ignores a duplicate workflow id)."""
        expired = PlanJobRow.status == J.RUNNING.value, PlanJobRow.lease_expires_at < now
        waiting = (
            PlanRow.state == PlanState.ACTIVE.value,
            PlanJobRow.status == J.READY.value,
            or_(
                and_(PlanRow.auto_continue.is_(True), PlanJobRow.queued_at.is_(None)),
                PlanJobRow.queued_at < requeue_before,
            ),
        )
        candidates = select(PlanJobRow.plan_id).join(PlanRow, PlanRow.id == PlanJobRow.plan_id)
        plan_ids = sorted(
            set(self.session.scalars(candidates.where(*expired)))
            | set(self.session.scalars(candidates.where(*waiting)))
        )
        if not plan_ids:
            return [], []
        if not begin_serialized(self.session):  # PostgreSQL: the plans' locks, then read their jobs again
            self.session.scalars(select(PlanRow.id).where(PlanRow.id.in_(plan_ids)).with_for_update()).all()
            self.session.expire_all()
            forget(self.session)
        lapsed = list(
            self.session.scalars(select(PlanJobRow).where(PlanJobRow.plan_id.in_(plan_ids), *expired))
        )
        ready = list(
            self.session.scalars(
                select(PlanJobRow)
                .join(PlanRow, PlanRow.id == PlanJobRow.plan_id)
                .where(PlanJobRow.plan_id.in_(plan_ids), *waiting)
                .order_by(PlanJobRow.plan_id, PlanJobRow.position)
            )
        )
        return lapsed, ready

    def renew_leases(self, worker_id: str, until: datetime) -> int:
        """Extend the leases of this worker's running jobs to `until`; how many.

        A plain UPDATE of the lease column, not an ORM write: it leaves the job's row version alone.
        The heartbeat renews while a job is running (an export renders for seconds), and a renewal
        that counted as a change made the job's own completion fail its version check (WriteRace)
        on every long job, each retry meeting the next renewal. The lease is the worker's, not the
        job's state: nobody acts on a stale read of it but the sweeper, which compares it with the
        clock."""
        jobs = PlanJobRow.__table__
        # A job whose bookkeeping holds its row right now is finishing: it is skipped, not waited for.
        # Waiting deadlocked on PostgreSQL: this one statement locks the worker's rows in scan order,
        # across plans and without their plans' locks, while a completion locks its module's rows
        # in its own order (`locked_job`). SQLite (one writer at a time) compiles no FOR UPDATE.
        mine = (
            select(jobs.c.id)
            .where(jobs.c.status == J.RUNNING.value, jobs.c.worker_id == worker_id)
            .with_for_update(skip_locked=True)
        )
        result = self.session.execute(
            update(jobs)
            .where(jobs.c.id.in_(mine.scalar_subquery()), jobs.c.status == J.RUNNING.value)
            .values(lease_expires_at=until)
        )
        return int(getattr(result, "rowcount", 0) or 0)
