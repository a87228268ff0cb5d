"""`aicmo learning events --client ID [--json]`: a client's learning events from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_brief_file import aicmo

pytestmark = pytest.mark.slow  # runs `aicmo` subprocesses: started first in CI (tests/conftest.py)


def test_learning_events_from_the_command_line(piped_workspace: Path) -> None:
    tmp_path = piped_workspace  # the brief template already through `aicmo pipeline … --out o`
    env = {"AICMO_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    client = manifest["client"]["id"]

    as_json = aicmo("learning", "events", "--client", client, "--json", cwd=tmp_path, env=env)
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["client_id"] == client and report["counts"]["generation"] >= 1
    assert report["counts"]["approval"] >= 1 and report["counts"]["publication"] == 0
    assert all(e["client_id"] == client for e in report["events"])

    table = aicmo("learning", "events", "--client", client, "--kind", "generation", cwd=tmp_path, env=env)
    assert table.returncode == 0, table.stderr
    assert "Learning events of" in table.stdout and "generation" in table.stdout
    unknown = aicmo("learning", "events", "--client", "cl_nope", cwd=tmp_path, env=env)
    assert unknown.returncode != 0 and "not found" in (unknown.stderr + unknown.stdout)
