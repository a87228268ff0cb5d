"""Running plan jobs (SPEC §5): execution, idempotent completion, failure.

The task engine (adapters/engine) decides when and where a job runs; this module makes each run
correct, with its neighbours:
- `job_lease`: dispatching, claims with leases and the locks every job's bookkeeping takes;
- `job_calls`: the job's provider call, and the calls started ahead for the jobs after it;
- `module_draft`: a module's parts assembled in a working draft and stored once, as one
  version (through `generation.store_generation`, as the generate route does) or, when a person
  amended the module, as a proposal beside it;
- `auto_approval`: autonomy assisted/full approves a complete module that passes every gate.
A job's part, its module's version and its completion commit in one transaction, and only for
the current claim: a job that runs twice leaves one part. A job whose inputs hash is unchanged
since its last run completes without a provider call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from aicmo.adapters.llm.base import Provider, ProviderResult
from aicmo.domain.artifacts import Module
from aicmo.domain.errors import Conflict, JobCannotRun
from aicmo.domain.job_state import BlockCategory, BlockReason
from aicmo.domain.provider_calls import call_scope
from aicmo.domain.quality import Finding
from aicmo.domain.schemas.plans import JobStatus, PlanState
from aicmo.services import audit, job_calls, job_states, module_draft
from aicmo.services.auto_approval import approve_if_module_done
from aicmo.services.context import new_id, set_trace_id
from aicmo.services.generation import record_run
from aicmo.services.inputs import LoadedInputs
from aicmo.services.job_lease import claim_job, dispatchable, locked_job, renew_leases
from aicmo.services.plans import Dispatch, exports_inputs_hash, mark_queued, plan_jobs_of, refresh_plan
from aicmo.services.prefetch import Prefetcher
from aicmo.services.unit_of_work import UnitOfWork, UowFactory, retry_conflicts

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import PlanJobRow, PlanRow

__all__ = [
    "ExportSteps",
    "JobCannotRun",
    "JobOutcome",
    "dispatchable",
    "execute_job",
    "fail_job",
    "renew_leases",
]

J = JobStatus
R = TypeVar("R")


@dataclass(frozen=True)
class ExportSteps:
    """How an export job makes its file: `render(uow, engagement id, format)` reads only and may
    take seconds; `store(uow, rendered, actor)` writes it, in the job's completion transaction."""

    render: Callable[[UnitOfWork, str, str], Any]
    store: Callable[[UnitOfWork, Any, str], Any]


@dataclass(frozen=True)
class JobOutcome:
    result: str  # completed | skipped | blocked | paused | lost | not-runnable
    dispatch: Dispatch
    detail: str = ""


def _start(
    uow: UnitOfWork,
    provider: Provider,
    job_id: str,
    worker_id: str,
    lease_s: float,
    prefetcher: Prefetcher | None = None,
) -> job_calls.Prepared | JobOutcome | tuple[str, str]:
    """Claim the job (a short transaction under its plan's locks: the siblings of a fan-out claim
    one after another), then, reading outside the lock, check its gates, load its inputs and
    build its call. Returns the prepared job, an outcome when it cannot run (not runnable,
    blocked), or, for an export job, (token, plan id): the export renders on its own.
    """
    claimed = claim_job(uow, job_id, worker_id, lease_s)
    if claimed is None:
        return JobOutcome("not-runnable", [])
    token, job, plan = claimed
    uow.commit()
    set_trace_id(job.trace_id or None)  # the request that queued it -> this job -> its provider call
    rows = uow.artifacts.by_engagement(plan.engagement_id)
    if gates := job_calls.gates_of(job, rows):
        reason = BlockReason(BlockCategory.AWAITING_APPROVAL, gates=tuple(map(str, gates)))
        _hand_back(uow, job_id, token, reason)
        return JobOutcome("blocked", [], str(reason))
    if job.kind == "export":
        return token, plan.id
    return job_calls.prepare(uow, provider, job, plan, rows, token, prefetcher)


def _hand_back(uow: UnitOfWork, job_id: str, token: str, reason: BlockReason) -> None:
    """Hand a claimed job back as blocked (an upstream lost its approval since it became ready)."""
    job, _plan = locked_job(uow, job_id, with_module=False)
    if job is not None and job.claim_token == token:
        job_states.handed_back(job, reason)
    uow.commit()


def execute_job(
    uow_factory: UowFactory,
    provider: Provider,
    job_id: str,
    worker_id: str,
    *,
    lease_s: float = 120.0,
    export_runner: ExportSteps | None = None,
    prefetcher: Prefetcher | None = None,
) -> JobOutcome:
    """Run one job to completion (raises on a transient failure so the engine retries it).

    With a `prefetcher` (the worker's provider calls), the calls of the jobs that will follow
    this one start as soon as its answer arrives, and its own call may be one started ahead."""
    started = _with_write_retries(
        uow_factory, job_id, lambda uow: _start(uow, provider, job_id, worker_id, lease_s, prefetcher)
    )
    if isinstance(started, JobOutcome):
        return started
    if isinstance(started, tuple):
        token, plan_id = started
        return _run_export(uow_factory, plan_id, job_id, token, export_runner)
    if started.task is None or started.provider is None:
        token, inputs_hash, loaded = started.token, started.inputs_hash, started.loaded
        return _with_write_retries(
            uow_factory, job_id, lambda uow: _finish(uow, job_id, token, inputs_hash, loaded, None)
        )
    # The ledger's lines for these calls name their client and engagement without looking them up.
    with call_scope(client_id=started.owner[0], engagement_id=started.owner[1]):
        return _call_and_finish(uow_factory, job_id, started, prefetcher)


def _call_and_finish(
    uow_factory: UowFactory, job_id: str, started: job_calls.Prepared, prefetcher: Prefetcher | None
) -> JobOutcome:
    """Make the job's call (outside any transaction: this is the slow part), start the calls its
    answer makes possible, then store the answer and complete the job."""
    assert started.task is not None and started.provider is not None
    token, inputs_hash, loaded = started.token, started.inputs_hash, started.loaded
    if prefetcher is None:
        result = started.provider.generate(started.task)
    else:
        result = prefetcher.call(started.provider, started.task)
    part = result.output.model_dump(mode="json")
    if prefetcher is not None and started.ahead is not None:
        job_calls.start_followers(prefetcher, started.provider, started.ahead, part, loaded)
    if prefetcher is not None and started.module_ahead is not None and started.spec is not None:
        job_calls.start_next_modules(prefetcher, started.provider, started.module_ahead, started.spec, part)
    outcome = _with_write_retries(
        uow_factory, job_id, lambda uow: _finish(uow, job_id, token, inputs_hash, loaded, (part, result))
    )
    if prefetcher is not None and outcome.dispatch:
        started_ahead = started.ahead.follower_ids if started.ahead else frozenset()
        ready = [i for i, _run in outcome.dispatch[: prefetcher.followers] if i not in started_ahead]
        if ready:
            job_calls.start_calls_of(uow_factory, started.provider, prefetcher, ready)
    return outcome


def _with_write_retries(uow_factory: UowFactory, job_id: str, write: Callable[[UnitOfWork], R]) -> R:
    """A job's bookkeeping takes its plan's locks first (`locked_job`), so it does not lose
    races by design; a write that still does (an operator's command on PostgreSQL, which locks
    rows only as it writes them) reads again and writes again."""
    try:
        return retry_conflicts(uow_factory, write, attempts=10)
    except Conflict as exc:
        raise Conflict(f"could not store job {job_id} after repeated write conflicts") from exc


def _finish(
    uow: UnitOfWork,
    job_id: str,
    token: str,
    inputs_hash: str,
    loaded: LoadedInputs,
    answer: tuple[dict[str, Any], ProviderResult[Any]] | None,
) -> JobOutcome:
    """Keep the job's part (`answer`; None: its inputs were unchanged), store its module when this
    was the last part, complete the job; commits."""
    job, plan = locked_job(uow, job_id)
    if job is None or plan is None or job.status != J.RUNNING.value or job.claim_token != token:
        return JobOutcome("lost", [], "another worker finished or took over this job")
    module = Module(job.module)
    engagement = uow.engagements.get(plan.engagement_id)
    assert engagement is not None
    run_id = new_id("run")
    calls = attempts = 0
    run = None
    if answer is not None:
        part, result = answer
        job.output = part
        job.artifact_version = None  # in no version yet
        calls, attempts = result.usage.requests, result.attempts
        run = record_run(uow, run_id, engagement, module, inputs_hash, f"job {job.key}", result=result)
    parts = module_draft.parts_of(plan_jobs_of(uow, plan.id), job.module)
    complete = all(j.status == J.COMPLETED.value or j.id == job.id for j in parts)
    findings: list[Finding] | None = None
    note = "" if answer is not None else "inputs unchanged: nothing to regenerate"
    if complete and module_draft.unstored(parts):
        last = answer[1] if answer is not None else None
        written = module_draft.write_module(
            uow,
            engagement,
            module,
            parts,
            loaded,
            run_id=run_id,
            provider=last.provider if last else "",
            model=last.model if last else "",
            actor=f"system:job {job.key}",
        )
        stored = (
            written.row.version
            if written.row
            else written.proposal.base_version
            if written.proposal
            else None
        )
        for part_job in parts:
            part_job.artifact_version = stored
        if run is not None and written.row is not None:
            run.artifact_id, run.version = written.row.id, written.row.version
            run.status = "PARTIAL" if any(f.severity == "error" for f in written.findings) else "SUCCESS"
            run.findings = [f.as_dict() for f in written.findings]
        findings, note = (written.findings if written.proposal is None else None), written.note or note
    return _complete(
        uow,
        plan,
        job,
        inputs_hash,
        llm_calls=calls,
        attempts=attempts,
        note=note,
        inputs=loaded,
        findings=findings,
        check_module=complete,
    )


def _complete(
    uow: UnitOfWork,
    plan: PlanRow,
    job: PlanJobRow,
    inputs_hash: str,
    *,
    llm_calls: int,
    attempts: int,
    note: str,
    inputs: LoadedInputs | None = None,
    findings: list[Finding] | None = None,
    check_module: bool = False,
) -> JobOutcome:
    """Mark the job completed, auto-approve its module when due, refresh the plan; commits.
    The caller holds the job's locks (`locked_job`) and checked its claim."""
    job_states.completed(job, inputs_hash, llm_calls=llm_calls, attempts=attempts, note=note)
    approved = False
    if check_module and inputs is not None and job.kind == "generate":
        approved = approve_if_module_done(uow, plan, Module(job.module), inputs.inputs, findings)
    ready = refresh_plan(uow, plan, check_inputs=approved)
    dispatch = (
        mark_queued([j for j in ready if j.queued_at is None])
        if (plan.auto_continue and plan.state == PlanState.ACTIVE.value)
        else []
    )
    uow.commit()
    return JobOutcome("completed" if llm_calls or attempts else "skipped", dispatch, note)


def _run_export(
    uow_factory: UowFactory, plan_id: str, job_id: str, token: str, steps: ExportSteps | None
) -> JobOutcome:
    """Render with no transaction open for writing (it takes seconds), then store the file and
    complete the job in one short transaction that reads the job and its plan afresh under their
    locks. (A render inside the completing transaction held its stale job row across the
    heartbeat's renewals and lost its version check on every long export.)"""
    if steps is None:
        raise JobCannotRun("exports are not available in this build")
    with uow_factory() as uow:
        job, plan = uow.plans.job(job_id), uow.plans.get(plan_id)
        assert job is not None and plan is not None
        engagement_id, fmt, actor = plan.engagement_id, job.export_format or "PDF", f"system:job {job.key}"
        inputs_hash = exports_inputs_hash(uow.artifacts.by_engagement(engagement_id))
        rendered = steps.render(uow, engagement_id, fmt)

    def store(uow: UnitOfWork) -> JobOutcome:
        job, plan = locked_job(uow, job_id)
        if job is None or plan is None or job.status != J.RUNNING.value or job.claim_token != token:
            return JobOutcome("lost", [], "another worker finished or took over this job")
        steps.store(uow, rendered, actor)
        own = uow.artifacts.by_engagement(plan.engagement_id).get(job.module)
        job.artifact_version = own.version if own else None
        return _complete(uow, plan, job, inputs_hash, llm_calls=0, attempts=0, note="")

    return _with_write_retries(uow_factory, job_id, store)


def fail_job(uow: UnitOfWork, job_id: str, error: str) -> Dispatch:
    """The job kept failing: record why, and block what depends on it (never pending forever)."""
    job, plan = locked_job(uow, job_id, with_module=False)
    if job is None:
        return []
    job_states.failed(job, error)
    if plan is not None:
        audit.record(
            uow,
            "system:runner",
            "job.fail",
            client_id=plan.client_id,
            engagement_id=plan.engagement_id,
            comment=f"{job.key}: {job.error[:200]}",
        )
        refresh_plan(uow, plan)
    uow.commit()
    return []
