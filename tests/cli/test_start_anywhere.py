"""Every command works from any folder with only AICMO_DATABASE_URL set (issue 16, must-show 5):
the task engine's SQLite file goes beside the app's, nothing is written to the working folder."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from aicmo.config import Settings, engine_file_beside
from aicmo.entrypoints.cli.brief import template_text
from tests.cli.test_brief_file import aicmo, clean_env

pytestmark = pytest.mark.slow  # runs `aicmo` subprocesses: started first in CI (tests/conftest.py)


def test_engine_database_sits_beside_the_app_database(tmp_path: Path) -> None:
    app_db = tmp_path / "data" / "clients.db"
    settings = Settings(_env_file=None, database_url=f"sqlite:///{app_db}")
    assert settings.resolved_engine_url == f"sqlite:///{tmp_path / 'data' / 'clients-engine.db'}"
    default = Settings(_env_file=None, data_dir=tmp_path / "var")
    assert default.resolved_engine_url == f"sqlite:///{tmp_path / 'var' / 'aicmo-engine.db'}"
    assert engine_file_beside("sqlite://", tmp_path) == tmp_path / "aicmo-engine.db"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_upgrade_pipeline_and_api_work_from_an_empty_folder(tmp_path: Path) -> None:
    here, data = tmp_path / "empty", tmp_path / "elsewhere"
    here.mkdir()
    data.mkdir()
    brief = tmp_path / "brief.json"
    brief.write_text(template_text())
    env = {"AICMO_DATABASE_URL": f"sqlite:///{data / 'app.db'}"}

    upgrade = aicmo("db", "upgrade", cwd=here, env=env)
    assert upgrade.returncode == 0, upgrade.stderr
    pipeline = aicmo("pipeline", str(brief), "--out", "o", "--auto-approve", cwd=here, env=env)
    assert pipeline.returncode == 0, pipeline.stdout + pipeline.stderr
    manifest = json.loads((here / "o" / "manifest.json").read_text())
    assert all(a["status"] == "approved" for a in manifest["artifacts"])
    assert (data / "app-engine.db").exists()
    assert sorted(p.name for p in here.iterdir()) == ["o"]  # no ./var appeared

    port = _free_port()
    api = subprocess.Popen(
        [sys.executable, "-m", "aicmo.entrypoints.cli.main", "api", "--port", str(port)],
        cwd=here,
        env=clean_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = None
        for _ in range(150):
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                break
            except httpx.TransportError:
                assert api.poll() is None, api.stderr.read() if api.stderr else ""
                time.sleep(0.2)
        assert ready is not None and ready.status_code == 200, ready and ready.text
        assert ready.json()["database"]["ok"] is True
    finally:
        api.terminate()
        api.wait(timeout=20)
