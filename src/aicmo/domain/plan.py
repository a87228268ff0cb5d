"""The generation plan (SPEC §5): a DAG of jobs derived from an approved brief. Pure.

Each job names the module it belongs to and the parts of that module's content model it writes
(`content_fields`), so a runner can build an artifact part by part. Module-level dependencies
follow SPEC §4 (`UPSTREAMS`): every job of a module depends on every job of its upstream modules
that are in the plan; within a module, jobs follow the order a strategist works in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from aicmo.domain.modules import DELIVERED, MODULES, PLANNED, UPSTREAMS, Module
from aicmo.domain.plan_steps import (  # re-exported: generators and the runner read them here
    POST_BATCH_WEEKS as POST_BATCH_WEEKS,
)
from aicmo.domain.plan_steps import VIDEO_PLATFORMS as VIDEO_PLATFORMS
from aicmo.domain.plan_steps import PlanScope, PostScope
from aicmo.domain.plan_steps import post_batches as post_batches
from aicmo.domain.plan_steps import post_platforms as post_platforms
from aicmo.domain.plan_steps import required_exports as required_exports
from aicmo.domain.schemas.intake import Intake

JobKind = Literal["generate", "export"]


@dataclass(frozen=True)
class JobSpec:
    key: str
    module: Module
    title: str
    depends_on: tuple[str, ...] = ()
    platform: str | None = None
    content_fields: tuple[str, ...] = ()
    kind: JobKind = "generate"
    export_format: str | None = field(default=None)
    weeks: tuple[int, int] | None = None  # a posts job's weeks of the window (1-based, inclusive)

    @property
    def scope(self) -> PostScope | None:
        return PostScope(self.platform, self.weeks) if self.platform else None


def every_content_part() -> list[tuple[Module, tuple[str, ...]]]:
    """Each (module, content fields) a generate job of any plan writes: every platform and export
    selected. A worker prepares their output schemas once at start-up, not inside a job."""
    widest = PlanScope.widest()
    steps = [(module, step) for module in PLANNED for step in MODULES[module].steps(widest)]
    return list(dict.fromkeys((module, step.fields) for module, step in steps if step.fields))


def plan_jobs(intake: Intake) -> list[JobSpec]:
    """The job DAG for `intake`, in an order where every job follows its dependencies."""
    scope = PlanScope.of(intake)
    jobs: list[JobSpec] = []
    keys_by_module: dict[Module, tuple[str, ...]] = {}
    for module in PLANNED:
        upstream_keys = tuple(
            key for upstream in UPSTREAMS[module] for key in keys_by_module.get(upstream, ())
        )
        module_keys: list[str] = []
        for step in MODULES[module].steps(scope):
            key = f"{module.value}.{step.suffix}"
            is_export = module is Module.DELIVERY and not step.fields
            # an export goes out from the complete set: after every delivered module's jobs
            complete_set = (
                tuple(k for m in DELIVERED if m is not module for k in keys_by_module.get(m, ()))
                if is_export
                else ()
            )
            depends_on = (*upstream_keys, *complete_set, *(f"{module.value}.{d}" for d in step.inner))
            jobs.append(
                JobSpec(
                    key=key,
                    module=module,
                    title=step.title,
                    depends_on=tuple(dict.fromkeys(depends_on)),
                    platform=step.platform,
                    content_fields=step.fields,
                    kind="export" if is_export else "generate",
                    export_format=step.suffix.upper() if is_export else None,
                    weeks=step.weeks,
                )
            )
            module_keys.append(key)
        keys_by_module[module] = tuple(module_keys)
    return jobs


def dag_problems(jobs: Sequence[JobSpec]) -> list[str]:
    """Why `jobs` is not a valid DAG (unknown dependency, duplicate key, cycle); empty when valid."""
    problems: list[str] = []
    keys = [job.key for job in jobs]
    known = set(keys)
    problems += [f"duplicate job key {key!r}" for key in sorted({k for k in keys if keys.count(k) > 1})]
    for job in jobs:
        problems += [
            f"{job.key} depends on unknown job {dep!r}" for dep in job.depends_on if dep not in known
        ]
    if not problems:
        try:
            stages(jobs)
        except ValueError as exc:
            problems.append(str(exc))
    return problems


def stages(jobs: Sequence[JobSpec]) -> list[list[str]]:
    """Jobs in layers: each layer's jobs depend only on jobs of earlier layers (ValueError on a cycle)."""
    remaining = {job.key: set(job.depends_on) for job in jobs}
    done: set[str] = set()
    layers: list[list[str]] = []
    while remaining:
        ready = [key for key, deps in remaining.items() if deps <= done]
        if not ready:
            raise ValueError("cycle among jobs: " + ", ".join(sorted(remaining)))
        layers.append(ready)
        done.update(ready)
        for key in ready:
            del remaining[key]
    return layers


def ready_jobs(jobs: Sequence[JobSpec], completed: Iterable[str]) -> list[JobSpec]:
    """Jobs not yet completed whose dependencies all are (what "run all ready" would start)."""
    finished = set(completed)
    return [job for job in jobs if job.key not in finished and set(job.depends_on) <= finished]


class _Charted(Protocol):
    """What a chart of the plan reads of a job (a `JobSpec`, or the API's `JobPublic`)."""

    key: str
    platform: str | None

    @property
    def weeks(self) -> Sequence[int] | None: ...


def chart_node(job: _Charted) -> str:
    """The node a job is drawn as: a platform's posts batches share one node (they are one piece
    of work split for the model's sake; drawn apart, they made the chart unreadably wide)."""
    if job.platform and job.weeks:
        return job.key.rsplit(".", 1)[0]
    return job.key


def reduced_edges(deps: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """The edges of the DAG `deps` (node -> its dependencies) without the ones implied by others
    (a transitive reduction), so a chart shows the working order, not every dependency."""
    direct = {node: set(d) - {node} for node, d in deps.items()}
    reach: dict[str, set[str]] = {}

    def ancestors(node: str) -> set[str]:
        if node not in reach:
            reach[node] = set()
            for dep in direct.get(node, ()):
                reach[node] |= {dep} | ancestors(dep)
        return reach[node]

    edges = []
    for node, before in direct.items():
        implied = set().union(*(ancestors(d) for d in before)) if before else set()
        edges += [(dep, node) for dep in sorted(before - implied)]
    return edges


def chart_edges(jobs: Sequence[_Charted], depends_on: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """`reduced_edges` between the jobs' chart nodes (`depends_on`: job key -> dependency keys)."""
    node_of = {job.key: chart_node(job) for job in jobs}
    deps: dict[str, set[str]] = {}
    for job in jobs:
        deps.setdefault(node_of[job.key], set()).update(
            node_of[d] for d in depends_on.get(job.key, ()) if d in node_of
        )
    return reduced_edges(deps)
