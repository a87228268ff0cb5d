"""Durability with real processes: SIGKILL a worker mid-plan, start another, nothing lost or doubled.

The test process plays the API (it creates the plan and enqueues through the DBOS client); the
workers are `aicmo worker` subprocesses on the same SQLite files, calling the LLM test server
(300 ms per call) so the kill lands while jobs run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from aicmo.adapters.db.tables import ArtifactVersionRow, GenerationRunRow
from aicmo.bootstrap import App
from aicmo.domain.schemas.resources import AutonomyLevel
from aicmo.services import plans
from aicmo.services.plan_watch import wait_for_plan
from aicmo.testing.llm_server import ServerHandle, run_test_server
from tests.integration.engine.conftest import OPERATOR, approved_engagement, engine_app, load_brief, plan_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def slow_llm() -> Iterator[ServerHandle]:
    server = run_test_server(latency_ms=300)
    yield server
    server.stop()


def worker_env(tmp_path: Path, llm: ServerHandle, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "AICMO_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "AICMO_DATA_DIR": str(tmp_path),
        "AICMO_LLM_PROVIDER": "openai",
        "AICMO_LLM_BASE_URL": llm.base_url,
        "AICMO_LLM_MODEL": "aicmo-test-model",
        "AICMO_LLM_API_KEY": "sk-crash-test",
        "AICMO_QUEUE_POLLING_S": "0.05",
        "AICMO_JOB_RETRY_BASE_S": "0.1",
        **extra,
    }


def start_worker(env: dict[str, str], worker_id: str, log: Path) -> subprocess.Popen[bytes]:
    """Start `aicmo worker` and return once it says it runs jobs (its engine is launched)."""
    before = log.read_text() if log.exists() else ""
    worker = subprocess.Popen(
        [sys.executable, "-m", "aicmo.entrypoints.cli.main", "worker", "--id", worker_id],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    ready = f"worker {worker_id} running jobs"

    def started() -> bool:
        assert worker.poll() is None, f"worker {worker_id} exited:\n{log.read_text()[len(before) :]}"
        return ready in log.read_text()[len(before) :]

    wait_until(started, timeout=60)
    return worker


def plan_app(tmp_path: Path, llm: ServerHandle) -> App:
    return engine_app(
        tmp_path,
        runner_mode="external",
        llm_provider="openai",
        llm_base_url=llm.base_url,
        llm_model="aicmo-test-model",
        llm_api_key="sk-crash-test",
    )


def start_plan(app: App) -> str:
    engagement = approved_engagement(app, load_brief("coffee_ecommerce"), AutonomyLevel.ASSISTED)
    plan = plan_of(app, engagement)
    for job in plan.jobs:  # exports are not what this test is about: keep the run short
        if job.module.value == "delivery":
            with app.uow() as uow:
                plans.toggle_job(uow, OPERATOR, plan.id, job.id, False)
    with app.uow() as uow:
        plan, dispatch = plans.run_ready(uow, OPERATOR, plan.id)
    app.dispatch(dispatch)
    return plan.id


def wait_until(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def kill_mid_plan(app: App, plan_id: str, worker: subprocess.Popen[bytes]) -> set[str]:
    """SIGKILL the worker once some jobs are done and others are running; returns those running."""

    def mid_plan() -> bool:
        # A job that started a moment ago is still waiting on its 300 ms call when the kill lands:
        # one merely "running" could finish between this read and the signal on a loaded machine.
        with app.uow() as uow:
            plan = plans.get_plan(uow, OPERATOR, plan_id)
        now = datetime.now(UTC)
        done = sum(j.status == "completed" for j in plan.jobs)
        just_started = any(
            j.status == "running" and j.started_at and (now - j.started_at).total_seconds() < 0.2
            for j in plan.jobs
        )
        return done >= 4 and just_started

    wait_until(mid_plan)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    with app.uow() as uow:
        plan = plans.get_plan(uow, OPERATOR, plan_id)
    return {j.key for j in plan.jobs if j.status == "running"}


def assert_each_job_once(app: App, plan_id: str) -> None:
    final = wait_for_plan(app.uow, OPERATOR, plan_id, timeout_s=120)
    generate = [j for j in final.jobs if j.enabled and j.kind == "generate"]
    assert [j.key for j in generate if j.status != "completed"] == []
    with app.uow() as uow:
        writers = Counter(r.created_by for r in uow.session.scalars(select(GenerationRunRow)))
        versions = Counter(v.artifact_id for v in uow.session.scalars(select(ArtifactVersionRow)))
    for job in generate:  # each job's part was stored once ...
        assert writers[f"job {job.key}"] == 1, job.key
    assert set(versions.values()) == {1}  # ... and each module once, when its last part was


def test_sigkilled_worker_restarted_resumes_its_workflows(tmp_path: Path, slow_llm: ServerHandle) -> None:
    slow_llm.reset(latency_ms=300)
    app = plan_app(tmp_path, slow_llm)
    env = worker_env(tmp_path, slow_llm)
    worker = start_worker(env, "worker-a", tmp_path / "worker.log")
    try:
        plan_id = start_plan(app)
        interrupted = kill_mid_plan(app, plan_id, worker)
        assert interrupted, "the kill should land while jobs run"
        worker = start_worker(env, "worker-a", tmp_path / "worker.log")  # same identity: DBOS recovery
        assert_each_job_once(app, plan_id)
        with app.uow() as uow:
            plan = plans.get_plan(uow, OPERATOR, plan_id)
        assert all(j.attempts >= 2 for j in plan.jobs if j.key in interrupted)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        app.close()


def test_jobs_of_a_dead_worker_go_to_another_after_the_lease(tmp_path: Path, slow_llm: ServerHandle) -> None:
    slow_llm.reset(latency_ms=300)
    app = plan_app(tmp_path, slow_llm)
    env = worker_env(tmp_path, slow_llm, AICMO_LEASE_SECONDS="3")
    worker = start_worker(env, "worker-dead", tmp_path / "worker.log")
    try:
        plan_id = start_plan(app)
        interrupted = kill_mid_plan(app, plan_id, worker)
        assert interrupted, "the kill should land while jobs run"
        worker = start_worker(env, "worker-new", tmp_path / "worker.log")  # another identity
        assert_each_job_once(app, plan_id)
        with app.uow() as uow:
            plan = plans.get_plan(uow, OPERATOR, plan_id)
        taken_over = [j for j in plan.jobs if j.key in interrupted]
        assert taken_over and all(j.worker_id == "worker-new" for j in taken_over)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        app.close()
