"""Failures that answer fast and clearly (issue 18): a database that accepts and never answers, a
locked or full SQLite file, a nearly full disk. Every answer is the error envelope or the readiness
report, never a hang or a text/plain 500."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from aicmo.bootstrap import App, build_app
from aicmo.entrypoints.api import main as api_main
from aicmo.entrypoints.api.main import create_app
from aicmo.services.sentinels import Status, run_sentinels
from tests.api.helpers import Api
from tests.conftest import ADMIN_TOKEN, make_settings, migrated
from tests.sample_content import sample_content

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def hanging_database() -> Iterator[str]:
    """A PostgreSQL URL whose host accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"postgresql+psycopg://aicmo:pw@127.0.0.1:{server.getsockname()[1]}/aicmo"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


def _hanging_app(url: str, tmp_path: Path, **overrides: object) -> App:
    return build_app(make_settings(url, tmp_path, db_connect_timeout_s=1, **overrides))


def test_readiness_answers_within_two_seconds_and_routes_503_when_the_database_hangs(
    hanging_database: str, tmp_path: Path
) -> None:
    app = _hanging_app(hanging_database, tmp_path)
    try:
        with TestClient(create_app(app, run_jobs=False)) as client:
            started = time.monotonic()
            ready = client.get("/readyz")
            assert time.monotonic() - started < 2.0
            assert ready.status_code == 503
            assert "database unavailable" in ready.json()["database"]["error"]
            assert "pw" not in ready.text

            answer = client.get("/api/v1/clients", headers=AUTH)
            assert answer.status_code == 503 and answer.headers["retry-after"]
            body = answer.json()
            assert body["error"]["type"] == "SERVICE_UNAVAILABLE" and body["trace_id"]
            assert "database unavailable" in body["error"]["message"]
            written = client.post("/api/v1/clients", headers=AUTH, json={"name": "Northwind"})
            assert written.status_code == 503
    finally:
        app.close()


def test_the_api_starts_and_reports_database_unavailable_when_the_engine_cannot_start(
    hanging_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(api_main, "ENGINE_START_WAIT_S", 0.5)
    app = _hanging_app(hanging_database, tmp_path, runner_mode="embedded")
    with TestClient(create_app(app)) as client:  # the lifespan returns: the API serves
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 503
        assert client.get("/api/v1/engagements", headers=AUTH).status_code == 503
    assert any("database unavailable" in r.getMessage() for r in caplog.records)


def test_the_engine_retries_until_the_database_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []
    app = build_app(make_settings(f"sqlite:///{tmp_path / 'a.db'}", tmp_path))

    def flaky_start(**_: object) -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionRefusedError("database down")

    monkeypatch.setattr(app, "start_engine", flaky_start)
    monkeypatch.setattr(api_main, "ENGINE_RETRY_S", 0.01)
    api_main.start_engine_until_up(app, threading.Event())
    assert len(attempts) == 3


def test_a_locked_sqlite_database_is_a_503_envelope(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    migrated(url)
    app = build_app(make_settings(url, tmp_path, db_busy_timeout_s=0.3))
    holder = sqlite3.connect(tmp_path / "locked.db")
    try:
        with TestClient(create_app(app, run_jobs=False)) as client:
            holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
            answer = client.post("/api/v1/clients", headers=AUTH, json={"name": "Northwind"})
            assert answer.status_code == 503, answer.text
            assert answer.json()["error"]["type"] == "SERVICE_UNAVAILABLE"
            holder.rollback()
            assert client.post("/api/v1/clients", headers=AUTH, json={"name": "Northwind"}).status_code == 201
    finally:
        holder.close()
        app.close()


def test_a_full_disk_is_a_503_envelope_and_nothing_is_half_written(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'full.db'}"
    migrated(url)
    app = build_app(make_settings(url, tmp_path))
    with TestClient(create_app(app, run_jobs=False)) as client:
        api = Api(client)
        _, engagement_id = api.new_engagement("Before")
        pages = sqlite3.connect(tmp_path / "full.db").execute("PRAGMA page_count").fetchone()[0]

        @event.listens_for(app.engine, "connect")
        def _full(dbapi_connection, _record) -> None:  # SQLite's own "database or disk is full"
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

        app.engine.dispose()
        big = {
            "engagement_id": engagement_id,
            "type": "intake",
            "content": sample_content("intake"),
            "notes": "Plan. " * 3_000,
        }
        answer = client.post("/api/v1/artifacts", headers=AUTH, json=big)
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"]["type"] == "SERVICE_UNAVAILABLE"
        event.remove(app.engine, "connect", _full)
        app.engine.dispose()
        assert api.get("/artifacts", expect=200, engagement_id=engagement_id)["count"] == 0
        assert api.post("/artifacts", big, expect=201)["version"] == 1  # room again: it works
    app.close()


def test_the_disk_sentinel_and_readiness_report_free_space(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'disk.db'}"
    migrated(url)
    roomy = run_sentinels(make_settings(url, tmp_path, min_free_disk_mb=1)).get("disk_space")
    assert roomy.status is Status.PASS and "MB free of" in roomy.evidence
    cramped_settings = make_settings(url, tmp_path, min_free_disk_mb=10**9)  # a petabyte
    cramped = run_sentinels(cramped_settings).get("disk_space")
    assert cramped.status is Status.FAIL and "free space" in cramped.remedy
    app = build_app(cramped_settings)
    try:
        with TestClient(create_app(app, run_jobs=False)) as client:
            ready = client.get("/readyz")
            assert ready.status_code == 503 and "disk almost full" in ready.json()["disk"]["error"]
            assert ready.json()["database"]["ok"] is True
    finally:
        app.close()
