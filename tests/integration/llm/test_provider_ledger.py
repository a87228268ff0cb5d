"""Every provider call is in the cost ledger (issue 18): the calls the project's LLM test server
received, counted against the ledger's rows - a generation retried after a fault, a failed call, a
plan job that crashed after its provider answered and before it committed, a call started ahead for
a job that was then switched off, and an LLM review of a brief - on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import Api
from tests.integration.engine.conftest import OPERATOR, approved_engagement, engine_app, load_brief, plan_of

from aicmo.bootstrap import App
from aicmo.domain.provider_calls import CallKind, CallScope, call_scope
from aicmo.domain.schemas.plans import JobStatus
from aicmo.domain.schemas.resources import AutonomyLevel
from aicmo.entrypoints.api.main import create_app
from aicmo.services import job_calls, job_runner, plans
from aicmo.services.costs import cost_ledger
from aicmo.services.plan_watch import wait_for_plan
from aicmo.services.prefetch import Prefetcher
from aicmo.testing.llm_server import ServerHandle, run_test_server


@pytest.fixture(scope="module")
def llm() -> Iterator[ServerHandle]:
    with run_test_server() as server:
        yield server


@pytest.fixture
def app(tmp_path: Path, backend_url: str, llm: ServerHandle) -> Iterator[App]:
    llm.reset()
    built = engine_app(
        tmp_path,
        backend_url,
        llm_provider="openai",
        llm_base_url=llm.base_url,
        llm_model="aicmo-test-model",
        llm_api_key="sk-test-ledger-key",
        llm_max_retries=2,
        llm_price_input_per_mtok=2.5,
        llm_price_output_per_mtok=10.0,
    )
    yield built
    built.close()


def ledger(app: App, **where: Any) -> dict[str, Any]:
    with app.uow() as uow:
        return cost_ledger(uow, OPERATOR, **where).model_dump()


def wait_for_rows(app: App, count: int, timeout_s: float = 20.0) -> int:
    """The ledger's row count once it reaches `count` with every call ended (a call is recorded as
    it starts and again as it ends; calls started ahead on the recorder's thread)."""
    deadline = time.monotonic() + timeout_s
    while True:
        with app.uow() as uow:
            found = uow.provider_calls.count()
        settled = ledger(app)["totals"]["unfinished"] == 0
        if (found >= count and settled) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_a_route_generation_its_retries_and_a_failed_call_are_all_in_the_ledger(
    app: App, llm: ServerHandle
) -> None:
    with TestClient(create_app(app)) as http:
        api = Api(http)
        client_id, engagement_id = api.new_engagement("Ledger Dental")
        body = {"engagement_id": engagement_id, "intake": load_brief(), "auto_approve": True}
        assert api.post("/intake/generate", body)["status"] == "SUCCESS"  # the offline planner: no call
        llm.control(fail_next=["500"])  # one retry inside the call
        strategy = {"engagement_id": engagement_id, "auto_approve": False}
        assert api.post("/strategy/generate", strategy)["status"] == "SUCCESS"
        llm.control(fail_next=["500", "500", "500"])  # every attempt fails: the call is still billed
        http.post("/api/v1/strategy/generate", json=strategy, headers=api.headers)

    received = llm.stats()["calls"]
    assert received == 2 + 3
    book = ledger(app)
    assert book["totals"]["requests"] == received
    assert (book["totals"]["calls"], book["totals"]["failed"]) == (2, 1)
    (line,) = book["data"]
    assert (line["client_id"], line["engagement_id"], line["kind"]) == (client_id, engagement_id, "generate")
    assert (line["module"], line["provider"], line["model"]) == ("strategy", "openai", "aicmo-test-model")
    assert line["input_tokens"] > 0 and line["cost_usd"] > 0


def test_a_job_that_crashes_after_its_provider_answered_keeps_its_call_in_the_ledger(
    app: App, llm: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job's process dies between the provider's answer and the commit of its result (an
    exception where the result would be stored); the engine runs the job again, which calls again.
    Both calls were paid: both are in the ledger, the second shown as a repeat."""
    finish, crashed = job_runner._finish, []

    def crash_once(uow, job_id, *args: Any, **kwargs: Any):
        if not crashed:
            crashed.append(job_id)
            raise RuntimeError("worker died before committing the job's result")
        return finish(uow, job_id, *args, **kwargs)

    monkeypatch.setattr(job_runner, "_finish", crash_once)
    app.start_engine()
    engagement = approved_engagement(app, load_brief(), AutonomyLevel.MANUAL)
    plan = plan_of(app, engagement)
    with app.uow() as uow:
        _, dispatch = plans.run_ready(uow, OPERATOR, plan.id)
    app.dispatch(dispatch)
    final = wait_for_plan(app.uow, OPERATOR, plan.id, timeout_s=120)

    assert crashed
    crashed_job = next(j for j in final.jobs if j.id == crashed[0])
    assert crashed_job.status == JobStatus.COMPLETED
    received = llm.stats()["calls"]
    assert received >= 2 and wait_for_rows(app, received) == received  # no faults: a call, a request
    book = ledger(app)
    assert book["totals"]["requests"] == received
    assert book["totals"]["repeated"] >= 1
    lines = book["data"]
    assert {line["kind"] for line in lines} == {"plan_job"}
    assert {line["engagement_id"] for line in lines} == {engagement}
    with app.uow() as uow:
        assert uow.provider_calls.count() == book["totals"]["calls"]


def test_a_call_started_ahead_for_a_job_that_is_then_switched_off_is_in_the_ledger(
    app: App, llm: ServerHandle
) -> None:
    engagement = approved_engagement(app, load_brief(), AutonomyLevel.MANUAL)
    plan = plan_of(app, engagement)
    ready = [j for j in plan.jobs if j.status == JobStatus.READY and j.kind == "generate"]
    assert ready, [(j.key, j.status) for j in plan.jobs]
    job = ready[0]
    prefetcher = Prefetcher(4)
    with call_scope(CallScope(CallKind.PLAN_JOB, job_id=job.id)):
        job_calls.start_calls_of(app.uow, app.provider, prefetcher, [job.id])
    assert prefetcher.started == 1
    with app.uow() as uow:
        plans.toggle_job(uow, OPERATOR, plan.id, job.id, False)  # its call is never taken

    assert wait_for_rows(app, 1) == 1
    assert llm.stats()["calls"] == 1
    (line,) = ledger(app)["data"]
    assert (line["kind"], line["engagement_id"], line["started_ahead"], line["calls"]) == (
        "plan_job",
        engagement,
        1,
        1,
    )
    assert line["requests"] == 1 and line["input_tokens"] > 0


def test_an_llm_review_of_a_brief_is_in_the_ledger(app: App, llm: ServerHandle) -> None:
    with TestClient(create_app(app)) as http:
        api = Api(http)
        viewer = api.post("/tokens", {"name": "v", "role": "viewer"}, expect=201)["token"]
        body = {"intake": load_brief(), "review": True}
        api.as_token(viewer).post("/intake/validate", body, expect=403)  # a review costs money
        answer = api.post("/intake/validate", body, expect=200)
        assert answer["review"]["state"] == "done", answer["review"]
        as_ledger = api.get("/system/costs", expect=200)

    assert llm.stats()["calls"] == 1
    assert as_ledger["totals"]["requests"] == 1
    (line,) = as_ledger["data"]
    assert (line["kind"], line["client_id"], line["module"]) == ("brief_review", "", "intake")
    assert line["client_name"] == "(no client)" and line["input_tokens"] > 0


@pytest.mark.slow
def test_a_worker_killed_mid_plan_leaves_every_call_it_made_in_the_ledger(tmp_path: Path) -> None:
    """SIGKILL an `aicmo worker` process while its jobs call the provider (300 ms a call), start it
    again: the killed worker's calls - answered and not yet committed, or still in flight - stay in
    the ledger beside the calls the restarted worker makes for the same jobs. Every request the
    server received is counted; a call cut off in flight counts as one request, unfinished."""
    from tests.integration.engine.test_worker_crash import (
        kill_mid_plan,
        plan_app,
        start_plan,
        start_worker,
        worker_env,
    )

    with run_test_server(latency_ms=300) as slow_llm:
        app = plan_app(tmp_path, slow_llm)
        env = worker_env(tmp_path, slow_llm)
        worker = start_worker(env, "worker-k", tmp_path / "worker.log")
        try:
            plan_id = start_plan(app)
            assert kill_mid_plan(app, plan_id, worker), "the kill should land while jobs run"
            worker = start_worker(env, "worker-k", tmp_path / "worker.log")
            final = wait_for_plan(app.uow, OPERATOR, plan_id, timeout_s=180)
            assert all(j.status == "completed" for j in final.jobs if j.enabled and j.kind == "generate")
            time.sleep(0.5)  # the last calls' endings are written on the recorder's thread
            book = ledger(app)["totals"]
            received = slow_llm.stats()["calls"]
        finally:
            worker.terminate()
            worker.wait(timeout=20)
            app.close()
    assert book["requests"] - book["unfinished"] <= received <= book["requests"], (received, book)
