"""The brief template through `aicmo pipeline` once per test process, copied into each test's
tmp_path that asks for it: the learning, listening and metrics commands are checked on their own
copy, the pipeline command itself in test_pipeline.py and test_brief_file.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aicmo.entrypoints.cli.brief import template_text
from tests.cli.test_brief_file import aicmo


@pytest.fixture(scope="session")
def _piped_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-piped-template")
    (folder / "brief.json").write_text(template_text())
    env = {"AICMO_DATABASE_URL": f"sqlite:///{folder / 'app.db'}"}
    run = aicmo("pipeline", "brief.json", "--out", "o", cwd=folder, env=env)
    assert run.returncode == 0, run.stderr
    return folder


@pytest.fixture
def piped_workspace(_piped_template: Path, tmp_path: Path) -> Path:
    """tmp_path as `aicmo pipeline brief.json --out o` with AICMO_DATABASE_URL=sqlite:///<tmp_path>/app.db
    run in it leaves it: brief.json, app.db and its engine database, var/ and o/manifest.json. A
    copy (the pipeline process has exited, its database files are at rest), so a test changes
    only its own."""
    shutil.copytree(_piped_template, tmp_path, dirs_exist_ok=True)
    return tmp_path
