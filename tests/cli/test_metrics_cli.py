"""`aicmo metrics import|kpis` as an operator runs them: a Windows-1252, semicolon-separated export
from a European spreadsheet is read, bad rows are named, KPIs print as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_brief_file import aicmo

pytestmark = pytest.mark.slow  # runs `aicmo` subprocesses: started first in CI (tests/conftest.py)


def test_import_and_kpis_from_the_command_line(piped_workspace: Path) -> None:
    tmp_path = piped_workspace  # the brief template already through `aicmo pipeline … --out o`
    env = {"AICMO_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}
    engagement = json.loads((tmp_path / "o" / "manifest.json").read_text())["engagement"]["id"]
    export = "Datum;Plattform;Impressions;Interactions;Cost\n01.03.2027;Instagram;1.200;60;€ 15,50\n"
    export += "02.03.2027;Instagram;n/a;10;\n"
    (tmp_path / "march.csv").write_bytes(export.encode("cp1252"))

    imported = aicmo(
        "metrics", "import", "march.csv", "--engagement", engagement,
        "--map", "date=Datum", "--map", "platform=Plattform", "--json", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    result = json.loads(imported.stdout)
    assert result["rows_imported"] == 1 and result["encoding"] == "windows-1252"
    assert result["skipped"][0]["field"] == "row 3.impressions"

    table = aicmo("metrics", "kpis", "--engagement", engagement, cwd=tmp_path, env=env)
    assert table.returncode == 0, table.stderr
    assert "engagement_rate" in table.stdout and "5.00%" in table.stdout and "no data" in table.stdout
    as_json = json.loads(
        aicmo("metrics", "kpis", "--engagement", engagement, "--json", cwd=tmp_path, env=env).stdout
    )
    assert as_json["total"]["spend"] == {"value": 15.5, "rows": 1}
    missing = aicmo("metrics", "import", "nope.csv", "--engagement", engagement, cwd=tmp_path, env=env)
    assert missing.returncode == 2 and "cannot read nope.csv" in missing.stderr

    goals = aicmo("metrics", "goals", "--engagement", engagement, "--json", cwd=tmp_path, env=env)
    assert goals.returncode == 0, goals.stderr
    report = json.loads(goals.stdout)
    assert report["source"] == "the intake's KPI targets" and report["data_days"] == 1
    first, share = report["goals"]
    assert first["raw"] == "120 booked assessments over the engagement" and first["kpi"] == "conversions"
    assert first["parsed"]["value"] == 120 and first["ambiguous"] == [
        "no period: read as the total over the whole engagement"
    ]
    assert (first["status"], first["actual"]) == ("no data", None)  # the export has no results column
    assert share["parsed"]["percent"] and "a share or a growth" in share["ambiguous"][0]
