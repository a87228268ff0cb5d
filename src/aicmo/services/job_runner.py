"""Running plan jobs (SPEC §5): claims with leases, execution, idempotent completion, failure.

The task engine (adapters/engine) decides when and where a job runs; this module makes each run
correct:
- a job is claimed with a lease and a claim token; a worker that died loses its lease and the job
  is handed to a live worker;
- the part a job writes, the artifact version and the job's completion commit in one transaction,
  and only for the current claim: a job that runs twice leaves one artifact version;
- a job whose inputs hash is unchanged since its last run completes without a provider call.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select

from aicmo.adapters.db.tables import GenerationRunRow, PlanJobRow, PlanRow, utcnow
from aicmo.adapters.llm.base import GenerationTask, Provider
from aicmo.adapters.llm.offline import OfflineProvider
from aicmo.domain.artifacts import Action, ArtifactStatus, Module
from aicmo.domain.errors import Conflict
from aicmo.domain.gating import gate_reasons
from aicmo.domain.plan import JobSpec
from aicmo.domain.quality import Finding
from aicmo.domain.schemas.plans import JobStatus, PlanState
from aicmo.domain.schemas.resources import AutonomyLevel, Provenance
from aicmo.services import artifacts, audit
from aicmo.services.context import current_trace_id, new_id, set_trace_id
from aicmo.services.generation import AUTOPILOT, load_inputs
from aicmo.services.generators import get_generator
from aicmo.services.generators.base import GenerationInputs
from aicmo.services.plan_parts import (
    finish_module,
    job_inputs_hash,
    merge_part,
    part_task,
    render_partial,
    window_of,
)
from aicmo.services.plans import (
    Dispatch,
    exports_inputs_hash,
    job_spec,
    mark_queued,
    parts_so_far,
    plan_jobs_of,
    refresh_plan,
)
from aicmo.services.prefetch import Prefetcher
from aicmo.services.speculation import ModuleAhead, module_ahead
from aicmo.services.unit_of_work import UnitOfWork, UowFactory, retry_conflicts

J = JobStatus
log = logging.getLogger("aicmo.runner")
R = TypeVar("R")
REQUEUE_AFTER_S = 15.0


class JobCannotRun(Exception):
    """A failure no retry can fix (e.g. a missing capability): the job fails at once."""


ExportRunner = Callable[[UnitOfWork, str, str, str], None]  # uow, engagement id, format, actor


# ---- what the engine asks ---------------------------------------------------------------------
def dispatchable(uow: UnitOfWork) -> Dispatch:
    """Ready jobs of active, running-on plans that are not queued yet, plus jobs whose lease expired."""
    now = utcnow()
    expired = list(
        uow.session.scalars(
            select(PlanJobRow).where(PlanJobRow.status == J.RUNNING.value, PlanJobRow.lease_expires_at < now)
        )
    )
    for job in expired:  # its worker died: hand the job to whoever is alive
        job.status = J.READY.value
        job.run_no += 1
        job.queued_at = None
        job.blocked_reason = f"lease of {job.worker_id} expired: running again"
    # Ready jobs not queued yet, and queued ones still waiting after REQUEUE_AFTER_S (their enqueue
    # may have been lost with a crashed process; the engine ignores a duplicate workflow id).
    stale = now - timedelta(seconds=REQUEUE_AFTER_S)
    query = (
        select(PlanJobRow)
        .join(PlanRow, PlanRow.id == PlanJobRow.plan_id)
        .where(
            PlanRow.state == PlanState.ACTIVE.value,
            PlanJobRow.status == J.READY.value,
            or_(
                and_(PlanRow.auto_continue.is_(True), PlanJobRow.queued_at.is_(None)),
                PlanJobRow.queued_at < stale,
            ),
        )
    )
    ready = list(uow.session.scalars(query))
    dispatch = mark_queued(ready)
    uow.commit()
    return dispatch


def renew_leases(uow: UnitOfWork, worker_id: str, lease_s: float) -> int:
    jobs = list(
        uow.session.scalars(
            select(PlanJobRow).where(PlanJobRow.status == J.RUNNING.value, PlanJobRow.worker_id == worker_id)
        )
    )
    for job in jobs:
        job.lease_expires_at = utcnow() + timedelta(seconds=lease_s)
    uow.commit()
    return len(jobs)


@dataclass(frozen=True)
class JobOutcome:
    result: str  # completed | skipped | blocked | paused | lost | not-runnable
    dispatch: Dispatch
    detail: str = ""


def claim(uow: UnitOfWork, job_id: str, worker_id: str, lease_s: float) -> str | None:
    """Take the job for this worker (not committed); None when it is not this worker's to run."""
    uow.lock_for_write()
    job = uow.session.get(PlanJobRow, job_id)
    if job is None or not job.enabled:
        return None
    plan = uow.session.get(PlanRow, job.plan_id)
    now = utcnow()
    mine = job.status == J.RUNNING.value and job.worker_id == worker_id
    orphaned = (
        job.status == J.RUNNING.value and job.lease_expires_at is not None and job.lease_expires_at < now
    )
    if not (job.status == J.READY.value or mine or orphaned):
        return None
    if plan is None or plan.state != PlanState.ACTIVE.value:
        if job.status == J.READY.value:
            job.queued_at = None
            uow.commit()
        return None
    token = uuid.uuid4().hex
    job.status = J.RUNNING.value
    job.claim_token = token
    job.worker_id = worker_id
    job.attempts += 1
    job.lease_expires_at = now + timedelta(seconds=lease_s)
    job.started_at = job.started_at if mine else now
    job.error = ""
    return token


@dataclass(frozen=True)
class _Started:
    """A claimed job, ready to call its provider (`task` None: its inputs are unchanged)."""

    token: str
    inputs_hash: str
    loaded: Any
    task: GenerationTask[Any] | None = None
    provider: Provider | None = None
    ahead: _Ahead | None = None
    module_ahead: ModuleAhead | None = None
    spec: JobSpec | None = None


@dataclass(frozen=True)
class _Ahead:
    """What it takes to build the requests of the jobs that will run as soon as this one is
    done (`followers`: same module, every other dependency complete), from this job's answer."""

    job: JobSpec
    followers: tuple[JobSpec, ...]
    by_key: dict[str, JobSpec]
    content: dict[str, Any]
    follower_ids: frozenset[str] = frozenset()

    def tasks(self, part: dict[str, Any], loaded: Any) -> list[GenerationTask[Any]]:
        job, window = self.job, window_of(loaded.inputs)
        content = merge_part(self.content, part, job.content_fields, job.scope, window)
        return [
            part_task(
                f.module,
                loaded.inputs,
                job_key=f.key,
                fields=f.content_fields,
                scope=f.scope,
                parts_so_far=parts_so_far(f, self.by_key, content, window),
                payload=loaded.payload,
            )
            for f in self.followers
        ]


def _start(
    uow: UnitOfWork,
    provider: Provider,
    job_id: str,
    worker_id: str,
    lease_s: float,
    prefetcher: Prefetcher | None = None,
) -> _Started | JobOutcome | tuple[str, str]:
    """Claim the job (a short transaction under the write lock: the siblings of a fan-out claim
    one after another), then, reading outside the lock, check its gates, load its inputs and
    build its task (and, with a `prefetcher`, note which jobs will follow it, to start their
    calls early). Returns the started job, an outcome when it cannot run (not runnable, blocked),
    or, for an export job, (token, plan id): the export renders in a transaction of its own.
    """
    token = claim(uow, job_id, worker_id, lease_s)
    if token is None:
        return JobOutcome("not-runnable", [])
    uow.commit()
    job = uow.session.get(PlanJobRow, job_id)
    plan = uow.session.get(PlanRow, job.plan_id) if job else None
    assert job is not None and plan is not None
    set_trace_id(job.trace_id or None)  # the request that queued it -> this job -> its provider call
    rows = uow.artifacts.by_engagement(plan.engagement_id)
    if gates := _gates(job, rows):
        reason = "waiting for approval: " + "; ".join(str(g) for g in gates)
        _block(uow, job_id, token, reason)
        return JobOutcome("blocked", [], reason)
    if job.kind == "export":
        return token, plan.id
    return _prepare(uow, provider, job, plan, rows, token, prefetcher)


def _prepare(
    uow: UnitOfWork,
    provider: Provider,
    job: PlanJobRow,
    plan: PlanRow,
    rows: dict[str, Any],
    token: str,
    prefetcher: Prefetcher | None,
) -> _Started:
    """Load a generate job's inputs and build its provider call (`task` None: inputs unchanged)."""
    module = Module(job.module)
    loaded = load_inputs(uow, plan.engagement_id, module)
    inputs_hash = job_inputs_hash(loaded.inputs_hash, job.key)
    if job.inputs_hash == inputs_hash and job.artifact_version is not None:
        return _Started(token, inputs_hash, loaded)
    own = rows.get(module.value)
    content = own.content if own else {}
    by_key = {j.key: j for j in plan_jobs_of(uow, plan.id)}
    specs = {key: job_spec(row) for key, row in by_key.items()}
    spec = specs[job.key]
    task = part_task(
        module,
        loaded.inputs,
        job_key=job.key,
        fields=spec.content_fields,
        scope=spec.scope,
        parts_so_far=parts_so_far(spec, specs, content, window_of(loaded.inputs)),
        payload=loaded.payload,
    )
    if not get_generator(module).uses_llm:
        return _Started(token, inputs_hash, loaded, task, OfflineProvider())
    if prefetcher is None or not plan.auto_continue or plan.state != PlanState.ACTIVE.value:
        return _Started(token, inputs_hash, loaded, task, provider)
    ahead = None
    followers = _followers(job, by_key, loaded.inputs_hash)[: prefetcher.followers]
    if followers:
        ahead = _Ahead(
            spec,
            tuple(specs[f.key] for f in followers),
            specs,
            content,
            frozenset(f.id for f in followers),
        )
    next_modules = None
    # Only a worker that runs every job it dispatches (the embedded SQLite one) guesses across
    # modules: elsewhere another worker may run the module's other parts or its downstream jobs.
    if prefetcher.followers is None and _auto_approves(uow, plan):
        next_modules = module_ahead(plan.id, module, by_key, specs, rows, loaded)
    return _Started(token, inputs_hash, loaded, task, provider, ahead, next_modules, spec)


def _auto_approves(uow: UnitOfWork, plan: PlanRow) -> bool:
    engagement = uow.engagements.get(plan.engagement_id)
    return engagement is not None and engagement.autonomy_level != AutonomyLevel.MANUAL.value


def _gates(job: PlanJobRow, rows: dict[str, Any]) -> list[Any]:
    """Why the job's module may not generate now (SPEC §4 gating); empty when it may."""
    return gate_reasons(Module(job.module), {Module(t): ArtifactStatus(r.status) for t, r in rows.items()})


def _start_calls_of(
    uow_factory: UowFactory, provider: Provider, prefetcher: Prefetcher, job_ids: list[str]
) -> None:
    """Start the calls of jobs just made ready (committed, about to be started by the engine),
    as those jobs will make them: a module's first jobs after its upstream's approval. Best
    effort: the jobs call for themselves whatever happens here."""
    try:
        _start_ready_calls(uow_factory, provider, prefetcher, job_ids)
    except Exception:
        log.warning("could not start the calls of ready jobs %s ahead", job_ids, exc_info=True)


def _start_ready_calls(
    uow_factory: UowFactory, provider: Provider, prefetcher: Prefetcher, job_ids: list[str]
) -> None:
    with uow_factory() as uow:
        for job_id in job_ids:
            job = uow.session.get(PlanJobRow, job_id)
            plan = uow.session.get(PlanRow, job.plan_id) if job else None
            if job is None or plan is None or job.kind != "generate" or job.status != J.READY.value:
                continue
            if not get_generator(Module(job.module)).uses_llm:
                continue
            rows = uow.artifacts.by_engagement(plan.engagement_id)
            if _gates(job, rows):
                continue
            prepared = _prepare(uow, provider, job, plan, rows, token="", prefetcher=None)
            if prepared.task is not None and prepared.provider is provider:
                prefetcher.start(provider, prepared.task)


def _followers(
    job: PlanJobRow, by_key: dict[str, PlanJobRow], module_inputs_hash: str
) -> tuple[PlanJobRow, ...]:
    """Jobs of `job`'s module that become ready the moment it completes and will call the
    provider: pending, every other dependency complete (or off), inputs changed since their last
    run. In plan order, as the runner dispatches them."""

    def done(key: str) -> bool:
        dep = by_key.get(key)
        return dep is None or not dep.enabled or dep.status == J.COMPLETED.value

    return tuple(
        other
        for other in by_key.values()
        if other.enabled
        and other.kind == "generate"
        and other.module == job.module
        and other.status == J.PENDING.value
        and job.key in other.depends_on
        and all(done(d) for d in other.depends_on if d != job.key)
        and not (
            other.artifact_version is not None
            and other.inputs_hash == job_inputs_hash(module_inputs_hash, other.key)
        )
    )


def _block(uow: UnitOfWork, job_id: str, token: str, reason: str) -> None:
    """Hand a claimed job back as blocked (an upstream lost its approval since it became ready)."""
    uow.lock_for_write()
    job = uow.session.get(PlanJobRow, job_id, populate_existing=True)
    if job is not None and job.claim_token == token:
        job.status = J.BLOCKED.value
        job.blocked_reason = reason
        job.claim_token = ""
        job.lease_expires_at = None
    uow.commit()


def execute_job(
    uow_factory: UowFactory,
    provider: Provider,
    job_id: str,
    worker_id: str,
    *,
    lease_s: float = 120.0,
    export_runner: ExportRunner | None = None,
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
        with uow_factory() as uow:
            return _finish_export(uow, plan_id, job_id, token, export_runner)
    token, inputs_hash, loaded = started.token, started.inputs_hash, started.loaded
    if started.task is None or started.provider is None:
        return _with_write_retries(
            uow_factory,
            job_id,
            lambda uow: _complete_unchanged(uow, job_id, token, inputs_hash, loaded.inputs),
        )
    # Outside any transaction: this is the slow part.
    if prefetcher is None:
        result = started.provider.generate(started.task)
    else:
        result = prefetcher.call(started.provider, started.task)
    part = result.output.model_dump(mode="json")
    if prefetcher is not None and started.ahead is not None:
        _start_followers(prefetcher, started.provider, started.ahead, part, loaded)
    if prefetcher is not None and started.module_ahead is not None and started.spec is not None:
        _start_next_modules(prefetcher, started.provider, started.module_ahead, started.spec, part)
    outcome = _with_write_retries(
        uow_factory, job_id, lambda uow: _write_part(uow, job_id, token, part, loaded, inputs_hash, result)
    )
    if prefetcher is not None and outcome.dispatch:
        started_ahead = started.ahead.follower_ids if started.ahead else frozenset()
        ready = [i for i, _run in outcome.dispatch[: prefetcher.followers] if i not in started_ahead]
        if ready:
            _start_calls_of(uow_factory, started.provider, prefetcher, ready)
    return outcome


def _start_followers(
    prefetcher: Prefetcher, provider: Provider, ahead: _Ahead, part: dict[str, Any], loaded: Any
) -> None:
    """Start the followers' calls from this job's answer; best effort, like `_start_calls_of`."""
    try:
        for task in ahead.tasks(part, loaded):
            prefetcher.start(provider, task)
    except Exception:
        log.warning("could not start the calls of the jobs after %s ahead", ahead.job.key, exc_info=True)


def _start_next_modules(
    prefetcher: Prefetcher, provider: Provider, ahead: ModuleAhead, spec: JobSpec, part: dict[str, Any]
) -> None:
    """Record this answer; if it completes its module, start the calls the module's approval
    will unlock (`services.speculation`). Best effort, like `_start_calls_of`."""
    try:
        parts = prefetcher.assemblies.add(ahead, spec, part)
        for task in ahead.tasks(parts) if parts is not None else []:
            prefetcher.start(provider, task)
    except Exception:
        log.warning("could not start the calls after module %s ahead", ahead.module.value, exc_info=True)


def _with_write_retries(uow_factory: UowFactory, job_id: str, write: Callable[[UnitOfWork], R]) -> R:
    """Jobs of one module finish concurrently and all touch its artifact row (the optimistic lock
    that makes exactly one of them see the module complete), and a sibling finishing refreshes the
    plan's job rows while another is being claimed: a lost race re-reads and writes again."""
    try:
        return retry_conflicts(uow_factory, write, attempts=10)
    except Conflict as exc:
        raise Conflict(f"could not store job {job_id} after repeated write conflicts") from exc


def _locked_job(uow: UnitOfWork, job_id: str) -> tuple[PlanJobRow, PlanRow]:
    """The job, read after taking its module's write lock.

    Jobs of one module finish concurrently, and the last one must see all the others completed
    (it assembles and approves the module). So each finishing transaction first writes the
    module's artifact row (a version bump: a concurrent finisher conflicts and retries) and only
    then reads the job states, which are thereby current. (On SQLite the transaction holds the
    database's write lock from its start, so no finisher can commit in between at all: no bump.)
    """
    serialized = uow.lock_for_write()
    job = uow.session.get(PlanJobRow, job_id)
    assert job is not None
    plan = uow.session.get(PlanRow, job.plan_id)
    assert plan is not None
    if serialized:
        return job, plan
    own = uow.artifacts.by_engagement(plan.engagement_id).get(job.module)
    if own is not None:
        own.updated_at = utcnow()
        uow.flush()
        uow.session.expire_all()  # read everything again, now that no other finisher can commit
    refreshed = uow.session.get(PlanJobRow, job_id)
    assert refreshed is not None
    return refreshed, plan


def _complete_unchanged(
    uow: UnitOfWork, job_id: str, token: str, inputs_hash: str, inputs: GenerationInputs
) -> JobOutcome:
    job, plan = _locked_job(uow, job_id)
    return _complete(
        uow,
        plan,
        job,
        token,
        inputs_hash,
        llm_calls=0,
        attempts=0,
        note="inputs unchanged: nothing to regenerate",
        inputs=inputs,
        module_locked=True,
    )


def _write_part(
    uow: UnitOfWork, job_id: str, token: str, part: dict[str, Any], loaded: Any, inputs_hash: str, result: Any
) -> JobOutcome:
    job, plan = _locked_job(uow, job_id)
    if job.status != J.RUNNING.value or job.claim_token != token:
        return JobOutcome("lost", [], "another worker finished or took over this job")
    module = Module(job.module)
    jobs = plan_jobs_of(uow, plan.id)
    own = uow.artifacts.by_engagement(plan.engagement_id).get(module.value)
    spec = job_spec(job)
    content = merge_part(
        own.content if own else {}, part, spec.content_fields, spec.scope, window_of(loaded.inputs)
    )
    module_jobs = [j for j in jobs if j.module == job.module and j.enabled and j.kind == "generate"]
    done = sum(1 for j in module_jobs if j.status == J.COMPLETED.value or j.id == job.id)
    complete = done == len(module_jobs)
    findings: list[Any] = []
    if complete:
        content, markdown, findings = finish_module(module, content, loaded.inputs)
    else:
        markdown = render_partial(module, content, done, len(module_jobs))
    run_id = new_id("run")
    if own is None or own.content != content or own.status == ArtifactStatus.ARCHIVED.value:
        row = artifacts.store_generated(
            uow,
            f"system:job {job.key}",
            plan.engagement_id,
            module,
            artifacts.NewContent(
                content=content,
                content_markdown=markdown,
                notes=own.notes if own else "",
                inputs_hash=loaded.inputs_hash,
                source_versions=loaded.source_versions,
                provenance=Provenance(
                    generator=f"aicmo.{module.value}:{job.key}",
                    provider=result.provider,
                    model=result.model,
                    prompt_version=get_generator(module).prompt_version,
                    run_id=run_id,
                    trace_id=current_trace_id(),
                ),
            ),
        )
    else:
        row = own
    errors = [f for f in findings if f.severity == "error"]
    uow.session.add(
        GenerationRunRow(
            id=run_id,
            client_id=plan.client_id,
            engagement_id=plan.engagement_id,
            module=module.value,
            artifact_id=row.id,
            version=row.version,
            status="PARTIAL" if errors else "SUCCESS",
            provider=result.provider,
            model=result.model,
            prompt_version="",
            inputs_hash=inputs_hash,
            requests=result.usage.requests,
            input_tokens=result.usage.input_tokens,
            output_tokens=result.usage.output_tokens,
            cost_usd=result.usage.cost_usd,
            attempts=result.attempts,
            latency_ms=int(result.latency_s * 1000),
            findings=[f.as_dict() for f in findings],
            trace_id=current_trace_id(),
            created_by=f"job {job.key}",
        )
    )
    job.artifact_version = row.version
    return _complete(
        uow,
        plan,
        job,
        token,
        inputs_hash,
        llm_calls=result.usage.requests,
        attempts=result.attempts,
        note=f"{len(errors)} quality finding(s) to review" if errors else "",
        inputs=loaded.inputs,
        findings=findings if complete else None,
        module_locked=True,
    )


def _complete(
    uow: UnitOfWork,
    plan: PlanRow,
    job: PlanJobRow,
    token: str,
    inputs_hash: str,
    *,
    llm_calls: int,
    attempts: int,
    note: str,
    inputs: GenerationInputs | None = None,
    findings: list[Finding] | None = None,
    module_locked: bool = False,
) -> JobOutcome:
    """Mark the job completed, auto-approve its module when due, refresh the plan; commits.
    `module_locked`: the caller already took the module's write lock (`_locked_job`)."""
    if job.claim_token != token:
        return JobOutcome("lost", [])
    job.status = J.COMPLETED.value
    job.inputs_hash = inputs_hash
    job.llm_calls += llm_calls
    job.provider_attempts += attempts
    job.finished_at = utcnow()
    job.lease_expires_at = None
    job.claim_token = ""
    job.blocked_reason = note
    own = uow.artifacts.by_engagement(plan.engagement_id).get(job.module)
    if own is not None and not module_locked:
        own.updated_at = utcnow()  # bumps its row version: concurrent completions of one module conflict
    if job.artifact_version is None:
        job.artifact_version = own.version if own else None
    if inputs is not None and job.kind == "generate":
        approved = _approve_if_module_done(uow, plan, Module(job.module), inputs, findings)
    else:
        approved = False
    ready = refresh_plan(uow, plan, check_inputs=approved)
    dispatch = (
        mark_queued([j for j in ready if j.queued_at is None])
        if (plan.auto_continue and plan.state == PlanState.ACTIVE.value)
        else []
    )
    uow.commit()
    return JobOutcome("completed" if llm_calls or attempts else "skipped", dispatch, note)


def _approve_if_module_done(
    uow: UnitOfWork,
    plan: PlanRow,
    module: Module,
    inputs: GenerationInputs,
    findings: list[Finding] | None = None,
) -> bool:
    """Autonomy assisted/full: approve a module's artifact once all its jobs are done and it passes
    every quality gate (also a flagged one whose re-run left it unchanged). Recorded as automatic.
    `findings` are the gates' verdict when the caller just computed them. True when it approved."""
    engagement = uow.engagements.get(plan.engagement_id)
    if engagement is None or engagement.autonomy_level == AutonomyLevel.MANUAL.value:
        return False
    jobs = [
        j
        for j in plan_jobs_of(uow, plan.id)
        if j.module == module.value and j.enabled and j.kind == "generate"
    ]
    if any(j.status != J.COMPLETED.value for j in jobs):
        return False
    rows = uow.artifacts.by_engagement(plan.engagement_id)
    row = rows.get(module.value)
    if row is None or row.status in (ArtifactStatus.APPROVED.value, ArtifactStatus.ARCHIVED.value):
        return False
    if gate_reasons(module, {Module(t): ArtifactStatus(r.status) for t, r in rows.items()}):
        return False
    if findings is None:
        _, _, findings = finish_module(module, row.content, inputs)
    if any(f.severity == "error" for f in findings):
        return False
    artifacts.apply_decision(
        uow,
        AUTOPILOT,
        row,
        Action.AUTO_APPROVE,
        comment=f"autonomy {engagement.autonomy_level}: every quality gate passed",
    )
    return True


def _finish_export(
    uow: UnitOfWork, plan_id: str, job_id: str, token: str, export_runner: ExportRunner | None
) -> JobOutcome:
    if export_runner is None:
        raise JobCannotRun("exports are not available in this build")
    job, plan = uow.session.get(PlanJobRow, job_id), uow.session.get(PlanRow, plan_id)
    assert job is not None and plan is not None
    rows = uow.artifacts.by_engagement(plan.engagement_id)
    inputs_hash = exports_inputs_hash(rows)
    export_runner(uow, plan.engagement_id, job.export_format or "PDF", f"system:job {job.key}")
    return _complete(uow, plan, job, token, inputs_hash, llm_calls=0, attempts=0, note="")


def fail_job(uow: UnitOfWork, job_id: str, error: str) -> Dispatch:
    """The job kept failing: record why, and block what depends on it (never pending forever)."""
    job = uow.session.get(PlanJobRow, job_id)
    if job is None:
        return []
    plan = uow.session.get(PlanRow, job.plan_id)
    job.status = J.FAILED.value
    job.error = error[:2000]
    job.finished_at = utcnow()
    job.lease_expires_at = None
    job.claim_token = ""
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
