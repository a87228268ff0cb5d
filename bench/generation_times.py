"""Time of the offline generators per sample brief (intake to monitoring).

    .venv/bin/python bench/generation_times.py [--repeat 5]

Pure generation (no database, no engine); `aicmo pipeline` adds the job runner and exports on top.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from aicmo.domain.artifacts import Module  # noqa: E402
from aicmo.domain.intake_rules import normalise_intake  # noqa: E402
from aicmo.domain.quality import check_quality  # noqa: E402
from aicmo.domain.schemas.intake import Intake  # noqa: E402
from aicmo.services.generators import get_generator  # noqa: E402
from aicmo.services.generators.base import GenerationInputs  # noqa: E402

CHAIN = (Module.STRATEGY, Module.CREATIVES, Module.EXECUTION, Module.MONITORING)


def run_chain(intake: Intake) -> int:
    """Generate the chain, each module reading the ones before it; returns the number of findings."""
    upstream: dict[Module, object] = {}
    findings = 0
    for module in CHAIN:
        inputs = GenerationInputs.for_intake(intake, upstream=dict(upstream))
        generator = get_generator(module)
        content = generator.repair(generator.plan_offline(inputs), inputs)
        generator.render_markdown(content)
        findings += len(check_quality(module, content, intake, inputs.window_start, inputs.window_end))
        upstream[module] = content
    return findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'brief':<24} {'min ms':>8} {'median ms':>10} {'findings':>9}")
    for path in sorted((REPO / "tests/fixtures/intakes").glob("*.json")):
        intake = normalise_intake(Intake.model_validate(json.loads(path.read_text())))
        findings = run_chain(intake)  # warm-up
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            run_chain(intake)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{path.stem:<24} {min(times):8.1f} {statistics.median(times):10.1f} {findings:9d}")


if __name__ == "__main__":
    main()
