"""Every change of a plan job's status, in one place (SPEC §5).

The plan decides a waiting job's state with the pure `domain.job_state.job_state`; the runner's
events (claimed, completed, failed, handed back, lease expired) and the operator's commands
(switch on/off, retry) change it here. Each writes the status, the reason as data (`reason`) and
its rendering for people (`blocked_reason`) together, so they never disagree.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aicmo.domain.job_state import BlockCategory, BlockReason, JobFacts, JobState
from aicmo.domain.schemas.plans import JobStatus

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import PlanJobRow

J = JobStatus


def facts(job: PlanJobRow) -> JobFacts:
    return JobFacts(job.key, JobStatus(job.status), job.enabled, BlockReason.from_dict(job.reason))


def apply(job: PlanJobRow, state: JobState, note: str | None = None) -> None:
    """Set the job's status and reason (`note`: the words shown instead, for a completed job).
    Assigns only what changes: even an unchanged value marks the row dirty, and the flush then
    compares every column of every job, which was most of the cost of a job's completion."""
    reason = state.reason.as_dict() if state.reason else None
    text = state.text if note is None else note
    if job.status != state.status.value:
        job.status = state.status.value
    if job.reason != reason:
        job.reason = reason
    if job.blocked_reason != text:
        job.blocked_reason = text


def rerun(job: PlanJobRow) -> None:
    """A completed job whose inputs changed: a new run (the engine's workflow id must be new too)."""
    apply(job, JobState(J.PENDING, BlockReason(BlockCategory.INPUTS_CHANGED)))
    job.run_no += 1
    job.queued_at = None


def lease_expired(job: PlanJobRow) -> None:
    """Its worker died: hand the job to whoever is alive."""
    apply(job, JobState(J.READY, BlockReason(BlockCategory.LEASE_EXPIRED, worker=job.worker_id)))
    job.run_no += 1
    job.queued_at = None


def claim(job: PlanJobRow, worker_id: str, now: datetime, lease_s: float, *, resumed: bool) -> str:
    """The job runs on `worker_id` under a new claim token (returned) and lease."""
    token = uuid.uuid4().hex
    job.status = J.RUNNING.value
    job.claim_token = token
    job.worker_id = worker_id
    job.attempts += 1
    job.lease_expires_at = now + timedelta(seconds=lease_s)
    job.started_at = job.started_at if resumed else now
    job.error = ""
    return token


def _release(job: PlanJobRow) -> None:
    job.claim_token = ""
    job.lease_expires_at = None


def handed_back(job: PlanJobRow, reason: BlockReason) -> None:
    """A claimed job that may not run after all (an upstream lost its approval meanwhile)."""
    apply(job, JobState(J.BLOCKED, reason))
    _release(job)


def completed(job: PlanJobRow, inputs_hash: str, *, llm_calls: int, attempts: int, note: str) -> None:
    apply(job, JobState(J.COMPLETED), note=note)
    job.inputs_hash = inputs_hash
    job.llm_calls += llm_calls
    job.provider_attempts += attempts
    job.finished_at = datetime.now(UTC)
    _release(job)


def failed(job: PlanJobRow, error: str) -> None:
    job.status = J.FAILED.value
    job.error = error[:2000]
    job.finished_at = datetime.now(UTC)
    _release(job)


def switched(job: PlanJobRow, enabled: bool) -> None:
    job.enabled = enabled
    if enabled:
        apply(job, JobState(J.PENDING))
    else:
        apply(job, JobState(J.SKIPPED, BlockReason(BlockCategory.SWITCHED_OFF)))


def not_in_brief(job: PlanJobRow) -> None:
    job.enabled = False
    apply(job, JobState(J.SKIPPED, BlockReason(BlockCategory.NOT_IN_BRIEF)))


def retried(job: PlanJobRow) -> None:
    """An operator's retry: a new run that calls its provider again (even for unchanged inputs)."""
    apply(job, JobState(J.PENDING))
    job.error = ""
    job.attempts = 0
    job.run_no += 1
    job.inputs_hash = ""


def queued(job: PlanJobRow, trace_id: str) -> None:
    job.queued_at = datetime.now(UTC)
    job.trace_id = trace_id


def unqueued(job: PlanJobRow) -> None:
    job.queued_at = None
