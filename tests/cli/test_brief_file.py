"""The brief as a documented file: `aicmo brief schema|template|check`, and re-running a brief
through `aicmo pipeline` reuses its client instead of multiplying it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aicmo.domain.schemas.intake import Intake
from aicmo.entrypoints.cli.brief import template_text
from aicmo.services.generation import validate_brief

pytestmark = pytest.mark.slow  # runs `aicmo` subprocesses: started first in CI (tests/conftest.py)


def clean_env(**settings: str) -> dict[str, str]:
    """This process's environment without any AICMO setting, plus `settings`: a user's shell."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("AICMO_") and k != "DATABASE_URL"}
    return {**base, **settings}


def aicmo(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aicmo.entrypoints.cli.main", *args],
        cwd=cwd,
        env=clean_env(**(env or {})),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_schema_documents_every_field_of_the_brief(tmp_path: Path) -> None:
    result = aicmo("brief", "schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert set(schema["properties"]) == set(Intake.model_fields)
    undocumented = [name for name, spec in schema["properties"].items() if not spec.get("description")]
    assert undocumented == []
    assert set(schema["required"]) >= {"client_name", "industry", "objective", "tone_voice"}


def test_template_is_a_complete_brief_that_validates_without_warnings() -> None:
    brief = json.loads(template_text())
    assert set(brief) == set(Intake.model_fields)  # every field shown, so none is learned from an error
    report = validate_brief(brief)
    assert report.ok and report.warnings == []


def test_check_names_each_bad_field_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"client_name": "Acme", "website": "not a url"}))
    result = aicmo("brief", "check", "bad.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "website" in result.stderr and "industry: industry is required" in result.stderr
    (tmp_path / "good.json").write_text(template_text())
    assert aicmo("brief", "check", "good.json", cwd=tmp_path).returncode == 0


def test_a_rerun_brief_goes_under_the_same_client_and_client_picks_one(tmp_path: Path) -> None:
    env = {"AICMO_DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'app.db'}"}
    (tmp_path / "db").mkdir()
    (tmp_path / "brief.json").write_text(template_text())
    assert aicmo("db", "upgrade", cwd=tmp_path, env=env).returncode == 0

    def run(*extra: str) -> str:
        result = aicmo("pipeline", "brief.json", "--out", "o", *extra, cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads((tmp_path / "o" / "manifest.json").read_text())["client"]["id"]

    first = run()
    assert run() == first  # the same brief again: a new engagement under the same client
    assert run("--client", "harbour street PHYSIO") == first
    assert run("--new-client") != first
    ambiguous = aicmo(
        "pipeline", "brief.json", "--out", "o", "--client", "Harbour Street Physio", cwd=tmp_path, env=env
    )
    assert ambiguous.returncode == 2 and "give the id" in ambiguous.stderr
    unknown = aicmo("pipeline", "brief.json", "--out", "o", "--client", "cl_nope", cwd=tmp_path, env=env)
    assert unknown.returncode == 2 and "no client with id or name 'cl_nope'" in unknown.stderr
