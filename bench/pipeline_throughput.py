"""Offline pipeline throughput against its floor, in clients per minute.

Pipeline: every sample brief (/work/shared/samples/intakes when present, and
tests/fixtures/briefs) through `services.pipeline.run_pipeline` with autonomy full: the plan on the
embedded job engine (DBOS on SQLite), the offline provider, and the delivery's PDF, PPTX and ZIP,
one client after another in one process (one app, one engine: no start-up per client).

Floor, in the same run for the same briefs (each brief's floor right before its pipeline, so a
change in the machine's load weighs on both alike): the same offline generators called directly
(each module planned from its upstreams' content, then repaired, checked and rendered to Markdown
as a plan's last job does) and the same renderers called directly (PDF, PPTX, and the ZIP bundling
those two), with no database, engine or job.

    .venv/bin/python bench/pipeline_throughput.py [--rounds 1] [--limit N]

The last line is exactly `pipeline/floor=<ratio>` (pipeline seconds per client over the floor's).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from aicmo.adapters.db.migrate import upgrade  # noqa: E402
from aicmo.adapters.exporters.bundle import render_zip  # noqa: E402
from aicmo.adapters.exporters.pdf import render_pdf  # noqa: E402
from aicmo.adapters.exporters.pptx import render_pptx  # noqa: E402
from aicmo.bootstrap import build_app  # noqa: E402
from aicmo.config import Settings  # noqa: E402
from aicmo.domain.artifacts import ArtifactStatus, Module  # noqa: E402
from aicmo.domain.modules import DELIVERED  # noqa: E402
from aicmo.domain.schemas.export import ExportArtifact, ExportPackage  # noqa: E402
from aicmo.domain.schemas.intake import Intake  # noqa: E402
from aicmo.services.inputs import inputs_from_contents  # noqa: E402
from aicmo.services.offline_content import offline_contents  # noqa: E402
from aicmo.services.pipeline import run_pipeline  # noqa: E402
from aicmo.services.plan_parts import finish_module  # noqa: E402

SHARED = Path("/work/shared/samples/intakes")
FORMATS = ("PDF", "PPTX", "ZIP")


def briefs() -> list[tuple[str, dict[str, Any]]]:
    paths = sorted(SHARED.glob("*.json")) if SHARED.is_dir() else []
    paths += sorted((REPO / "tests/fixtures/briefs").glob("*.json"))
    found = []
    for path in paths:
        data = json.loads(path.read_text())
        found.append((f"{path.parent.name}/{path.name}", data.get("brief", data)))
    return found


def wanted_formats(brief: dict[str, Any]) -> list[str]:
    """The delivery files the plan makes for this brief (its export jobs' formats)."""
    from aicmo.domain.plan import plan_jobs

    return [j.export_format for j in plan_jobs(Intake.model_validate(brief)) if j.kind == "export"]


def floor_client(brief: dict[str, Any]) -> dict[str, int]:
    """Generate every delivered module offline and render the delivery files: no database, no jobs."""
    contents = offline_contents(brief, DELIVERED)
    intake = Intake.model_validate(contents[Module.INTAKE.value])
    artifacts = []
    for module in DELIVERED:
        if module.value not in contents:
            continue
        inputs = inputs_from_contents(module, contents).inputs
        content, markdown, _findings = finish_module(module, contents[module.value], inputs)
        contents[module.value] = content
        artifacts.append(
            ExportArtifact(
                type=module,
                id=f"floor-{module.value}",
                version=1,
                status=ArtifactStatus.APPROVED,
                approved_by="floor",
                approved_at=datetime.now(UTC),
                content=content,
                content_markdown=markdown,
            )
        )
    start = intake.start_date or date.today()
    package = ExportPackage(
        client_name=intake.client_name,
        engagement_name=f"{intake.client_name} engagement",
        period_start=start,
        period_end=start + timedelta(weeks=intake.duration_weeks),
        timezone=intake.timezone,
        brand_colors=list(intake.brand_colors),
        required_outputs=list(dict.fromkeys(intake.required_outputs)),
        artifacts=artifacts,
    )
    formats = wanted_formats(brief)
    sizes: dict[str, int] = {}
    pdf = render_pdf(package) if {"PDF", "ZIP"} & set(formats) else b""
    pptx = render_pptx(package) if {"PPTX", "ZIP"} & set(formats) else b""
    if "PDF" in formats:
        sizes["PDF"] = len(pdf)
    if "PPTX" in formats:
        sizes["PPTX"] = len(pptx)
    if "ZIP" in formats:
        sizes["ZIP"] = len(render_zip(package, pdf=pdf, pptx=pptx)[0])
    return sizes


def run_both(cases: list[tuple[str, dict[str, Any]]], tmp: Path) -> tuple[float, float, list[str]]:
    """Seconds for the floor and for the pipeline over `cases`, brief by brief in turn (so a change
    in the machine's load weighs on both alike), and what went wrong in the pipeline."""
    settings = Settings(
        _env_file=None,
        data_dir=tmp,
        database_url=f"sqlite:///{tmp / 'app.db'}",
        llm_provider="offline",
        runner_mode="embedded",
    )
    upgrade(settings.resolved_database_url)
    app = build_app(settings)
    problems = []
    floor_s = pipeline_s = 0.0
    try:
        app.start_engine()
        for n, (name, brief) in enumerate(cases):
            started = time.perf_counter()
            floor_client(brief)
            floor_s += time.perf_counter() - started
            started = time.perf_counter()
            result = run_pipeline(app, brief, tmp / f"out-{n}", auto_approve=True, new_client=True)
            pipeline_s += time.perf_counter() - started
            files = {e["format"] for e in result.manifest.get("exports", []) if "format" in e}
            missing = set(wanted_formats(brief)) - files
            if result.failed_jobs or missing or not result.plan or not result.plan.progress.done:
                problems.append(f"{name}: failed {result.failed_jobs}, missing files {sorted(missing)}")
    finally:
        app.close()
    return floor_s, pipeline_s, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="run the briefs this many times")
    parser.add_argument("--limit", type=int, default=0, help="only the first N briefs (0: all)")
    args = parser.parse_args()
    cases = (briefs()[: args.limit] if args.limit else briefs()) * args.rounds
    n = len(cases)
    tmp = Path(tempfile.mkdtemp(prefix="aicmo-throughput-"))
    try:
        floor_client(cases[0][1])  # warm: imports, fonts, templates (the engine warms up on start)
        load = os.getloadavg()[0]
        floor_s, pipeline_s, problems = run_both(cases, tmp)
        load_after = os.getloadavg()[0]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for problem in problems:
        print(f"PROBLEM {problem}")
    print(f"briefs:            {n} ({', '.join(sorted({c[0].split('/')[0] for c in cases}))})")
    print(f"load average:      {load:.2f} before, {load_after:.2f} after (2 cores shared)")
    print(f"floor:             {floor_s:.1f} s = {n / floor_s * 60:.1f} clients/minute")
    print(f"pipeline:          {pipeline_s:.1f} s = {n / pipeline_s * 60:.1f} clients/minute")
    print(f"pipeline/floor={pipeline_s / floor_s:.2f}")


if __name__ == "__main__":
    main()
