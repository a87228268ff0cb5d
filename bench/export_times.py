"""Time the client deliverables: PDF report, PPTX deck and asset ZIP for one export package.

Usage:
    .venv/bin/python bench/export_times.py                      # the hand-built demo package
    .venv/bin/python bench/export_times.py package.json ...     # ExportPackage JSON files
    .venv/bin/python bench/export_times.py --dump demo.json     # write the demo package as JSON
    .venv/bin/python bench/export_times.py --out var/exports    # also keep the rendered files

Each package is rendered `--repeat` times; the first (cold) run and the best warm run are shown.
The target is a PDF in under 3 s.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "tests" / "integration" / "exporters" / "conftest.py"
PDF_TARGET_S = 3.0


def demo_package() -> Any:
    spec = importlib.util.spec_from_file_location("aicmo_export_demo", DEMO)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the demo package from {DEMO}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_demo_package()


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float]:
    """(result, first run, best run) in seconds."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return result, times[0], min(times)


def bench(name: str, package: Any, repeat: int, out: Path | None) -> bool:
    from aicmo.adapters.exporters.bundle import render_zip
    from aicmo.adapters.exporters.pdf import render_pdf
    from aicmo.adapters.exporters.pptx import render_pptx

    pdf, pdf_first, pdf_best = timed(lambda: render_pdf(package), repeat)
    pptx, pptx_first, pptx_best = timed(lambda: render_pptx(package), repeat)
    (bundle, manifest), zip_first, zip_best = timed(lambda: render_zip(package, pdf=pdf, pptx=pptx), repeat)
    print(f"\n{name}: {package.client_name} — {package.engagement_name}")
    print(f"  {'output':<6} {'first s':>8} {'best s':>8} {'size kB':>9}")
    for label, first, best, size in (
        ("PDF", pdf_first, pdf_best, len(pdf)),
        ("PPTX", pptx_first, pptx_best, len(pptx)),
        ("ZIP", zip_first, zip_best, len(bundle)),
    ):
        print(f"  {label:<6} {first:>8.2f} {best:>8.2f} {size / 1024:>9.0f}")
    print(f"  {len(manifest.files)} files in the bundle, content hash {manifest.content_hash[:16]}…")
    if out:
        out.mkdir(parents=True, exist_ok=True)
        stem = out / name
        stem.with_suffix(".pdf").write_bytes(pdf)
        stem.with_suffix(".pptx").write_bytes(pptx)
        stem.with_suffix(".zip").write_bytes(bundle)
        print(f"  written to {stem}.{{pdf,pptx,zip}}")
    ok = pdf_best < PDF_TARGET_S
    if not ok:
        print(f"  PDF best {pdf_best:.2f} s is over the {PDF_TARGET_S:.0f} s target")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", type=Path, help="ExportPackage JSON files (default: the demo)")
    parser.add_argument("--repeat", type=int, default=3, help="renders per output (default 3)")
    parser.add_argument("--out", type=Path, help="directory to keep the rendered files in")
    parser.add_argument("--dump", type=Path, help="write the demo package as JSON and exit")
    args = parser.parse_args(argv)

    from aicmo.domain.schemas.export import ExportPackage

    if args.dump:
        args.dump.write_text(demo_package().model_dump_json(indent=2), encoding="utf-8")
        print(f"demo package written to {args.dump}")
        return 0
    if args.packages:
        items = [
            (p.stem, ExportPackage.model_validate_json(p.read_text(encoding="utf-8"))) for p in args.packages
        ]
    else:
        items = [("demo", demo_package())]
    results = [bench(name, package, max(1, args.repeat), args.out) for name, package in items]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
