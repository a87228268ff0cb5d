"""Which worker runs a plan job (SPEC §5): dispatching, claims with leases, heartbeats, locks.

A job is claimed with a lease and a claim token; a worker that died loses its lease and the job
is handed to a live worker. Every write of a job's bookkeeping first takes the locks of its plan
(`locked_job`), so concurrent finishers of one module wait for each other instead of racing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, select, update

from aicmo.adapters.db.tables import ArtifactRow, PlanJobRow, PlanRow, utcnow
from aicmo.domain.schemas.plans import JobStatus, PlanState
from aicmo.services import job_states
from aicmo.services.plans import Dispatch, mark_queued
from aicmo.services.unit_of_work import UnitOfWork

J = JobStatus
REQUEUE_AFTER_S = 15.0


def dispatchable(uow: UnitOfWork) -> Dispatch:
    """Ready jobs of active, running-on plans that are not queued yet, plus jobs whose lease expired."""
    now = utcnow()
    # Ready jobs not queued yet, and queued ones still waiting after REQUEUE_AFTER_S (their enqueue
    # may have been lost with a crashed process; the engine ignores a duplicate workflow id).
    stale = now - timedelta(seconds=REQUEUE_AFTER_S)
    expired = PlanJobRow.status == J.RUNNING.value, PlanJobRow.lease_expires_at < now
    waiting = (
        PlanRow.state == PlanState.ACTIVE.value,
        PlanJobRow.status == J.READY.value,
        or_(
            and_(PlanRow.auto_continue.is_(True), PlanJobRow.queued_at.is_(None)),
            PlanJobRow.queued_at < stale,
        ),
    )
    candidates = select(PlanJobRow.plan_id).join(PlanRow, PlanRow.id == PlanJobRow.plan_id)
    plan_ids = sorted(
        set(uow.session.scalars(candidates.where(*expired)))
        | set(uow.session.scalars(candidates.where(*waiting)))
    )
    if not plan_ids:
        return []
    if not uow.lock_for_write():  # PostgreSQL: the plans' locks, then read their jobs again
        uow.session.scalars(select(PlanRow.id).where(PlanRow.id.in_(plan_ids)).with_for_update()).all()
        uow.session.expire_all()
    for job in uow.session.scalars(select(PlanJobRow).where(PlanJobRow.plan_id.in_(plan_ids), *expired)):
        job_states.lease_expired(job)  # its worker died: hand the job to whoever is alive
    ready = list(
        uow.session.scalars(
            select(PlanJobRow)
            .join(PlanRow, PlanRow.id == PlanJobRow.plan_id)
            .where(PlanJobRow.plan_id.in_(plan_ids), *waiting)
            .order_by(PlanJobRow.plan_id, PlanJobRow.position)
        )
    )
    dispatch = mark_queued(ready)
    uow.commit()
    return dispatch


def renew_leases(uow: UnitOfWork, worker_id: str, lease_s: float) -> int:
    """Extend the leases of this worker's running jobs.

    A plain UPDATE of the lease column, not an ORM write: it leaves the job's row version alone.
    The heartbeat renews while a job is running (an export renders for seconds), and a renewal
    that counted as a change made the job's own completion fail its version check (WriteRace) on
    every long job, each retry meeting the next renewal. The lease is the worker's, not the job's
    state: nobody acts on a stale read of it but the sweeper, which compares it with the clock.
    """
    jobs = PlanJobRow.__table__
    result = uow.session.execute(
        update(jobs)
        .where(jobs.c.status == J.RUNNING.value, jobs.c.worker_id == worker_id)
        .values(lease_expires_at=utcnow() + timedelta(seconds=lease_s))
    )
    uow.commit()
    return int(result.rowcount or 0)


def claim(uow: UnitOfWork, job_id: str, worker_id: str, lease_s: float) -> str | None:
    """Take the job for this worker (not committed); None when it is not this worker's to run."""
    job, plan = locked_job(uow, job_id, with_module=False)
    if job is None or plan is None or not job.enabled:
        return None
    now = utcnow()
    mine = job.status == J.RUNNING.value and job.worker_id == worker_id
    orphaned = (
        job.status == J.RUNNING.value and job.lease_expires_at is not None and job.lease_expires_at < now
    )
    if not (job.status == J.READY.value or mine or orphaned):
        return None
    if plan.state != PlanState.ACTIVE.value:
        if job.status == J.READY.value:
            job_states.unqueued(job)
            uow.commit()
        return None
    return job_states.claim(job, worker_id, now, lease_s, resumed=mine)


def locked_job(
    uow: UnitOfWork, job_id: str, *, with_module: bool = True
) -> tuple[PlanJobRow | None, PlanRow | None]:
    """The job and its plan, read after taking the locks every job's bookkeeping takes.

    Jobs of one module finish concurrently, and the last one must see all the others completed
    (it assembles and stores the module). On SQLite the transaction holds the database's write
    lock from its start (`lock_for_write`). On PostgreSQL it locks, in this order, the module's
    artifact row (`with_module`: the order an operator's approval takes too - artifact, then the
    plan's jobs) and the plan row (SELECT ... FOR UPDATE), then reads the jobs: a concurrent
    finisher waits for the lock and reads what this one wrote, instead of losing a version check
    and writing again.
    """
    if not uow.lock_for_write():
        # Three reads: which plan and module (no lock), the locks, then the job and its plan read
        # afresh under them (a concurrent finisher waits for the lock and reads what this one wrote).
        found = uow.session.execute(
            select(PlanJobRow.plan_id, PlanJobRow.module, PlanRow.engagement_id)
            .join(PlanRow, PlanRow.id == PlanJobRow.plan_id)
            .where(PlanJobRow.id == job_id)
        ).first()
        if found is None:
            return None, None
        plan_id, module, engagement_id = found
        if with_module:
            uow.session.scalars(
                select(ArtifactRow.id)
                .where(ArtifactRow.engagement_id == engagement_id, ArtifactRow.type == module)
                .with_for_update()
            ).all()
        uow.session.expire_all()  # whatever this session read before the locks is read again
        plan = uow.session.get(PlanRow, plan_id, with_for_update=True, populate_existing=True)
        job = uow.session.get(PlanJobRow, job_id, populate_existing=True)
        return job, plan
    job = uow.session.get(PlanJobRow, job_id)
    plan = uow.session.get(PlanRow, job.plan_id) if job else None
    return job, plan
