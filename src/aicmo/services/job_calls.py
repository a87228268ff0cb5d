"""A plan job's provider call, and the calls started ahead for the jobs after it (SPEC §5).

`prepare` builds a claimed job's request from its module's inputs and the parts already written
(its module's working draft, `services.module_draft`). With a `Prefetcher`, it also notes what it
takes to start, from this job's answer, the calls of the jobs that will follow it - the same
module's next jobs (`Followers`) and the first jobs of the modules its approval will unlock
(`services.speculation`) - so they overlap this job's bookkeeping instead of waiting for it.
Everything started ahead is best effort: a job always makes its own call when nobody made it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aicmo.adapters.llm.base import GenerationTask, Provider
from aicmo.adapters.llm.offline import OfflineProvider
from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.gating import GateReason, gate_reasons
from aicmo.domain.plan import JobSpec
from aicmo.domain.schemas.plans import JobStatus, PlanState
from aicmo.domain.schemas.resources import AutonomyLevel
from aicmo.services import module_draft
from aicmo.services.generators import get_generator
from aicmo.services.inputs import LoadedInputs, load_inputs
from aicmo.services.plan_parts import job_inputs_hash, merge_part, part_task, window_of
from aicmo.services.plans import job_spec, parts_so_far, plan_jobs_of
from aicmo.services.prefetch import Prefetcher
from aicmo.services.speculation import ModuleAhead, module_ahead
from aicmo.services.unit_of_work import UnitOfWork, UowFactory

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import PlanJobRow, PlanRow

J = JobStatus
log = logging.getLogger("aicmo.runner")


@dataclass(frozen=True)
class Followers:
    """What it takes to build the requests of the jobs that will run as soon as this one is
    done (`followers`: same module, every other dependency complete), from this job's answer."""

    job: JobSpec
    followers: tuple[JobSpec, ...]
    by_key: dict[str, JobSpec]
    content: dict[str, Any]
    follower_ids: frozenset[str] = frozenset()

    def tasks(self, part: dict[str, Any], loaded: LoadedInputs) -> list[GenerationTask[Any]]:
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


@dataclass(frozen=True)
class Prepared:
    """A claimed job, ready to call its provider (`task` None: its inputs are unchanged)."""

    token: str
    inputs_hash: str
    loaded: LoadedInputs
    task: GenerationTask[Any] | None = None
    provider: Provider | None = None
    ahead: Followers | None = None
    module_ahead: ModuleAhead | None = None
    spec: JobSpec | None = None
    owner: tuple[str, str] = ("", "")  # (client id, engagement id): whom its calls are for


def gates_of(job: PlanJobRow, rows: dict[str, Any]) -> list[GateReason]:
    """Why the job's module may not generate now (SPEC §4 gating); empty when it may."""
    return gate_reasons(Module(job.module), {Module(t): ArtifactStatus(r.status) for t, r in rows.items()})


def prepare(
    uow: UnitOfWork,
    provider: Provider,
    job: PlanJobRow,
    plan: PlanRow,
    rows: dict[str, Any],
    token: str,
    prefetcher: Prefetcher | None,
) -> Prepared:
    """Load a generate job's inputs and build its provider call (`task` None: inputs unchanged)."""
    module = Module(job.module)
    loaded = load_inputs(uow, plan.engagement_id, module)
    inputs_hash = job_inputs_hash(loaded.inputs_hash, job.key)
    if job.inputs_hash == inputs_hash and module_draft.has_written(job):
        return Prepared(token, inputs_hash, loaded)
    own = rows.get(module.value)
    owner = (plan.client_id, plan.engagement_id)
    # A job builds on its own module's parts, and its followers are of its module too (their
    # dependencies elsewhere are the upstream jobs this one waited for: done). Only the embedded
    # worker's guesses across modules (`module_ahead`) read the whole plan.
    across_modules = prefetcher is not None and prefetcher.followers is None
    jobs = plan_jobs_of(uow, plan.id) if across_modules else plan_jobs_of(uow, plan.id, job.module)
    content = module_draft.draft(
        own.content if own else {}, module_draft.parts_of(jobs, job.module), window_of(loaded.inputs)
    )
    by_key = {j.key: j for j in jobs}
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
        return Prepared(token, inputs_hash, loaded, task, OfflineProvider(), owner=owner)
    if prefetcher is None or not plan.auto_continue or plan.state != PlanState.ACTIVE.value:
        return Prepared(token, inputs_hash, loaded, task, provider, owner=owner)
    ahead = None
    followers = _followers(job, by_key, loaded.inputs_hash)[: prefetcher.followers]
    if followers:
        ahead = Followers(
            spec, tuple(specs[f.key] for f in followers), specs, content, frozenset(f.id for f in followers)
        )
    next_modules = None
    # Only a worker that runs every job it dispatches (the embedded SQLite one) guesses across
    # modules: elsewhere another worker may run the module's other parts or its downstream jobs.
    if prefetcher.followers is None and _auto_approves(uow, plan):
        next_modules = module_ahead(plan.id, module, by_key, specs, rows, loaded, content)
    return Prepared(token, inputs_hash, loaded, task, provider, ahead, next_modules, spec, owner)


def _auto_approves(uow: UnitOfWork, plan: PlanRow) -> bool:
    engagement = uow.engagements.get(plan.engagement_id)
    return engagement is not None and engagement.autonomy_level != AutonomyLevel.MANUAL.value


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
            module_draft.has_written(other)
            and other.inputs_hash == job_inputs_hash(module_inputs_hash, other.key)
        )
    )


def start_calls_of(
    uow_factory: UowFactory, provider: Provider, prefetcher: Prefetcher, job_ids: list[str]
) -> None:
    """Start the calls of jobs just made ready (committed, about to be started by the engine),
    as those jobs will make them: a module's first jobs after its upstream's approval."""
    try:
        with uow_factory() as uow:
            for job_id in job_ids:
                job, plan = uow.plans.job_and_plan(job_id)
                if job is None or plan is None or job.kind != "generate" or job.status != J.READY.value:
                    continue
                if not get_generator(Module(job.module)).uses_llm:
                    continue
                rows = uow.artifacts.by_engagement(plan.engagement_id)
                if gates_of(job, rows):
                    continue
                prepared = prepare(uow, provider, job, plan, rows, token="", prefetcher=None)
                if prepared.task is not None and prepared.provider is provider:
                    prefetcher.start(provider, prepared.task)
    except Exception:
        log.warning("could not start the calls of ready jobs %s ahead", job_ids, exc_info=True)


def start_followers(
    prefetcher: Prefetcher, provider: Provider, ahead: Followers, part: dict[str, Any], loaded: LoadedInputs
) -> None:
    """Start the followers' calls from this job's answer."""
    try:
        for task in ahead.tasks(part, loaded):
            prefetcher.start(provider, task)
    except Exception:
        log.warning("could not start the calls of the jobs after %s ahead", ahead.job.key, exc_info=True)


def start_next_modules(
    prefetcher: Prefetcher, provider: Provider, ahead: ModuleAhead, spec: JobSpec, part: dict[str, Any]
) -> None:
    """Record this answer; if it completes its module, start the calls the module's approval
    will unlock (`services.speculation`)."""
    try:
        parts = prefetcher.assemblies.add(ahead, spec, part)
        for task in ahead.tasks(parts) if parts is not None else []:
            prefetcher.start(provider, task)
    except Exception:
        log.warning("could not start the calls after module %s ahead", ahead.module.value, exc_info=True)
