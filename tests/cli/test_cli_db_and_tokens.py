"""The CLI drives the same services: `aicmo db upgrade|check`, `aicmo token create`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aicmo.config import get_settings
from aicmo.entrypoints.cli.main import app

runner = CliRunner()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AICMO_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_db_check_fails_before_and_passes_after_upgrade(workspace: Path) -> None:
    result = runner.invoke(app, ["db", "check"])
    assert result.exit_code == 1
    assert "aicmo db upgrade" in result.output

    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "tables before (0): none" in result.output
    assert "artifacts" in result.output
    assert (workspace / "var" / "aicmo.db").exists()

    assert runner.invoke(app, ["db", "check"]).exit_code == 0


def test_token_create_prints_the_token_once_and_reviewer_needs_a_client(workspace: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(app, ["token", "create", "--role", "operator", "--name", "Dana"])
    assert result.exit_code == 0, result.output
    token = result.output.splitlines()[0]
    assert token.startswith("aicmo_")
    listed = runner.invoke(app, ["token", "list"]).output
    assert "Dana" in listed and token not in listed

    result = runner.invoke(app, ["token", "create", "--role", "client_reviewer"])
    assert result.exit_code == 1
    assert "client_id: required for role client_reviewer" in result.output


def test_database_urls_are_masked_in_cli_output(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AICMO_DATABASE_URL", "postgresql+psycopg://aicmo:s3cret-pw@127.0.0.1:1/none")
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "check"])
    assert result.exit_code == 2
    assert "postgresql+psycopg://aicmo:***@127.0.0.1:1/none" in result.output
    assert "s3cret-pw" not in result.output
    assert "Traceback" not in result.output
