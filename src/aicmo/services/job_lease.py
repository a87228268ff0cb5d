"""Which worker runs a plan job (SPEC §5): dispatching, claims with leases, heartbeats, locks.

A job is claimed with a lease and a claim token; a worker that died loses its lease and the job
is handed to a live worker. Every write of a job's bookkeeping first takes the locks of its plan
(`locked_job`), so concurrent finishers of one module wait for each other instead of racing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aicmo.domain.schemas.plans import JobStatus, PlanState
from aicmo.services import job_states
from aicmo.services.plans import Dispatch, mark_queued
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import PlanJobRow, PlanRow

J = JobStatus
REQUEUE_AFTER_S = 15.0


def dispatchable(uow: UnitOfWork) -> Dispatch:
    """Ready jobs of active, running-on plans that are not queued yet (or queued REQUEUE_AFTER_S
    ago and still waiting), plus jobs whose lease expired: those are handed to whoever is alive."""
    now = datetime.now(UTC)
    lapsed, ready = uow.plans.sweep(now, now - timedelta(seconds=REQUEUE_AFTER_S))
    if not (lapsed or ready):
        return []
    for job in lapsed:
        job_states.lease_expired(job)  # its worker died: hand the job to whoever is alive
    dispatch = mark_queued(ready)
    uow.commit()
    return dispatch


def renew_leases(uow: UnitOfWork, worker_id: str, lease_s: float) -> int:
    """Extend the leases of this worker's running jobs (they are still alive); commits."""
    renewed = uow.plans.renew_leases(worker_id, datetime.now(UTC) + timedelta(seconds=lease_s))
    uow.commit()
    return renewed


def claim(uow: UnitOfWork, job_id: str, worker_id: str, lease_s: float) -> str | None:
    """Take the job for this worker (not committed): its claim token, or None when it is not this
    worker's to run."""
    claimed = claim_job(uow, job_id, worker_id, lease_s)
    return claimed[0] if claimed else None


def claim_job(
    uow: UnitOfWork, job_id: str, worker_id: str, lease_s: float
) -> tuple[str, PlanJobRow, PlanRow] | None:
    """`claim`, with the job and its plan as claimed (the caller keeps them: the session holds
    rows it has no changes for only weakly, and reading them again is a round trip)."""
    job, plan = locked_job(uow, job_id, with_module=False)
    if job is None or plan is None or not job.enabled:
        return None
    now = datetime.now(UTC)
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
    return job_states.claim(job, worker_id, now, lease_s, resumed=mine), job, plan


def locked_job(
    uow: UnitOfWork, job_id: str, *, with_module: bool = True
) -> tuple[PlanJobRow | None, PlanRow | None]:
    """The job and its plan, read under the locks every job's bookkeeping takes (the plan's, and
    with `with_module` its module's artifact first), so that concurrent finishers of one module
    wait for each other and the last sees the others completed (`PlanRepository.locked_job`)."""
    return uow.plans.locked_job(job_id, with_module=with_module)
