"""The generation plan: a valid DAG whose dependencies follow SPEC §4 and the brief's choices."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from pydantic import BaseModel

from aicmo.domain.artifacts import UPSTREAMS, Module
from aicmo.domain.plan import (
    JobSpec,
    dag_problems,
    every_content_part,
    plan_jobs,
    post_platforms,
    ready_jobs,
    stages,
)
from aicmo.domain.schemas.creatives import Creatives
from aicmo.domain.schemas.delivery import DeliverySummary
from aicmo.domain.schemas.execution import Execution
from aicmo.domain.schemas.intake import Intake, Platform
from aicmo.domain.schemas.monitoring import Monitoring
from aicmo.domain.schemas.strategy import Strategy

MODELS: dict[Module, type[BaseModel]] = {
    Module.STRATEGY: Strategy,
    Module.CREATIVES: Creatives,
    Module.EXECUTION: Execution,
    Module.MONITORING: Monitoring,
    Module.DELIVERY: DeliverySummary,
}


def with_platforms(raw: dict[str, Any], platforms: list[str], **changes: Any) -> Intake:
    return Intake.model_validate({**raw, "platforms": platforms, **changes})


def by_key(jobs: list[JobSpec]) -> dict[str, JobSpec]:
    return {job.key: job for job in jobs}


def ancestors(jobs: dict[str, JobSpec], key: str) -> set[str]:
    found: set[str] = set()
    stack = list(jobs[key].depends_on)
    while stack:
        dep = stack.pop()
        if dep not in found:
            found.add(dep)
            stack.extend(jobs[dep].depends_on)
    return found


def test_plan_is_an_acyclic_dag_in_dependency_order(sample_intake: Intake) -> None:
    jobs = plan_jobs(sample_intake)
    assert dag_problems(jobs) == []
    seen: set[str] = set()
    for job in jobs:
        assert set(job.depends_on) <= seen, job.key
        seen.add(job.key)
    assert sorted(k for layer in stages(jobs) for k in layer) == sorted(seen)


def test_dependencies_follow_module_gating(sample_intake: Intake) -> None:
    jobs = by_key(plan_jobs(sample_intake))
    for job in jobs.values():
        allowed = {job.module, *UPSTREAMS[job.module]}
        assert {jobs[d].module for d in job.depends_on} <= allowed, job.key
        upstream_jobs = {k for k, j in jobs.items() if j.module in UPSTREAMS[job.module]}
        assert upstream_jobs <= ancestors(jobs, job.key), job.key


def test_strategy_jobs_run_in_a_strategists_order(sample_intake: Intake) -> None:
    jobs = by_key(plan_jobs(sample_intake))
    order = ["icp", "positioning", "messaging", "pillars", "platform_strategy", "measurement"]
    for before, after in itertools.pairwise(order):
        assert f"strategy.{before}" in ancestors(jobs, f"strategy.{after}")
    assert jobs["strategy.icp"].depends_on == ()


def test_calendar_comes_before_posts(sample_intake: Intake) -> None:
    jobs = by_key(plan_jobs(sample_intake))
    posts = [k for k in jobs if k.startswith("execution.posts.")]
    assert posts
    for key in posts:
        assert "execution.calendar" in jobs[key].depends_on
        assert jobs[key].platform == key.rsplit(".", 1)[1]


def test_email_sequence_only_when_email_is_a_platform(saas_raw: dict[str, Any]) -> None:
    keys = {j.key for j in plan_jobs(with_platforms(saas_raw, ["linkedin", "email"]))}
    assert "execution.email_sequence" in keys
    assert "execution.posts.email" not in keys
    keys = {j.key for j in plan_jobs(with_platforms(saas_raw, ["linkedin", "x"]))}
    assert "execution.email_sequence" not in keys
    assert {"execution.posts.linkedin", "execution.posts.x"} <= keys


def test_email_only_brief_schedules_newsletters_as_posts(saas_raw: dict[str, Any]) -> None:
    keys = {j.key for j in plan_jobs(with_platforms(saas_raw, ["email"]))}
    assert {"execution.posts.email", "execution.email_sequence"} <= keys
    assert post_platforms([Platform.EMAIL]) == [Platform.EMAIL]
    assert post_platforms([Platform.EMAIL, Platform.X]) == [Platform.X]


def test_reel_scripts_only_with_a_video_platform(saas_raw: dict[str, Any]) -> None:
    assert "execution.reel_scripts" not in {j.key for j in plan_jobs(with_platforms(saas_raw, ["linkedin"]))}
    assert "execution.reel_scripts" in {j.key for j in plan_jobs(with_platforms(saas_raw, ["tiktok"]))}


def test_delivery_exports_follow_required_outputs(saas_raw: dict[str, Any]) -> None:
    jobs = plan_jobs(with_platforms(saas_raw, ["linkedin"], required_outputs=["PPTX", "ZIP"]))
    exports = [j for j in jobs if j.kind == "export"]
    assert [(j.key, j.export_format) for j in exports] == [("delivery.pptx", "PPTX"), ("delivery.zip", "ZIP")]
    assert all("delivery.summary" in j.depends_on for j in exports)
    default = plan_jobs(with_platforms(saas_raw, ["linkedin"], required_outputs=[]))
    assert [j.key for j in default if j.kind == "export"] == ["delivery.pdf"]


@pytest.mark.parametrize("module", list(MODELS))
def test_content_fields_cover_each_models_required_fields(sample_intake: Intake, module: Module) -> None:
    jobs = [j for j in plan_jobs(sample_intake) if j.module is module and j.kind == "generate"]
    produced = {f for j in jobs for f in j.content_fields}
    model = MODELS[module]
    required = {name for name, info in model.model_fields.items() if info.is_required()}
    assert required <= produced
    assert produced <= set(model.model_fields)


def test_dag_problems_name_cycles_unknown_and_duplicate_jobs() -> None:
    a = JobSpec("a", Module.STRATEGY, "A", depends_on=("b",))
    b = JobSpec("b", Module.STRATEGY, "B", depends_on=("a",))
    assert any("cycle" in p for p in dag_problems([a, b]))
    assert dag_problems([JobSpec("c", Module.STRATEGY, "C", depends_on=("zzz",))]) == [
        "c depends on unknown job 'zzz'"
    ]
    root = JobSpec("r", Module.STRATEGY, "R")
    assert dag_problems([root, root]) == ["duplicate job key 'r'"]


def test_ready_jobs_start_with_the_roots_and_follow_completions(sample_intake: Intake) -> None:
    jobs = plan_jobs(sample_intake)
    assert [j.key for j in ready_jobs(jobs, [])] == ["strategy.icp"]
    assert [j.key for j in ready_jobs(jobs, ["strategy.icp"])] == ["strategy.positioning"]


def test_plan_is_pure_and_repeatable(sample_intake: Intake) -> None:
    assert plan_jobs(sample_intake) == plan_jobs(sample_intake)


@pytest.mark.parametrize("platforms", [["instagram"], ["email"], ["linkedin", "email", "tiktok", "youtube"]])
def test_every_content_part_covers_the_generate_jobs_of_any_plan(
    sample_raw: dict[str, Any], platforms: list[str]
) -> None:
    """A worker prepares these output schemas at start-up: a plan must not need one it lacks."""
    known = set(every_content_part())
    jobs = plan_jobs(with_platforms(sample_raw, platforms))

    assert {(j.module, j.content_fields) for j in jobs if j.kind == "generate"} <= known
    assert all(set(fields) <= set(MODELS[module].model_fields) for module, fields in known)
