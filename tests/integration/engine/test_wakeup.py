"""Workers wake on new work instead of polling for it: NOTIFY on PostgreSQL, in-process on SQLite.

Each test sets the fallback polls far beyond its own timeouts, so what ran the job can only be the
wake-up under test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from aicmo.adapters.db.tables import PlanJobRow
from aicmo.adapters.engine.wakeup import Listener, Notifier, Signal, quiet_commits, watch_commits
from aicmo.domain.schemas.resources import AutonomyLevel
from aicmo.services import plans
from tests.conftest import POSTGRES_URL, fresh_postgres_database
from tests.integration.engine.conftest import OPERATOR, approved_engagement, engine_app, load_brief, plan_of
from tests.integration.engine.test_worker_crash import wait_until

SLOW_POLLS = {"queue_polling_s": 30.0, "sweep_fallback_s": 60.0}
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="set AICMO_TEST_POSTGRES_URL to run against PostgreSQL"
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    url, drop = fresh_postgres_database()
    yield url
    drop()


@pytest.mark.postgres
@needs_postgres
def test_a_notify_wakes_a_listening_worker(postgres_url: str) -> None:
    signal, stop = Signal(), threading.Event()
    listener = Listener(postgres_url, [signal], stop).start()
    try:
        assert listener.listening.wait(10)
        signal.wait(0)  # the listener sets it once when it starts listening (it may have missed one)
        assert not signal.wait(0.2)  # nothing notified: nothing wakes it
        notifier = Notifier(postgres_url)
        notifier.notify()
        assert signal.wait(10)
        notifier.close()
    finally:
        stop.set()
        listener.thread.join(timeout=5)


def test_a_commit_in_this_process_wakes_the_sweeper_but_its_own_do_not(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'wake.db'}")
    signal = Signal()
    unwatch = watch_commits(engine, [signal])
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    assert signal.wait(0)

    def quiet_write() -> None:
        with quiet_commits(), engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO t VALUES (1)"))

    thread = threading.Thread(target=quiet_write)
    thread.start()
    thread.join()
    assert not signal.wait(0)
    unwatch()
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO t VALUES (2)"))
    assert not signal.wait(0)
    engine.dispose()


def _queue_one_job(app) -> tuple[str, str, list[tuple[str, int]]]:
    engagement = approved_engagement(app, load_brief("coffee_ecommerce"), AutonomyLevel.MANUAL)
    plan = plan_of(app, engagement)
    with app.uow() as uow:
        _public, dispatch = plans.run_next(uow, OPERATOR, plan.id)
    assert len(dispatch) == 1
    return plan.id, dispatch[0][0], dispatch


def _started(app, plan_id: str, job_id: str) -> bool:
    with app.uow() as uow:
        plan = plans.get_plan(uow, OPERATOR, plan_id)
    return next(j for j in plan.jobs if j.id == job_id).started_at is not None


@pytest.mark.postgres
@needs_postgres
def test_a_job_queued_by_another_process_starts_on_its_notify(tmp_path: Path, postgres_url: str) -> None:
    worker = engine_app(tmp_path, database_url=postgres_url, runner_mode="external", **SLOW_POLLS)
    api = engine_app(tmp_path, database_url=postgres_url, runner_mode="external", **SLOW_POLLS)
    worker.start_engine()
    try:
        plan_id, job_id, dispatch = _queue_one_job(api)
        api.dispatch(dispatch)  # a DBOS client enqueue + NOTIFY, as an API in front of workers does
        wait_until(lambda: _started(api, plan_id, job_id), timeout=20)  # the fallback poll is 30 s
    finally:
        api.close()
        worker.close()


def test_a_job_made_ready_in_this_process_starts_on_the_in_process_signal(tmp_path: Path) -> None:
    app = engine_app(tmp_path, **SLOW_POLLS)  # SQLite: no NOTIFY, the commit wakes the sweeper
    app.start_engine()
    try:
        engagement = approved_engagement(app, load_brief("coffee_ecommerce"), AutonomyLevel.MANUAL)
        plan = plan_of(app, engagement)
        with app.uow() as uow:
            plan, _dispatch = plans.run_ready(uow, OPERATOR, plan.id)  # not dispatched: the sweeper finds it
        first = next(j for j in plan.jobs if j.queued_at is not None)
        with app.uow() as uow:  # forget the queueing, as if a lost enqueue: only a sweep dispatches it
            row = uow.session.get(PlanJobRow, first.id)
            row.queued_at = None
            uow.commit()
        wait_until(lambda: _started(app, plan.id, first.id), timeout=20)  # the fallback sweep is 60 s
    finally:
        app.close()
