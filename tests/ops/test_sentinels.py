"""Sentinels against real things: SQLite files, the PostgreSQL server, a live HTTP API, the local
OpenAI-compatible server. Each verdict comes with evidence, and a remedy when it is not a pass."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aicmo.adapters.db.migrate import head_revision, upgrade
from aicmo.bootstrap import build_app
from aicmo.config import Settings
from aicmo.domain.urls import mask_url
from aicmo.entrypoints.api.main import create_app
from aicmo.services import sentinels
from aicmo.services.sentinels import SentinelOptions, Status, run_sentinels
from aicmo.testing.llm_server import run_test_server
from tests.conftest import make_settings, migrated
from tests.ops.conftest import free_port, serve_http


def settings_for(url: str, tmp_path: Path, **overrides) -> Settings:
    return Settings(_env_file=None, database_url=url, data_dir=tmp_path, **overrides)


def test_a_migrated_database_passes_every_local_sentinel(backend_url: str, tmp_path: Path) -> None:
    migrated(backend_url)
    report = run_sentinels(settings_for(backend_url, tmp_path))
    status = {s.id: s.status for s in report.sentinels}
    assert list(status) == list(sentinels.SENTINEL_ORDER)
    assert report.ok, [s for s in report.sentinels if s.status is Status.FAIL]
    unknown = {"api_reachable", "task_engine"}
    assert {k for k, v in status.items() if v is Status.PASS} == set(status) - unknown
    assert {k for k, v in status.items() if v is Status.UNKNOWN} == unknown
    connectivity = report.get("database_connectivity").evidence
    assert "SELECT 1 -> 1" in connectivity
    if backend_url.startswith("postgresql"):
        assert "postgresql 15" in connectivity and "via psycopg" in connectivity
        assert mask_url(backend_url) in connectivity
    assert "= head" in report.get("migrations_at_head").evidence


def test_a_fresh_folder_fails_the_schema_sentinels_and_the_doctor_creates_no_file(tmp_path: Path) -> None:
    database = tmp_path / "var" / "aicmo.db"
    report = run_sentinels(settings_for(f"sqlite:///{database}", tmp_path))
    assert not report.ok
    for sid in ("database_connectivity", "tables_present", "migrations_at_head"):
        sentinel = report.get(sid)
        assert sentinel.status is Status.FAIL
        assert f"no SQLite database file at {database}" in sentinel.evidence
        assert "aicmo db upgrade" in sentinel.remedy
    assert not database.exists() and not database.parent.exists()


def test_a_schema_behind_head_names_missing_tables_and_the_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    report = run_sentinels(settings_for(url, tmp_path))
    tables, migrations = report.get("tables_present"), report.get("migrations_at_head")
    assert tables.status is Status.FAIL and "generation_runs" in tables.evidence
    assert migrations.status is Status.FAIL
    assert migrations.evidence == f"database at 0001, head is {head_revision()}"
    assert "aicmo db upgrade" in migrations.remedy


def test_an_async_driver_url_fails_that_sentinel_with_the_remedy_and_no_password(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://user:secretpw@127.0.0.1/test"
    report = run_sentinels(settings_for(url, tmp_path))
    sentinel = report.get("database_url")
    assert sentinel.status is Status.FAIL
    assert "async driver" in sentinel.evidence and "asyncpg driver is not installed" in sentinel.evidence
    assert "postgresql+psycopg://" in sentinel.remedy
    for dependent in ("database_connectivity", "tables_present", "migrations_at_head"):
        assert report.get(dependent).status is Status.UNKNOWN
    assert "secretpw" not in report.model_dump_json()
    assert "postgresql+asyncpg://user:***@127.0.0.1/test" in sentinel.evidence


def test_an_unreachable_server_fails_fast_with_the_url_masked(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://aicmo:hidden-pw-77@127.0.0.1:{free_port()}/aicmo"
    started = time.perf_counter()
    report = run_sentinels(settings_for(url, tmp_path), SentinelOptions(timeout_s=2))
    assert time.perf_counter() - started < 10
    sentinel = report.get("database_connectivity")
    assert sentinel.status is Status.FAIL and "OperationalError" in sentinel.evidence
    assert "hidden-pw-77" not in report.model_dump_json()
    assert report.get("tables_present").status is Status.UNKNOWN


def test_the_api_sentinel_calls_a_live_api_and_reports_a_dead_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    migrated(url)
    app = build_app(make_settings(url, tmp_path))
    with serve_http(create_app(app)) as base_url:
        live = run_sentinels(app.settings, SentinelOptions(api_url=base_url)).get("api_reachable")
    app.close()
    assert live.status is Status.PASS and "-> 200" in live.evidence and "version 0.1.0" in live.evidence
    dead = run_sentinels(app.settings, SentinelOptions(api_url=f"http://127.0.0.1:{free_port()}"))
    sentinel = dead.get("api_reachable")
    assert sentinel.status is Status.FAIL and "ConnectError" in sentinel.evidence
    assert "aicmo api" in sentinel.remedy


def test_the_provider_sentinel_fails_a_half_configured_llm_and_probes_a_real_endpoint(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    half = run_sentinels(settings_for(url, tmp_path, llm_provider="openai")).get("provider_status")
    assert half.status is Status.FAIL and "disabled" in half.evidence
    assert "AICMO_LLM_BASE_URL" in half.remedy
    key = "sk-sentinel-probe-0123456789"
    with run_test_server(api_key=key) as server:
        configured = settings_for(
            url, tmp_path, llm_provider="openai", llm_base_url=server.base_url, llm_model="aicmo-test-model",
            llm_api_key=key,
        )  # fmt: skip
        unprobed = run_sentinels(configured).get("provider_status")
        probed = run_sentinels(configured, SentinelOptions(probe_provider=True)).get("provider_status")
    assert unprobed.status is Status.PASS and "not probed" in unprobed.evidence
    assert probed.status is Status.PASS and "reachable" in probed.evidence
    assert key not in probed.model_dump_json()


def test_team_mode_checks_the_engine_database_and_embedded_mode_is_unknown(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    embedded = run_sentinels(settings_for(url, tmp_path, runner_mode="embedded")).get("task_engine")
    assert embedded.status is Status.UNKNOWN and "embedded runner" in embedded.evidence
    engine_db = tmp_path / "engine.db"
    team = settings_for(url, tmp_path, runner_mode="external", engine_database_url=f"sqlite:///{engine_db}")
    missing = run_sentinels(team).get("task_engine")
    assert missing.status is Status.FAIL and "no engine database file" in missing.evidence
    assert not engine_db.exists()
    engine_db.touch()
    sentinel = run_sentinels(team).get("task_engine")
    assert sentinel.status is Status.FAIL and "no DBOS tables" in sentinel.evidence
    assert "aicmo worker" in sentinel.remedy


def test_a_broken_import_fails_the_package_sentinel_with_the_feature_it_breaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        sentinels.FEATURE_MODULES, "aicmo_no_such_module", "the imaginary feature (pip install x)"
    )
    report = run_sentinels(settings_for(f"sqlite:///{tmp_path / 'x.db'}", tmp_path))
    sentinel = report.get("package_import")
    assert sentinel.status is Status.FAIL
    assert "aicmo_no_such_module: ModuleNotFoundError" in sentinel.evidence
    assert "the imaginary feature" in sentinel.remedy
