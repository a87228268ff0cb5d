"""Copy variety across clients: how many posts open like other clients' posts, and shared sentences.

    .venv/bin/python bench/copy_variety.py [--show 10]

Runs every sample brief (../shared/samples/intakes, tests/fixtures/intakes) and fixture brief
(tests/fixtures/briefs) through the offline generator (strategy, creatives, execution) and prints,
per brief, its posts and template openings; then the share of posts whose first two words also
open posts of at least three other clients, and the sentences of six or more words (disclaimers
aside) found in three or more clients' posts. Goal: a share of at most 0.15 and no shared sentence.
The last line is exactly `template_openings=<share>`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from aicmo.domain.artifacts import Module  # noqa: E402
from aicmo.domain.intake_rules import normalise_intake  # noqa: E402
from aicmo.domain.schemas.execution import Execution  # noqa: E402
from aicmo.domain.schemas.intake import Intake  # noqa: E402
from aicmo.domain.variety import ClientPosts, measure, opening  # noqa: E402
from aicmo.services.generators import get_generator  # noqa: E402
from aicmo.services.generators.base import GenerationInputs  # noqa: E402

CHAIN = (Module.STRATEGY, Module.CREATIVES, Module.EXECUTION)
BRIEF_DIRS = (
    REPO.parent / "shared" / "samples" / "intakes",
    REPO.parents[1] / "shared" / "samples" / "intakes",
    REPO / "tests" / "fixtures" / "intakes",
    REPO / "tests" / "fixtures" / "briefs",
)


def brief_files(extra: tuple[Path, ...] = ()) -> list[Path]:
    seen: set[Path] = set()
    files = []
    for folder in (*BRIEF_DIRS, *extra):
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            if path.resolve() not in seen:
                seen.add(path.resolve())
                files.append(path)
    return files


def load_intake(path: Path) -> Intake | None:
    """The brief in a file: a plain intake, or a fixture with the intake under `intake`/`brief`."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(raw, dict):
        raw = raw.get("intake") or raw.get("brief") or raw
    try:
        return normalise_intake(Intake.model_validate(raw))
    except ValueError:
        return None


def briefs(extra: tuple[Path, ...] = ()) -> dict[str, Intake]:
    """Every distinct brief by client name (the samples are also copied into the fixtures)."""
    found: dict[str, Intake] = {}
    for path in brief_files(extra):
        intake = load_intake(path)
        if intake is None:
            print(f"skipped {path.name}: not a valid brief", file=sys.stderr)
        else:
            found.setdefault(intake.client_name, intake)
    return found


def execution_for(intake: Intake) -> Execution:
    upstream: dict[Module, object] = {}
    content = None
    for module in CHAIN:
        inputs = GenerationInputs.for_intake(intake, upstream=dict(upstream))
        generator = get_generator(module)
        content = generator.repair(generator.plan_offline(inputs), inputs)
        upstream[module] = content
    assert isinstance(content, Execution)
    return content


def client_posts(intakes: dict[str, Intake]) -> dict[str, ClientPosts]:
    return {
        name: ClientPosts([p.text for p in execution_for(intake).posts], intake.required_disclaimers)
        for name, intake in intakes.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=10, help="shared openings/sentences to list")
    parser.add_argument("--extra", type=Path, nargs="*", default=[], help="more folders of briefs")
    args = parser.parse_args()
    started = time.perf_counter()
    clients = client_posts(briefs(tuple(args.extra)))
    elapsed = time.perf_counter() - started
    variety = measure(clients)
    shared = set(variety.shared_openings)
    print(f"{'client':<36} {'posts':>6} {'template openings':>18}")
    for name, posts in clients.items():
        count = sum(opening(t, posts.disclaimers) in shared for t in posts.texts)
        print(f"{name[:36]:<36} {len(posts.texts):6d} {count:18d}")
    print(f"\n{len(clients)} briefs, {variety.posts} posts, generated in {elapsed:.1f} s")
    print(f"openings shared by 4+ clients: {len(variety.shared_openings)}")
    for text in variety.shared_openings[: args.show]:
        print(f"  {text!r}")
    print(f"shared_sentences={len(variety.shared_sentences)} (6+ words, in 3+ clients' posts)")
    for text in variety.shared_sentences[: args.show]:
        print(f"  {text!r}")
    print(f"template_openings={variety.template_share:.3f}")


if __name__ == "__main__":
    main()
