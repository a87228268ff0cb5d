"""Five plans at once, each with PDF, PPTX and ZIP exports, on SQLite and on PostgreSQL (issue 16).

A short lease (3 s, so the heartbeat renews it every second, several times during an export's
render) is the setting under which the export jobs used to fail with "WriteRace: someone else
changed this record". The test counts every attempt that hit a write race - a job attempt the
engine retried, and a job's bookkeeping transaction that had to be written again - and expects 0
of both, and no failed job.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from aicmo.adapters.db.tables import ExportRow
from aicmo.domain.schemas.resources import AutonomyLevel
from aicmo.services.plan_watch import wait_for_plan
from tests.conftest import POSTGRES_URL, fresh_postgres_database
from tests.integration.engine.conftest import OPERATOR, approved_engagement, engine_app, load_brief, plan_of

pytestmark = pytest.mark.slow
PLANS = 5


class _RaceCounter(logging.Handler):
    """Counts the engine's "attempt failed" warnings and the bookkeeping retries that name a race."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.failed_attempts: list[str] = []
        self.rewrites: list[str] = []
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        with self._lock:
            if record.name == "aicmo.engine" and "attempt" in message and "failed" in message:
                self.failed_attempts.append(message)
            elif record.name == "aicmo.uow" and "write race" in message:
                self.rewrites.append(message)


@pytest.fixture
def races() -> Iterator[_RaceCounter]:
    counter = _RaceCounter()
    loggers = [logging.getLogger("aicmo.engine"), logging.getLogger("aicmo.uow")]
    levels = [log.level for log in loggers]
    for log in loggers:
        log.addHandler(counter)
        log.setLevel(logging.DEBUG)
    yield counter
    for log, level in zip(loggers, levels, strict=True):
        log.removeHandler(counter)
        log.setLevel(level)


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param(
            "postgres",
            id="postgres",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not POSTGRES_URL, reason="set AICMO_TEST_POSTGRES_URL"),
            ],
        ),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'app.db'}"
        return
    url, drop = fresh_postgres_database()
    try:
        yield url
    finally:
        drop()


def test_five_plans_with_every_export_at_once_fail_no_job_and_race_no_write(
    tmp_path: Path, database_url: str, races: _RaceCounter
) -> None:
    app = engine_app(tmp_path, database_url=database_url, lease_seconds=3.0, runner_concurrency=8)
    app.start_engine()
    try:
        brief = load_brief("saas_hr_leads") | {"duration_weeks": 4}  # short documents: quicker renders
        assert set(brief["required_outputs"]) == {"PDF", "PPTX", "ZIP"}
        engagements: list[str] = []
        threads = [
            threading.Thread(
                target=lambda: engagements.append(approved_engagement(app, brief, AutonomyLevel.FULL))
            )
            for _ in range(PLANS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(engagements) == PLANS
        finals = [
            wait_for_plan(app.uow, OPERATOR, plan_of(app, e).id, timeout_s=240, poll_s=0.25)
            for e in engagements
        ]
        failed = [(j.key, j.error) for plan in finals for j in plan.jobs if j.status.value == "failed"]
        unfinished = [
            (j.key, j.status.value, j.blocked_reason)
            for plan in finals
            for j in plan.jobs
            if j.enabled and j.status.value != "completed"
        ]
        with app.uow() as uow:
            formats = sorted((row.engagement_id, row.format) for row in uow.session.query(ExportRow).all())
        print(
            f"\nstress [{database_url.split(':')[0]}]: {PLANS} plans, "
            f"{sum(len(p.jobs) for p in finals)} jobs, {len(formats)} exports; "
            f"job attempts that hit a write race: {len(races.failed_attempts)}; "
            f"bookkeeping rewrites after a write race: {len(races.rewrites)}"
        )
        assert failed == []
        assert unfinished == []
        assert formats == sorted((e, f) for e in engagements for f in ("PDF", "PPTX", "ZIP"))
        assert races.failed_attempts == []
        assert races.rewrites == []
    finally:
        app.close()
