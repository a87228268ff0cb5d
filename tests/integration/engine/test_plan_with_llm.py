"""The plan on the real engine with the `openai` provider, over HTTP to the project's test server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aicmo.bootstrap import App
from aicmo.domain.artifacts import Action
from aicmo.domain.plan import plan_jobs
from aicmo.domain.schemas.intake import Intake
from aicmo.domain.schemas.resources import ArtifactAmend, AutonomyLevel
from aicmo.services import artifacts, plans
from aicmo.services.generators import get_generator
from aicmo.services.plan_watch import wait_for_plan
from aicmo.testing.llm_server import ServerHandle, run_test_server
from tests.integration.engine.conftest import OPERATOR, approved_engagement, engine_app, load_brief, plan_of

GENERATED = ("strategy", "creatives", "execution", "monitoring")


@pytest.fixture(scope="module")
def llm() -> Iterator[ServerHandle]:
    server = run_test_server()
    yield server
    server.stop()


@pytest.fixture
def llm_app(request: pytest.FixtureRequest, tmp_path: Path, llm: ServerHandle) -> Iterator[App]:
    """An app on the openai provider; a test may lower the client timeout with @pytest.mark.parametrize
    (indirect) so injected hangs cost little time."""
    llm.reset()
    app = openai_app(tmp_path, llm, llm_timeout_s=getattr(request, "param", 5.0), llm_max_retries=4)
    app.start_engine()
    yield app
    app.close()


def openai_app(tmp_path: Path, llm: ServerHandle, **overrides: Any) -> App:
    return engine_app(
        tmp_path,
        llm_provider="openai",
        llm_base_url=llm.base_url,
        llm_model="aicmo-test-model",
        llm_api_key="sk-test-engine-key",
        **overrides,
    )


def run_plan(app: App, engagement_id: str):
    plan = plan_of(app, engagement_id)
    with app.uow() as uow:
        plan, dispatch = plans.run_ready(uow, OPERATOR, plan.id)
    app.dispatch(dispatch)
    return wait_for_plan(app.uow, OPERATOR, plan.id, timeout_s=120)


@pytest.mark.parametrize("llm_app", [0.6], indirect=True)
def test_a_full_plan_completes_through_30_percent_injected_faults(llm_app: App, llm: ServerHandle) -> None:
    llm.reset(fault_rate=0.3, fault_kinds=["429", "500", "timeout", "bad_json"], seed=11, hang_s=1.0)
    engagement = approved_engagement(llm_app, load_brief("coffee_ecommerce"), AutonomyLevel.ASSISTED)
    plan = run_plan(llm_app, engagement)

    jobs = [j for j in plan.jobs if j.module.value in GENERATED]
    assert all(j.status == "completed" for j in jobs), [(j.key, j.status, j.error) for j in jobs]
    stats = llm.stats()
    assert stats["faults_total"] >= 5
    # the retries are visible per job: provider attempts beyond one per call
    assert sum(j.provider_attempts for j in jobs) > len(jobs)
    assert any(j.provider_attempts > 1 for j in jobs)
    with llm_app.uow() as uow:
        rows = uow.artifacts.by_engagement(engagement)
        assert {m: rows[m].status for m in GENERATED} == dict.fromkeys(GENERATED, "approved")
        assert rows["strategy"].provenance["provider"] == "openai"


def test_rerun_after_a_strategy_change_calls_the_llm_only_for_changed_jobs(
    llm_app: App, llm: ServerHandle
) -> None:
    engagement = approved_engagement(llm_app, load_brief("saas_hr_leads"), AutonomyLevel.ASSISTED)
    first = run_plan(llm_app, engagement)
    assert all(j.status == "completed" for j in first.jobs if j.module.value in GENERATED)
    hashes_before = {j.key: j.inputs_hash for j in first.jobs}
    calls_before = {j.key: j.llm_calls for j in first.jobs}

    with llm_app.uow() as uow:
        strategy = uow.artifacts.by_engagement(engagement)["strategy"]
        content = dict(strategy.content)
        content["positioning_statement"] += " Backed by a one-day go-live guarantee of support."
        strategy_id, version = strategy.id, strategy.version
    with llm_app.uow() as uow:
        amended = artifacts.amend_artifact(
            uow, OPERATOR, strategy_id, ArtifactAmend(expected_version=version, content=content)
        )
    with llm_app.uow() as uow:
        artifacts.decide(uow, OPERATOR, strategy_id, Action.APPROVE, expected_version=amended.version)
    llm.reset()
    second = run_plan(llm_app, engagement)

    changed = {
        j.key
        for j in second.jobs
        if j.inputs_hash != hashes_before[j.key] and j.kind == "generate" and get_generator(j.module).uses_llm
    }
    new_calls = {j.key: j.llm_calls - calls_before[j.key] for j in second.jobs}
    assert not [k for k in changed if k.startswith("strategy.")], "strategy jobs read only the brief"
    assert {k for k, n in new_calls.items() if n > 0} == changed
    assert all(new_calls[k] == 1 for k in changed)
    assert changed >= {"creatives.brand_kit", "execution.calendar"}
    assert llm.stats()["calls"] == len(changed)
    assert llm.stats()["modules"].get("strategy", 0) == 0


@pytest.mark.parametrize("limit", [2, 5])
def test_no_more_jobs_run_at_once_than_the_configured_limit(
    tmp_path: Path, llm: ServerHandle, limit: int
) -> None:
    """The coffee brief fans out to thirteen execution jobs after the calendar; the server sees
    at most `limit` calls at once (and, since the DAG allows more, exactly `limit` at some moment)."""
    llm.reset(latency_ms=150)
    app = openai_app(tmp_path, llm, runner_concurrency=limit)
    app.start_engine()
    try:
        engagement = approved_engagement(app, load_brief("coffee_ecommerce"), AutonomyLevel.FULL)
        plan = plan_of(app, engagement)
        for job in plan.jobs:  # the exports are not LLM calls: keep the run short
            if job.kind == "export":
                with app.uow() as uow:
                    plans.toggle_job(uow, OPERATOR, plan.id, job.id, False)
        final = run_plan(app, engagement)
    finally:
        app.close()
    assert all(j.status == "completed" for j in final.jobs if j.enabled), [
        (j.key, j.status, j.error) for j in final.jobs
    ]
    assert llm.stats()["max_in_flight"] == limit


def test_followers_calls_start_ahead_and_no_call_is_wasted(tmp_path: Path, llm: ServerHandle) -> None:
    """Autonomy full: the jobs that wait only on one job of their module get their calls started
    when its answer arrives (the strategy chain, the creatives and execution fan-outs), a module's
    first jobs when the module before it is approved; every such answer is used by its job, so the
    server sees exactly one call per job."""
    llm.reset(latency_ms=50)
    app = openai_app(tmp_path, llm, runner_concurrency=16)  # room for every execution call at once
    app.start_engine()
    try:
        engagement = approved_engagement(app, load_brief("coffee_ecommerce"), AutonomyLevel.FULL)
        plan = plan_of(app, engagement)
        for job in plan.jobs:
            if job.kind == "export":
                with app.uow() as uow:
                    plans.toggle_job(uow, OPERATOR, plan.id, job.id, False)
        final = run_plan(app, engagement)
        prefetcher = app.runtime.prefetcher
    finally:
        app.close()
    llm_jobs = [j for j in final.jobs if j.enabled and get_generator(j.module).uses_llm]
    assert all(j.status == "completed" and j.llm_calls == 1 for j in llm_jobs), [
        (j.key, j.status, j.llm_calls, j.error) for j in llm_jobs
    ]
    assert llm.stats()["calls"] == len(llm_jobs)
    # Every call but the first job's started ahead: followers within a module when their upstream's
    # answer arrived, a module's first jobs when its upstream module was approved.
    assert (prefetcher.started, prefetcher.used) == (len(llm_jobs) - 1, len(llm_jobs) - 1)


def test_plans_running_side_by_side_each_assemble_every_part(llm_app: App, llm: ServerHandle) -> None:
    """Three plans at once on one engine (fan-outs of different plans and modules interleave): every
    generated module ends complete, each job's part in its artifact, and approved."""
    llm.reset(latency_ms=60)
    engagements = [
        approved_engagement(llm_app, load_brief(name), AutonomyLevel.ASSISTED)
        for name in ("coffee_ecommerce", "hospital_hiring", "saas_hr_leads")
    ]
    dispatch = []
    for engagement in engagements:
        with llm_app.uow() as uow:
            _, ready = plans.run_ready(uow, OPERATOR, plan_of(llm_app, engagement).id)
        dispatch += ready
    llm_app.dispatch(dispatch)
    for engagement in engagements:
        final = wait_for_plan(llm_app.uow, OPERATOR, plan_of(llm_app, engagement).id, timeout_s=120)
        generate = [j for j in final.jobs if j.enabled and j.kind == "generate"]
        assert all(j.status == "completed" for j in generate), [(j.key, j.status, j.error) for j in generate]
        with llm_app.uow() as uow:
            rows = uow.artifacts.by_engagement(engagement)
            assert {m: rows[m].status for m in GENERATED} == dict.fromkeys(GENERATED, "approved")
            specs = {spec.key: spec for spec in plan_jobs(Intake.model_validate(rows["intake"].content))}
            for job in generate:
                content = rows[job.module.value].content
                missing = [f for f in specs[job.key].content_fields if f not in content]
                assert not missing, (engagement, job.key, missing)
                if job.platform:
                    assert any(p["platform"] == job.platform for p in content["posts"]), job.key


def test_a_full_plan_runs_on_the_anthropic_provider(tmp_path: Path, llm: ServerHandle) -> None:
    """The same plan through Anthropic's Messages API (the test server speaks it too), with rate
    limits and overloads injected: every module is generated, gate-checked and approved."""
    llm.reset(fault_rate=0.2, fault_kinds=["429", "529", "500"], seed=5)
    app = engine_app(
        tmp_path,
        llm_provider="anthropic",
        llm_base_url=llm.root_url,
        llm_model="claude-sonnet-4-5",
        llm_api_key="sk-ant-engine-test",
        llm_max_retries=5,
        llm_backoff_base_s=0.01,
        runner_concurrency=8,
    )
    app.start_engine()
    try:
        engagement = approved_engagement(app, load_brief("saas_hr_leads"), AutonomyLevel.FULL)
        for job in plan_of(app, engagement).jobs:
            if job.kind == "export":
                with app.uow() as uow:
                    plans.toggle_job(uow, OPERATOR, plan_of(app, engagement).id, job.id, False)
        final = run_plan(app, engagement)
        with app.uow() as uow:
            rows = uow.artifacts.by_engagement(engagement)
            statuses = {m: rows[m].status for m in GENERATED}
    finally:
        app.close()
    llm_jobs = [j for j in final.jobs if j.enabled and get_generator(j.module).uses_llm]
    assert all(j.status == "completed" for j in llm_jobs), [(j.key, j.status, j.error) for j in llm_jobs]
    assert statuses == dict.fromkeys(GENERATED, "approved")
    stats = llm.stats()
    assert set(stats["modes"]) == {"anthropic:tools+stream"}
    assert stats["faults_total"] > 0
    assert sum(j.provider_attempts for j in llm_jobs) == stats["calls"]
