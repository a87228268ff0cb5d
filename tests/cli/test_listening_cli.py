"""`aicmo listening import|report` as an operator runs them: bad rows named, sentiment scored offline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.test_brief_file import aicmo

pytestmark = pytest.mark.slow  # runs `aicmo` subprocesses: started first in CI (tests/conftest.py)

FIXTURE = Path(__file__).parents[1] / "fixtures" / "listening" / "harbour_mentions.csv"


def test_import_and_report_from_the_command_line(piped_workspace: Path) -> None:
    tmp_path = piped_workspace  # the brief template already through `aicmo pipeline … --out o`
    env = {"AICMO_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}
    engagement = json.loads((tmp_path / "o" / "manifest.json").read_text())["engagement"]["id"]
    shutil.copy(FIXTURE, tmp_path / "mentions.csv")

    imported = aicmo("listening", "import", "mentions.csv", "--engagement", engagement, cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    assert "imported 7 mentions" in imported.stdout and "4 sentiments scored from the text" in imported.stdout
    assert "row 8.text: text is empty" in imported.stdout

    table = aicmo("listening", "report", "--engagement", engagement, cwd=tmp_path, env=env)
    assert table.returncode == 0, table.stderr
    assert "7 mentions" in table.stdout and "2027-03-08" in table.stdout and "knee" in table.stdout
    as_json = json.loads(
        aicmo("listening", "report", "--engagement", engagement, "--json", cwd=tmp_path, env=env).stdout
    )
    assert as_json["total"]["reach"] == 9650
