"""`aicmo doctor`, `aicmo selftest`, `aicmo backup` / `restore` and `aicmo ops-ui` from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from aicmo.config import get_settings
from aicmo.entrypoints.cli.main import app

runner = CliRunner()
ASYNCPG_URL = "postgresql+asyncpg://user:secretpw@127.0.0.1/test"


def test_doctor_passes_on_a_fresh_setup_after_db_upgrade(workspace: Path) -> None:
    before = runner.invoke(app, ["doctor", "--json"])
    assert before.exit_code == 1  # no database yet: the schema sentinels fail, with the remedy
    assert "aicmo db upgrade" in before.output

    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "all good" in result.output and "0 fail" in result.output
    report = json.loads(runner.invoke(app, ["doctor", "--json"]).stdout)
    assert report["ok"] and report["counts"]["fail"] == 0
    assert {s["id"] for s in report["sentinels"] if s["status"] == "pass"} >= {
        "python_runtime", "package_import", "database_url", "database_connectivity", "tables_present",
        "migrations_at_head", "provider_status", "console_entrypoint",
    }  # fmt: skip


def test_doctor_fails_the_asyncpg_url_with_the_remedy_and_never_prints_the_password(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AICMO_DATABASE_URL", ASYNCPG_URL)
    get_settings.cache_clear()
    # a wide terminal, so the remedy is one line (rich ignores COLUMNS under pytest-xdist)
    monkeypatch.setattr("aicmo.entrypoints.cli.doctor.console", Console(width=200, soft_wrap=True))
    table = runner.invoke(app, ["doctor"])
    assert table.exit_code == 1
    assert "Database URL valid" in table.output and "fail" in table.output
    assert "remedy: use postgresql+psycopg://" in table.output
    as_json = runner.invoke(app, ["doctor", "--json"])
    assert as_json.exit_code == 1
    sentinel = next(s for s in json.loads(as_json.stdout)["sentinels"] if s["id"] == "database_url")
    assert sentinel["status"] == "fail" and "asyncpg driver is not installed" in sentinel["evidence"]
    assert "postgresql+psycopg://" in sentinel["remedy"]
    for output in (table.output, as_json.output):
        assert "secretpw" not in output
        assert "user:***@127.0.0.1/test" in output


def test_the_installed_aicmo_command_never_prints_the_password_either(workspace: Path) -> None:
    """The real entry point in a child process: stdout, stderr and any log lines."""
    env = {**os.environ, "AICMO_DATABASE_URL": ASYNCPG_URL, "AICMO_LOG_LEVEL": "DEBUG"}
    exe = Path(sys.executable).with_name("aicmo")
    done = subprocess.run(
        [str(exe), "doctor", "--probe", "--timeout", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Database URL valid" in done.stdout
    assert "secretpw" not in done.stdout + done.stderr


def test_selftest_passes_from_the_cli(workspace: Path) -> None:
    result = runner.invoke(app, ["selftest"])
    assert result.exit_code == 0, result.output
    for step in ("migrate", "intake", "gating refusal", "approval", "unlock", "stale cascade"):
        assert f"pass  {step}" in result.output
    assert "self-test passed" in result.output
    report = json.loads(runner.invoke(app, ["selftest", "--json"]).stdout)
    assert report["ok"] and [s["status"] for s in report["steps"]] == ["pass"] * 6
    assert not (workspace / "var").exists()  # the workspace database was never touched


def test_backup_then_restore_through_the_cli_refuses_a_full_database(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["token", "create", "--role", "operator", "--name", "Dana"]).exit_code == 0
    archive = workspace / "backups" / "ws.zip"
    result = runner.invoke(app, ["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    assert "api_tokens" in result.output and archive.is_file()

    refused = runner.invoke(app, ["restore", str(archive)])
    assert refused.exit_code == 1 and "not empty" in refused.output and "--force" in refused.output

    monkeypatch.setenv("AICMO_DATABASE_URL", f"sqlite:///{workspace / 'restored.db'}")
    get_settings.cache_clear()
    restored = runner.invoke(app, ["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert "restored" in restored.output
    listed = runner.invoke(app, ["token", "list"])
    assert "Dana" in listed.output
    assert runner.invoke(app, ["restore", str(archive), "--force"]).exit_code == 0
    assert runner.invoke(app, ["restore", str(workspace / "missing.zip")]).exit_code == 2


def test_ops_ui_is_a_command_and_its_module_runs_without_the_main_cli() -> None:
    assert "ops shell" in runner.invoke(app, ["ops-ui", "--help"]).output
    done = subprocess.run(
        [sys.executable, "-m", "aicmo.entrypoints.cli.ops", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "--port" in done.stdout


def test_backup_is_encrypted_when_a_key_is_set_and_restore_needs_it(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.fernet import Fernet

    monkeypatch.setenv("AICMO_BACKUP_ENCRYPTION_KEY", Fernet.generate_key().decode())
    get_settings.cache_clear()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    archive = workspace / "sealed.zip"
    made = runner.invoke(app, ["backup", "--out", str(archive)])
    assert made.exit_code == 0 and "signed and encrypted" in made.output
    assert archive.read_bytes().startswith(b"gAAAAA")
    monkeypatch.setenv("AICMO_DATABASE_URL", f"sqlite:///{workspace / 'restored.db'}")
    get_settings.cache_clear()
    assert runner.invoke(app, ["restore", str(archive)]).exit_code == 0
    monkeypatch.delenv("AICMO_BACKUP_ENCRYPTION_KEY")
    monkeypatch.setenv("AICMO_DATABASE_URL", f"sqlite:///{workspace / 'other.db'}")
    get_settings.cache_clear()
    refused = runner.invoke(app, ["restore", str(archive)])
    assert refused.exit_code == 1 and "is encrypted" in refused.output
