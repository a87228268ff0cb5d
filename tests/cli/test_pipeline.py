"""`aicmo pipeline` on every sample brief: offline, auto-approved, zero findings, distinct content.

Run as real subprocesses, the way an operator runs it, each in a fresh working directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow  # runs `aicmo` subprocesses: started first in CI (tests/conftest.py)

BRIEFS = sorted(p.stem for p in SAMPLES.glob("*.json"))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path


def aicmo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AICMO_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "aicmo.entrypoints.cli.main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run(brief: Path, out: Path) -> dict:
    result = aicmo(
        "pipeline", str(brief), "--out", str(out), "--provider", "offline", "--auto-approve", cwd=out.parent
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((out / "manifest.json").read_text())


def test_every_sample_brief_passes_with_zero_findings_and_reads_differently(workspace: Path) -> None:
    manifests = {name: run(SAMPLES / f"{name}.json", workspace / name) for name in BRIEFS}
    for name, manifest in manifests.items():
        statuses = {a["type"]: a["status"] for a in manifest["artifacts"]}
        assert {statuses[m] for m in ("intake", "strategy", "creatives", "execution", "monitoring")} == {
            "approved"
        }, name
        assert manifest["findings"] == 0, name
        assert all(j["status"] == "completed" for j in manifest["jobs"]), name
        assert {"id", "key", "type", "module", "depends_on", "attempts", "started_at", "llm_calls"} <= set(
            manifest["jobs"][0]
        )
        assert manifest["timings_ms"]["generation"] > 0, name  # measured; speed is bench/'s job
        for module in ("strategy", "creatives", "execution", "monitoring"):
            assert (workspace / name / f"{module}.md").read_text().strip()
            assert json.loads((workspace / name / f"{module}.json").read_text())

    def strategy(name: str) -> dict:
        return json.loads((workspace / name / "strategy.json").read_text())

    positions = {name: strategy(name)["positioning_statement"] for name in BRIEFS}
    assert len(set(positions.values())) == len(BRIEFS)
    pillar_sets = {name: {p["name"] for p in strategy(name)["pillars"]} for name in BRIEFS}
    for a in BRIEFS:
        for b in BRIEFS:
            if a < b:
                overlap = pillar_sets[a] & pillar_sets[b]
                assert len(overlap) <= 1, (a, b, overlap)
    kpis = {name: {k["name"] for k in strategy(name)["measurement"]["kpis"]} for name in BRIEFS}
    assert kpis["hospital_hiring"] != kpis["saas_hr_leads"]
    for name in BRIEFS:
        brand = json.loads((SAMPLES / f"{name}.json").read_text())["client_name"]
        assert brand in (workspace / name / "execution.md").read_text()


def test_an_invalid_brief_exits_non_zero_naming_each_field(workspace: Path) -> None:
    brief = json.loads((SAMPLES / "saas_hr_leads.json").read_text())
    brief.pop("target_audience")
    brief["website"] = "nope"
    path = workspace / "bad.json"
    path.write_text(json.dumps(brief))
    result = aicmo("pipeline", str(path), "--out", str(workspace / "out"), cwd=workspace)
    assert result.returncode == 2
    assert "target_audience" in result.stderr and "website" in result.stderr
    assert not (workspace / "out" / "manifest.json").exists()


def test_a_brief_that_is_not_json_is_a_clear_error(workspace: Path) -> None:
    path = workspace / "broken.json"
    path.write_text("{not json")
    result = aicmo("pipeline", str(path), "--out", str(workspace / "out"), cwd=workspace)
    assert result.returncode == 2
    assert "is not valid JSON" in result.stderr


def test_a_folder_given_as_the_brief_is_a_clear_error(workspace: Path) -> None:
    result = aicmo("pipeline", str(workspace), "--out", str(workspace / "out"), cwd=workspace)
    assert result.returncode == 2
    assert "cannot read the brief" in result.stderr and "Traceback" not in result.stderr
    assert "Is a directory" in result.stderr
