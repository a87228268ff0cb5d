"""The generation plan: a valid DAG whose dependencies follow SPEC §4 and the brief's choices."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from aicmo.domain.artifacts import UPSTREAMS, Module
from aicmo.domain.modules import DELIVERED, MODULES, PLANNED
from aicmo.domain.plan import (
    JobSpec,
    PostScope,
    dag_problems,
    every_content_part,
    plan_jobs,
    post_batches,
    post_platforms,
    ready_jobs,
    stages,
)
from aicmo.domain.plan_steps import PlanScope
from aicmo.domain.schemas.intake import Intake, Platform

MODELS: dict[Module, type[BaseModel]] = {m: MODULES[m].content for m in PLANNED}


def with_platforms(raw: dict[str, Any], platforms: list[str], **changes: Any) -> Intake:
    return Intake.model_validate({**raw, "platforms": platforms, **changes})


def regulated(intake: Intake) -> Intake:
    """The same brief for a financial product (a regulated sector: the plan gets a compliance review)."""
    return intake.model_copy(update={"industry": "Financial services", "primary_offer": "an investment ISA"})


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
        if job.kind == "export":  # an export waits for the whole delivered set
            allowed |= set(DELIVERED)
        assert {jobs[d].module for d in job.depends_on} <= allowed, job.key
        upstream_jobs = {k for k, j in jobs.items() if j.module in UPSTREAMS[job.module]}
        assert upstream_jobs <= ancestors(jobs, job.key), job.key


def test_exports_wait_for_every_delivered_module_so_no_partial_set_goes_out(sample_intake: Intake) -> None:
    jobs = by_key(plan_jobs(sample_intake))
    delivered_jobs = {k for k, j in jobs.items() if j.module in DELIVERED and j.kind == "generate"}
    for job in jobs.values():
        if job.kind == "export":
            assert delivered_jobs <= ancestors(jobs, job.key), job.key
    assert any(j.module is Module.MONITORING for j in jobs.values())


def test_strategy_jobs_run_in_a_strategists_order(sample_intake: Intake) -> None:
    jobs = by_key(plan_jobs(sample_intake))
    assert jobs["strategy.icp"].depends_on == ()
    assert "strategy.icp" in ancestors(jobs, "strategy.positioning")
    for key in ("messaging", "pillars"):  # both say how the brand stands apart: after positioning
        assert "strategy.positioning" in ancestors(jobs, f"strategy.{key}")
    assert "strategy.icp" in ancestors(jobs, "strategy.platform_strategy")  # where the buyers are
    others = {k for k, j in jobs.items() if j.module is Module.STRATEGY} - {"strategy.measurement"}
    assert others <= ancestors(jobs, "strategy.measurement")  # it pulls everything together


def test_strategy_is_four_calls_deep(sample_intake: Intake) -> None:
    """Messaging, pillars and the platform plan do not wait for each other."""
    strategy = [j for j in plan_jobs(sample_intake) if j.module is Module.STRATEGY]
    assert len(stages(strategy)) == 4


def test_calendar_comes_before_posts(sample_intake: Intake) -> None:
    jobs = by_key(plan_jobs(sample_intake))
    posts = [k for k in jobs if k.startswith("execution.posts.")]
    assert posts
    for key in posts:
        assert "execution.calendar" in jobs[key].depends_on
        assert jobs[key].platform == key.split(".")[2]


def test_posts_are_written_in_two_week_batches_per_platform(saas_raw: dict[str, Any]) -> None:
    jobs = plan_jobs(with_platforms(saas_raw, ["linkedin", "x"], duration_weeks=5))
    posts = [j for j in jobs if j.key.startswith("execution.posts.")]
    assert [(j.platform, j.weeks) for j in posts] == [
        ("linkedin", (1, 2)),
        ("linkedin", (3, 4)),
        ("linkedin", (5, 5)),
        ("x", (1, 2)),
        ("x", (3, 4)),
        ("x", (5, 5)),
    ]
    assert posts[0].key == "execution.posts.linkedin.w1-2"
    assert posts[2].title == "Posts for linkedin, week 5"
    assert post_batches(1) == [(1, 1)]


def test_hashtags_and_emails_do_not_wait_for_the_calendar(saas_raw: dict[str, Any]) -> None:
    jobs = by_key(plan_jobs(with_platforms(saas_raw, ["linkedin", "email"])))
    for key in ("execution.hashtag_sets", "execution.email_sequence"):
        assert "execution.calendar" not in jobs[key].depends_on


WINDOW = (date(2026, 1, 5), date(2026, 3, 1))  # 8 weeks from a Monday


def item(platform: str, day: str) -> dict[str, Any]:
    return {"platform": platform, "scheduled_at": f"{day}T09:00:00+01:00"}


def test_a_post_scope_owns_its_platform_and_weeks() -> None:
    scope = PostScope("linkedin", (3, 4))
    assert scope.owns(item("linkedin", "2026-01-19"), *WINDOW)  # first day of week 3
    assert scope.owns(item("linkedin", "2026-02-01"), *WINDOW)  # last day of week 4
    assert not scope.owns(item("linkedin", "2026-01-18"), *WINDOW)
    assert not scope.owns(item("linkedin", "2026-02-02"), *WINDOW)
    assert not scope.owns(item("x", "2026-01-20"), *WINDOW)
    assert scope.owns({"platform": "linkedin", "date": "2026-01-20"}, *WINDOW)  # a calendar entry
    assert PostScope("linkedin").owns(item("linkedin", "2030-01-01"), *WINDOW)


@given(
    days=st.lists(st.integers(min_value=-30, max_value=90), max_size=40),
    weeks=st.integers(min_value=1, max_value=20),
)
def test_every_post_has_exactly_one_batch(days: list[int], weeks: int) -> None:
    """Posts dated outside the window included: the first and last batch take them."""
    start = date(2026, 1, 5)
    end = start + timedelta(weeks=weeks, days=-1)
    scopes = [PostScope("x", w) for w in post_batches(weeks)]
    for offset in days:
        post = item("x", (start + timedelta(days=offset)).isoformat())
        assert sum(scope.owns(post, start, end) for scope in scopes) == 1


def post_platforms_of(jobs: list[JobSpec]) -> set[str | None]:
    return {j.platform for j in jobs if j.key.startswith("execution.posts.")}


def test_email_sequence_only_when_email_is_a_platform(saas_raw: dict[str, Any]) -> None:
    jobs = plan_jobs(with_platforms(saas_raw, ["linkedin", "email"]))
    assert "execution.email_sequence" in {j.key for j in jobs}
    assert post_platforms_of(jobs) == {"linkedin"}
    jobs = plan_jobs(with_platforms(saas_raw, ["linkedin", "x"]))
    assert "execution.email_sequence" not in {j.key for j in jobs}
    assert post_platforms_of(jobs) == {"linkedin", "x"}


def test_email_only_brief_schedules_newsletters_as_posts(saas_raw: dict[str, Any]) -> None:
    jobs = plan_jobs(with_platforms(saas_raw, ["email"]))
    assert "execution.email_sequence" in {j.key for j in jobs}
    assert post_platforms_of(jobs) == {"email"}
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
    if not jobs:  # a module planned only for some briefs (the compliance review: regulated ones)
        assert not MODULES[module].steps(PlanScope.of(sample_intake))
        jobs = [j for j in plan_jobs(regulated(sample_intake)) if j.module is module and j.kind == "generate"]
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
    assert [j.key for j in ready_jobs(jobs, ["strategy.icp"])] == [
        "strategy.positioning",
        "strategy.platform_strategy",
    ]


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
