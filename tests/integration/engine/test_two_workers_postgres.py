"""The distributed path: two `aicmo worker` processes share one plan through DBOS on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aicmo.testing.llm_server import ServerHandle, run_test_server
from tests.conftest import POSTGRES_URL, fresh_postgres_database
from tests.integration.engine.conftest import engine_app
from tests.integration.engine.test_worker_crash import (
    assert_each_job_once,
    start_plan,
    start_worker,
    worker_env,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES_URL, reason="set AICMO_TEST_POSTGRES_URL to run against PostgreSQL"),
]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    url, drop = fresh_postgres_database()
    yield url
    drop()


@pytest.fixture(scope="module")
def llm() -> Iterator[ServerHandle]:
    server = run_test_server(latency_ms=250)
    yield server
    server.stop()


def test_two_workers_on_postgres_run_one_plan_exactly_once(
    tmp_path: Path, postgres_url: str, llm: ServerHandle
) -> None:
    app = engine_app(
        tmp_path,
        database_url=postgres_url,
        runner_mode="external",
        llm_provider="openai",
        llm_base_url=llm.base_url,
        llm_model="aicmo-test-model",
        llm_api_key="sk-two-workers",
    )
    env = worker_env(tmp_path, llm, AICMO_DATABASE_URL=postgres_url, AICMO_RUNNER_CONCURRENCY="2")
    workers = [start_worker(env, f"worker-{n}", tmp_path / f"worker-{n}.log") for n in (1, 2)]
    try:
        time.sleep(2.0)
        plan_id = start_plan(app)
        assert_each_job_once(app, plan_id)
        from aicmo.services import plans
        from tests.integration.engine.conftest import OPERATOR

        with app.uow() as uow:
            plan = plans.get_plan(uow, OPERATOR, plan_id)
        by_worker = {w: sum(j.worker_id == w for j in plan.jobs) for w in ("worker-1", "worker-2")}
        assert all(count > 0 for count in by_worker.values()), by_worker
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=20)
        app.close()
