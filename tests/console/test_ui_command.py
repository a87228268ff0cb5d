"""`aicmo ui`: the console alone, headless, private, pointed at the API by the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aicmo.entrypoints.cli import ui
from aicmo.entrypoints.cli.main import app


def test_the_ui_command_runs_streamlit_headless_without_usage_stats() -> None:
    command = ui.streamlit_command("0.0.0.0", 8600)
    flags = dict(zip(command[5::2], command[6::2], strict=True))
    assert command[1:4] == ["-m", "streamlit", "run"] and Path(command[4]).name == "app.py"
    assert Path(command[4]).exists()
    assert flags["--server.headless"] == "true"
    assert flags["--browser.gatherUsageStats"] == "false"
    assert (flags["--server.address"], flags["--server.port"]) == ("0.0.0.0", "8600")
    assert flags["--client.showErrorDetails"] == "none"  # never a traceback in the browser


def test_aicmo_ui_is_a_registered_command_with_host_and_port() -> None:
    result = CliRunner().invoke(app, ["ui", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output and "AICMO_BACKEND_URL" in result.output


def test_the_console_uses_the_local_admin_token_when_no_api_token_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AICMO_API_TOKEN", "AICMO_ADMIN_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AICMO_DATA_DIR", str(tmp_path))
    (tmp_path / "admin_token").write_text("aicmo_local_abc\n")
    assert ui._console_env()["AICMO_API_TOKEN"] == "aicmo_local_abc"
    monkeypatch.setenv("AICMO_API_TOKEN", "given")
    assert ui._console_env()["AICMO_API_TOKEN"] == "given"
