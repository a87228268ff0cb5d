"""Time the client deliverables for every sample brief, made from stored, approved artifacts.

For each brief in tests/fixtures/intakes/ this runs `aicmo pipeline BRIEF --out DIR --auto-approve`
(the real CLI in a subprocess, offline, on a fresh SQLite workspace in a temp dir), then times the
delivery service on what the pipeline stored:

    PDF, PPTX   assess the engagement, render, store (POST /engagements/{id}/exports does the same)
    ZIP         the same; it bundles the PDF and deck just exported from the same content
    ZIP cold    assess and render the ZIP with nothing to reuse (PDF + deck + bundle)

Usage:
    .venv/bin/python bench/delivery_times.py                 # every sample brief
    .venv/bin/python bench/delivery_times.py saas_hr_leads   # some of them
    .venv/bin/python bench/delivery_times.py --repeat 3      # best of three per output
    .venv/bin/python bench/delivery_times.py --keep var/bench  # keep the workspaces and files

The goal is under 3 s per output. The first PDF of a process also loads WeasyPrint and the fonts:
one warm-up render runs before timing and its time is printed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "fixtures" / "intakes"
GOAL_S = 3.0


@dataclass
class Row:
    brief: str
    client: str
    pipeline_s: float
    times: dict[str, float]
    cpu: dict[str, float]
    sizes: dict[str, int]
    pages: int
    slides: int


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float]:
    """(result, best wall seconds, best CPU seconds of this process)."""
    result, wall, cpu = None, float("inf"), float("inf")
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return result, wall, cpu


def run_pipeline_cli(brief: Path, workspace: Path) -> float:
    """`aicmo pipeline` exactly as an operator runs it, on a workspace of its own."""
    env = {
        **os.environ,
        "AICMO_DATA_DIR": str(workspace / "var"),
        "AICMO_DATABASE_URL": f"sqlite:///{workspace / 'var' / 'aicmo.db'}",
        "AICMO_LLM_PROVIDER": "offline",
        "AICMO_RUNNER_MODE": "embedded",
    }
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "aicmo.entrypoints.cli.main", "pipeline", str(brief)]
    command += ["--out", str(workspace / "out"), "--auto-approve"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=workspace, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pipeline failed for {brief.name}:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started


def measure(brief: Path, workspace: Path, repeat: int) -> Row:
    import io

    from pptx import Presentation

    from aicmo.bootstrap import build_app
    from aicmo.config import Settings
    from aicmo.domain.schemas.exports import ExportFormat
    from aicmo.services import exports
    from aicmo.services.export_render import render
    from aicmo.services.tokens import SYSTEM_ADMIN

    pipeline_s = run_pipeline_cli(brief, workspace)
    settings = Settings(
        _env_file=None,
        data_dir=workspace / "var",
        database_url=f"sqlite:///{workspace / 'var' / 'aicmo.db'}",
        runner_mode="external",
    )
    app = build_app(settings)
    try:
        with app.uow() as uow:
            [engagement], _ = uow.engagements.list(client_ids=None, include_archived=True, limit=2, offset=0)
            engagement_id, engagement_name = engagement.id, engagement.name
        times: dict[str, float] = {}
        cpu: dict[str, float] = {}
        sizes: dict[str, int] = {}
        files: dict[str, bytes] = {}

        for fmt in (ExportFormat.PDF, ExportFormat.PPTX, ExportFormat.ZIP):

            def make(fmt: ExportFormat = fmt) -> Any:
                with app.uow() as uow:
                    return exports.create_export(uow, SYSTEM_ADMIN, engagement_id, fmt)

            record, times[fmt.value], cpu[fmt.value] = best_of(make, repeat)
            with app.uow() as uow:
                files[fmt.value] = exports.download_export(uow, SYSTEM_ADMIN, record.id).data
            sizes[fmt.value] = record.bytes

        def cold_zip() -> bytes:
            with app.uow() as uow:
                assessment = exports.assess_engagement(uow, uow.engagements.get(engagement_id))
                manifest = assessment.manifest([])
                return render(ExportFormat.ZIP, assessment.package(), manifest).data

        _, times["ZIP cold"], cpu["ZIP cold"] = best_of(cold_zip, repeat)
        pdf_path = workspace / "report.pdf"
        pdf_path.write_bytes(files["PDF"])
        info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True).stdout
        pages = next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), 0)
        slides = len(Presentation(io.BytesIO(files["PPTX"])).slides)
        return Row(brief.stem, engagement_name, pipeline_s, times, cpu, sizes, pages, slides)
    finally:
        app.close()


def warm_up() -> float:
    """Load WeasyPrint and its fonts once (what the first export of a fresh process pays)."""
    from datetime import date

    from aicmo.adapters.exporters.pdf import render_pdf
    from aicmo.domain.schemas.export import ExportPackage

    started = time.perf_counter()
    render_pdf(ExportPackage(client_name="Warm-up", engagement_name="Warm-up", period_start=date(2026, 1, 5),
                             period_end=date(2026, 1, 11)))  # fmt: skip
    return time.perf_counter() - started


def print_table(rows: list[Row]) -> bool:
    """Wall seconds (and CPU seconds, which a busy machine does not inflate) per output."""
    columns = ("PDF", "PPTX", "ZIP", "ZIP cold")
    header = f"{'brief':<18} {'pipeline':>8} " + " ".join(f"{c + ' wall/cpu s':>17}" for c in columns)
    header += f" {'pages':>5} {'slides':>6} {'PDF kB':>6} {'ZIP kB':>6}"
    print(header)
    print("-" * len(header))
    ok = True
    for row in rows:
        cells = []
        for column in columns:
            wall, cpu = row.times[column], row.cpu[column]
            ok &= wall < GOAL_S
            cells.append(f"{wall:.2f}{'!' if wall >= GOAL_S else ' '}/{cpu:.2f}")
        kilobytes = f"{row.sizes['PDF'] / 1024:>6.0f} {row.sizes['ZIP'] / 1024:>6.0f}"
        cells_text = " ".join(f"{c:>17}" for c in cells)
        print(
            f"{row.brief:<18} {row.pipeline_s:>7.1f}s {cells_text} {row.pages:>5} {row.slides:>6} {kilobytes}"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\ngoal: every output under {GOAL_S:.0f} s wall ('!' marks a miss); load average {load} "
          f"on {os.cpu_count()} CPUs")  # fmt: skip
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("briefs", nargs="*", help="sample brief names (default: all)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per output; the best is shown")
    parser.add_argument("--keep", type=Path, help="keep workspaces (database, pipeline output) here")
    args = parser.parse_args(argv)
    briefs = [SAMPLES / f"{name}.json" for name in args.briefs] or sorted(SAMPLES.glob("*.json"))
    missing = [b.name for b in briefs if not b.exists()]
    if missing:
        raise SystemExit(f"no such sample brief: {', '.join(missing)}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"warm-up PDF (imports and fonts): {warm_up():.2f} s; load average {load}\n")
    with tempfile.TemporaryDirectory(prefix="aicmo-bench-") as tmp:
        root = args.keep or Path(tmp)
        rows = []
        for brief in briefs:
            workspace = root / brief.stem
            workspace.mkdir(parents=True, exist_ok=True)
            rows.append(measure(brief, workspace, max(1, args.repeat)))
        ok = print_table(rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
