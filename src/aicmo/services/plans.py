"""The generation plan (SPEC §5): created from the approved intake, kept in step with approvals.

The plan tables are the record the API and console read. Job readiness is derived here
(`refresh_plan`): dependencies, approvals (gating) and inputs hashes; running jobs is
`services.job_runner`'s business.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.errors import Conflict, Invalid, NotFound
from aicmo.domain.gating import gate_reasons
from aicmo.domain.hashing import content_hash
from aicmo.domain.job_state import job_state
from aicmo.domain.modules import DELIVERED
from aicmo.domain.plan import JobSpec, plan_jobs
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.intake import Intake
from aicmo.domain.schemas.plans import JobPublic, JobStatus, PlanProgress, PlanPublic, PlanState
from aicmo.domain.schemas.resources import AutonomyLevel
from aicmo.services import audit, job_states
from aicmo.services.access import require_write
from aicmo.services.context import current_trace_id, new_id
from aicmo.services.engagements import load_engagement
from aicmo.services.inputs import load_inputs
from aicmo.services.plan_parts import Window, job_inputs_hash
from aicmo.services.runner_sizing import most_in_flight
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ArtifactRow, PlanJobRow, PlanRow

J = JobStatus
Dispatch = list[tuple[str, int]]  # (job id, run number): the engine's workflow id is built from both


# ---- reading ----------------------------------------------------------------------------------
def plan_jobs_of(uow: UnitOfWork, plan_id: str, module: str | None = None) -> list[PlanJobRow]:
    """The plan's jobs in plan order; of `module` only, when given."""
    return uow.plans.jobs(plan_id, module)


def fan_out_of_job_plan(uow: UnitOfWork, job_id: str) -> tuple[list[str], int]:
    """The ids of every job in `job_id`'s plan and the most of its enabled jobs that can hold a
    runner slot at once (`runner_sizing.most_in_flight`)."""
    plan_id = uow.plans.plan_id_of_job(job_id)
    if plan_id is None:
        return [], 1
    jobs = plan_jobs_of(uow, plan_id)
    return [j.id for j in jobs], most_in_flight(j for j in jobs if j.enabled)


def _plan_for(uow: UnitOfWork, engagement_id: str) -> PlanRow | None:
    return uow.plans.for_engagement(engagement_id)


def job_public(job: PlanJobRow) -> JobPublic:
    return JobPublic.model_validate(job, from_attributes=True)


def plan_public(uow: UnitOfWork, plan: PlanRow) -> PlanPublic:
    jobs = plan_jobs_of(uow, plan.id)
    engagement = uow.engagements.get(plan.engagement_id)
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job.status] = counts.get(job.status, 0) + 1
    enabled = [j for j in jobs if j.enabled]
    completed = sum(1 for j in enabled if j.status == J.COMPLETED)
    return PlanPublic(
        id=plan.id,
        engagement_id=plan.engagement_id,
        client_id=plan.client_id,
        state=PlanState(plan.state),
        auto_continue=plan.auto_continue,
        autonomy_level=AutonomyLevel(engagement.autonomy_level if engagement else "manual"),
        intake_version=plan.intake_version,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
        jobs=[job_public(j) for j in jobs],
        progress=PlanProgress(
            total=len(enabled), completed=completed, counts=counts, done=completed == len(enabled)
        ),
    )


def load_plan(uow: UnitOfWork, principal: Principal, plan_id: str) -> PlanRow:
    plan = uow.plans.get(plan_id)
    if plan is None or not principal.can_read_client(plan.client_id):
        raise NotFound(f"plan {plan_id} not found")
    return plan


def get_plan_for_engagement(uow: UnitOfWork, principal: Principal, engagement_id: str) -> PlanPublic:
    load_engagement(uow, principal, engagement_id)
    plan = _plan_for(uow, engagement_id)
    if plan is None:
        raise NotFound("this engagement has no plan yet: approve its intake to create one")
    return plan_public(uow, plan)


def get_plan(uow: UnitOfWork, principal: Principal, plan_id: str) -> PlanPublic:
    return plan_public(uow, load_plan(uow, principal, plan_id))


# ---- creating and refreshing ------------------------------------------------------------------
def ensure_plan(uow: UnitOfWork, engagement_id: str, actor: str) -> PlanRow | None:
    """Create the plan from the approved intake, or align it with a new intake version. No commit."""
    rows = uow.artifacts.by_engagement(engagement_id)
    intake_row = rows.get(Module.INTAKE.value)
    if intake_row is None or intake_row.status != ArtifactStatus.APPROVED.value:
        return None
    try:
        intake = Intake.model_validate(intake_row.content)
    except ValidationError:  # an intake typed in by hand that is not a brief: nothing to plan
        return None
    specs = plan_jobs(intake)
    plan = _plan_for(uow, engagement_id)
    engagement = uow.engagements.get(engagement_id)
    assert engagement is not None
    if plan is None:
        plan = uow.plans.create(
            id=new_id("pl"),
            engagement_id=engagement_id,
            client_id=engagement.client_id,
            state=PlanState.ACTIVE.value,
            auto_continue=engagement.autonomy_level == AutonomyLevel.FULL.value,
            intake_version=intake_row.version,
        )
        existing: dict[str, PlanJobRow] = {}
        audit.record(
            uow,
            actor,
            "plan.create",
            client_id=plan.client_id,
            engagement_id=engagement_id,
            data={"jobs": len(specs)},
        )
    else:
        plan.intake_version = intake_row.version
        existing = {j.key: j for j in plan_jobs_of(uow, plan.id)}
    wanted = {spec.key for spec in specs}
    for position, spec in enumerate(specs):
        job = existing.get(spec.key)
        if job is None:
            job = uow.plans.add_job(id=new_id("jb"), plan_id=plan.id, key=spec.key, status=J.PENDING.value)
        job.module = spec.module.value
        job.title = spec.title
        job.platform = spec.platform
        job.weeks = list(spec.weeks) if spec.weeks else None
        job.kind = spec.kind
        job.export_format = spec.export_format
        job.depends_on = list(spec.depends_on)
        job.content_fields = list(spec.content_fields)
        job.position = position
        job.max_attempts = job.max_attempts or 4
    for key, job in existing.items():
        if key not in wanted and job.enabled:  # e.g. a platform removed from the brief
            job_states.not_in_brief(job)
    uow.flush()
    refresh_plan(uow, plan)
    return plan


def refresh_plan(uow: UnitOfWork, plan: PlanRow, *, check_inputs: bool = True) -> list[PlanJobRow]:
    """Recompute every waiting job's state (`domain.job_state.job_state`) from its dependencies,
    the approvals and its inputs; no commit. Returns the jobs that are ready now.

    `check_inputs` compares completed jobs' inputs hashes with the current approved inputs (to mark
    re-runs); a job finishing without approving anything cannot change them, so it skips that work.
    Under autonomy `manual` a re-run never starts by itself: marking one switches run-all off, and
    the plan waits for the operator to run it.
    """
    jobs = plan_jobs_of(uow, plan.id)
    by_key = {j.key: j for j in jobs}
    rows = uow.artifacts.by_engagement(plan.engagement_id)
    statuses = {Module(t): ArtifactStatus(r.status) for t, r in rows.items()}
    inputs_cache: dict[Module, Any] = {}
    gates_of: dict[str, Any] = {}  # per module: every job of a module has the same gates
    facts = {j.key: job_states.facts(j) for j in jobs}  # each job's facts, kept current below
    ready = []
    reruns = []
    for job in jobs:
        if job.module not in gates_of:
            gates_of[job.module] = gate_reasons(Module(job.module), statuses)
        gates = gates_of[job.module]
        changed = (
            check_inputs
            and job.enabled
            and job.status == J.COMPLETED.value
            and not gates
            and bool(job.inputs_hash)
            and _inputs_changed(uow, plan, job, rows, inputs_cache)
        )
        deps = [facts[d] for d in job.depends_on if d in by_key and by_key[d].enabled]
        state = job_state(facts[job.key], deps, gates, inputs_changed=changed)
        if state is None or (state.status is J.COMPLETED and not changed):
            continue
        if changed:
            job_states.rerun(job)
            reruns.append(job.key)
        if state.status is J.READY and job.status != J.READY.value and job.queued_at is not None:
            job_states.unqueued(job)
        job_states.apply(job, state)
        facts[job.key] = job_states.facts(job)  # its dependents, later in the loop, see the change
        if state.status is J.READY:
            ready.append(job)
    for key in reruns:
        audit.record(
            uow,
            "system:planner",
            "job.rerun",
            client_id=plan.client_id,
            engagement_id=plan.engagement_id,
            comment=key,
        )
    if reruns and _autonomy(uow, plan) is AutonomyLevel.MANUAL and plan.auto_continue:
        plan.auto_continue = False  # manual: a person starts every generation
    uow.flush()
    return ready


def _inputs_changed(
    uow: UnitOfWork, plan: PlanRow, job: PlanJobRow, rows: dict[str, ArtifactRow], cache: dict[Module, Any]
) -> bool:
    current = _current_hash(uow, plan, job, cache) if job.kind == "generate" else exports_inputs_hash(rows)
    return current is not None and current != job.inputs_hash


def _autonomy(uow: UnitOfWork, plan: PlanRow) -> AutonomyLevel:
    engagement = uow.engagements.get(plan.engagement_id)
    return AutonomyLevel(engagement.autonomy_level if engagement else AutonomyLevel.MANUAL.value)


def job_spec(job: PlanJobRow) -> JobSpec:
    """The job's place in the DAG as plain data (usable after its session has closed)."""
    return JobSpec(
        key=job.key,
        module=Module(job.module),
        title=job.title,
        depends_on=tuple(job.depends_on),
        platform=job.platform,
        content_fields=tuple(job.content_fields),
        kind="export" if job.kind == "export" else "generate",
        export_format=job.export_format,
        weeks=(job.weeks[0], job.weeks[1]) if job.weeks else None,
    )


def parts_so_far(
    job: JobSpec, by_key: Mapping[str, JobSpec], content: dict[str, Any], window: Window
) -> dict[str, Any]:
    """The same-module parts this job builds on (its in-module dependencies' fields; for a posts
    job, the calendar entries of its own scope)."""
    fields: list[str] = []
    for dep in job.depends_on:
        other = by_key.get(dep)
        if other is not None and other.module == job.module:
            fields += [f for f in other.content_fields if f not in fields]
    part = {f: content[f] for f in fields if f in content}
    scope = job.scope
    if scope and "calendar" in part:
        part["calendar"] = [e for e in part["calendar"] if scope.owns(e, *window)]
    return part


def exports_inputs_hash(rows: dict[str, ArtifactRow]) -> str:
    """What an export job renders: the versions of the artifacts a delivery includes."""
    return content_hash({m.value: rows[m.value].version for m in DELIVERED if m.value in rows})


def _current_hash(uow: UnitOfWork, plan: PlanRow, job: PlanJobRow, cache: dict[Module, Any]) -> str | None:
    module = Module(job.module)
    if module not in cache:
        try:
            cache[module] = load_inputs(uow, plan.engagement_id, module).inputs_hash
        except Invalid:
            cache[module] = None
    module_hash = cache[module]
    return None if module_hash is None else job_inputs_hash(module_hash, job.key)


def after_artifact_change(uow: UnitOfWork, engagement_id: str, actor: str) -> None:
    """Hook for artifact services: keep the plan in step with approvals and new versions. No commit."""
    plan = _plan_for(uow, engagement_id)
    rows = uow.artifacts.by_engagement(engagement_id)
    intake = rows.get(Module.INTAKE.value)
    if plan is None or (intake is not None and intake.version != plan.intake_version):
        ensure_plan(uow, engagement_id, actor)
    else:
        refresh_plan(uow, plan)


# ---- operator commands ------------------------------------------------------------------------
def create_or_refresh(uow: UnitOfWork, principal: Principal, engagement_id: str) -> PlanPublic:
    require_write(principal)
    uow.lock_for_write()  # read the jobs as the runner leaves them, not mid-claim
    load_engagement(uow, principal, engagement_id)
    plan = ensure_plan(uow, engagement_id, principal.actor)
    if plan is None:
        raise Invalid(
            "a plan needs an approved intake", [{"field": "intake", "message": "approve the intake first"}]
        )
    uow.commit()
    return plan_public(uow, plan)


def toggle_job(uow: UnitOfWork, principal: Principal, plan_id: str, job_id: str, enabled: bool) -> JobPublic:
    require_write(principal)
    uow.lock_for_write()  # read the jobs as the runner leaves them, not mid-claim
    plan = load_plan(uow, principal, plan_id)
    job = _job_of(uow, plan, job_id)
    if job.status == J.RUNNING.value:
        raise Conflict("a running job cannot be switched off; pause the plan or wait for it")
    job_states.switched(job, enabled)
    audit.record(
        uow,
        principal,
        "job.enable" if enabled else "job.disable",
        client_id=plan.client_id,
        engagement_id=plan.engagement_id,
        comment=job.key,
    )
    refresh_plan(uow, plan)
    uow.commit()
    return job_public(job)


def _job_of(uow: UnitOfWork, plan: PlanRow, job_id: str) -> PlanJobRow:
    job = uow.plans.job(job_id)
    if job is None or job.plan_id != plan.id:
        raise NotFound(f"job {job_id} not found in plan {plan.id}")
    return job


def mark_queued(jobs: list[PlanJobRow]) -> Dispatch:
    """Record that `jobs` go to the engine, with the trace id of whatever queued them."""
    trace_id = current_trace_id() or new_id("tr")
    for job in jobs:
        job_states.queued(job, trace_id)
    return [(j.id, j.run_no) for j in jobs]


def run_next(uow: UnitOfWork, principal: Principal, plan_id: str) -> tuple[PlanPublic, Dispatch]:
    """Queue the first ready job (plan order)."""
    require_write(principal)
    uow.lock_for_write()  # read the jobs as the runner leaves them, not mid-claim
    plan = load_plan(uow, principal, plan_id)
    _require_active(plan)
    ready = refresh_plan(uow, plan)
    dispatch = mark_queued(ready[:1])
    audit.record(
        uow,
        principal,
        "plan.run_next",
        client_id=plan.client_id,
        engagement_id=plan.engagement_id,
        comment=ready[0].key if ready else "nothing ready",
    )
    uow.commit()
    return plan_public(uow, plan), dispatch


def run_ready(uow: UnitOfWork, principal: Principal, plan_id: str) -> tuple[PlanPublic, Dispatch]:
    """Queue every ready job and keep going as more become ready (until paused or blocked)."""
    require_write(principal)
    uow.lock_for_write()  # read the jobs as the runner leaves them, not mid-claim
    plan = load_plan(uow, principal, plan_id)
    _require_active(plan)
    plan.auto_continue = True
    dispatch = mark_queued(refresh_plan(uow, plan))
    audit.record(
        uow,
        principal,
        "plan.run_ready",
        client_id=plan.client_id,
        engagement_id=plan.engagement_id,
        data={"queued": len(dispatch)},
    )
    uow.commit()
    return plan_public(uow, plan), dispatch


def _require_active(plan: PlanRow) -> None:
    if plan.state != PlanState.ACTIVE.value:
        raise Conflict("the plan is paused: resume it first", [{"field": "state", "message": plan.state}])


def set_state(
    uow: UnitOfWork, principal: Principal, plan_id: str, state: PlanState
) -> tuple[PlanPublic, Dispatch]:
    require_write(principal)
    uow.lock_for_write()  # read the jobs as the runner leaves them, not mid-claim
    plan = load_plan(uow, principal, plan_id)
    plan.state = state.value
    dispatch: Dispatch = []
    if state is PlanState.ACTIVE and plan.auto_continue:
        dispatch = mark_queued(refresh_plan(uow, plan))
    audit.record(
        uow,
        principal,
        f"plan.{'resume' if state is PlanState.ACTIVE else 'pause'}",
        client_id=plan.client_id,
        engagement_id=plan.engagement_id,
    )
    uow.commit()
    return plan_public(uow, plan), dispatch


def retry_job(uow: UnitOfWork, principal: Principal, plan_id: str, job_id: str) -> tuple[JobPublic, Dispatch]:
    require_write(principal)
    uow.lock_for_write()  # read the jobs as the runner leaves them, not mid-claim
    plan = load_plan(uow, principal, plan_id)
    job = _job_of(uow, plan, job_id)
    if job.status not in (J.FAILED.value, J.BLOCKED.value, J.COMPLETED.value):
        raise Conflict(f"job {job.key} is {job.status}; only failed, blocked or completed jobs are retried")
    job_states.retried(job)
    audit.record(
        uow,
        principal,
        "job.retry",
        client_id=plan.client_id,
        engagement_id=plan.engagement_id,
        comment=job.key,
    )
    ready = refresh_plan(uow, plan)
    dispatch = (
        mark_queued([j for j in ready if j.id == job.id]) if plan.state == PlanState.ACTIVE.value else []
    )
    uow.commit()
    return job_public(job), dispatch
