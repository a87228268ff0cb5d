"""The learning loop against a simulated audience (issue 20): does AICMO find what works, week by week?

    .venv/bin/python bench/kaizen_sim.py [--brief coffee_ecommerce] [--weeks 12] [--seed 7] [--verbose]

The audience has hidden true engagement rates per pillar × format × platform × posting slot (a
platform base rate times a random effect per pillar, per format and per slot, seeded). Each simulated
week AICMO generates the execution plan through the real services (offline generator, SQLite), the
posts of that week "go out", the simulator writes a metrics CSV for them (impressions and binomial
engagements per post), and AICMO imports it and learns before the next week's plan.

Per week it prints the engagement of the posts that went out as a share of the oracle's and of a
uniform mix's. The oracle is the best fixed mix of the choices AICMO makes, for the same calendar
skeleton (which platforms post how often in which week): every post takes the best pillar and the best
format for its platform, and a platform's k posts of a week take its k best posting times among the
calendar's candidate times (`_calendar.candidate_times`, the same set AICMO chooses from). Uniform =
every pillar, format and candidate time equally often. Only expected rates are compared (the hidden
truth), so the shares measure the choices, not the binomial luck of a week. The simulator never tells
AICMO a rate: AICMO sees only the metrics CSV.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import numpy as np  # noqa: E402

from aicmo.adapters.db.migrate import upgrade  # noqa: E402
from aicmo.bootstrap import build_app  # noqa: E402
from aicmo.config import Settings  # noqa: E402
from aicmo.domain.artifacts import Module  # noqa: E402
from aicmo.domain.learning import slot_label, slot_of  # noqa: E402
from aicmo.domain.roles import Principal, Role  # noqa: E402
from aicmo.domain.schemas.generation import GenerateRequest  # noqa: E402
from aicmo.domain.schemas.intake import Platform  # noqa: E402
from aicmo.domain.schemas.metrics import MetricImport  # noqa: E402
from aicmo.services import generation, performance  # noqa: E402
from aicmo.services.generators._calendar import candidate_times  # noqa: E402
from aicmo.services.generators._copy import PLATFORM_FORMATS  # noqa: E402
from aicmo.services.onboarding import onboard_brief  # noqa: E402

OPERATOR = Principal(name="kaizen-sim", role=Role.OPERATOR)
SAMPLES = REPO / "tests" / "fixtures" / "intakes"  # the sample briefs, kept in the repository
IMPRESSIONS = (1500, 4000)


class Audience:
    """Hidden truth: rate = platform base × pillar effect × format effect × slot effect."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.effects: dict[tuple[str, str], float] = {}
        self.base = {"instagram": 0.035, "facebook": 0.015, "linkedin": 0.02, "tiktok": 0.05, "x": 0.01}

    def effect(self, dimension: str, option: str) -> float:
        key = (dimension, option)
        if (
            key not in self.effects
        ):  # drawn per option from the seed: the truth does not depend on query order
            rng = random.Random(f"{self.seed}:{dimension}:{option}")
            self.effects[key] = math.exp(rng.gauss(0.0, 0.35))  # about ±40 % between options
        return self.effects[key]

    def rate(self, platform: str, pillar: str, fmt: str, slot: str) -> float:
        base = self.base.get(platform, 0.02)
        value = base * self.effect("pillar", pillar) * self.effect("format", fmt)
        return min(0.5, value * self.effect("slot", f"{platform} {slot}"))


def generate_execution(app, engagement_id: str) -> dict:
    with app.uow() as uow:
        outcome = generation.generate(
            uow, app.provider, OPERATOR, Module.EXECUTION, GenerateRequest(engagement_id=engagement_id)
        )
    assert outcome.artifact is not None, [f.as_dict() for f in outcome.errors]
    return outcome.artifact.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brief", default="coffee_ecommerce")
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--verbose", action="store_true", help="each post's choice beside the best one")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="aicmo-kaizen-"))
    url = f"sqlite:///{folder / 'kaizen.db'}"
    upgrade(url)
    app = build_app(Settings(_env_file=None, database_url=url, data_dir=folder, llm_provider="offline"))
    brief = json.loads((SAMPLES / f"{args.brief}.json").read_text(encoding="utf-8"))
    brief["duration_weeks"] = max(int(brief.get("duration_weeks") or 12), args.weeks)
    onboarded = onboard_brief(app.uow, app.provider, OPERATOR, brief)
    for module in (Module.STRATEGY, Module.CREATIVES):
        with app.uow() as uow:
            outcome = generation.generate(
                uow,
                app.provider,
                OPERATOR,
                module,
                GenerateRequest(engagement_id=onboarded.engagement_id, auto_approve=True),
            )
        assert outcome.auto_approved, module

    audience = Audience(args.seed)
    draws = np.random.default_rng(args.seed)
    pillars = sorted({p["pillar"] for p in generate_execution(app, onboarded.engagement_id)["posts"]})
    print(f"brief {args.brief}: {len(pillars)} pillars; audience seed {args.seed}")
    print(f"{'week':>4} {'posts':>5} {'share of oracle':>16} {'uniform share':>14}")
    shares: list[float] = []
    for week in range(1, args.weeks + 1):
        content = generate_execution(app, onboarded.engagement_id)
        start = date.fromisoformat(content["window_start"]) + timedelta(weeks=week - 1)
        out = [
            p
            for p in content["posts"]
            if start <= datetime.fromisoformat(p["scheduled_at"]).date() < start + timedelta(weeks=1)
        ]
        got = best = uniform = 0.0
        lines = ["date,platform,post,impressions,engagements"]
        per_platform: dict[str, int] = defaultdict(int)
        for post in out:
            platform, slot = post["platform"], slot_of(datetime.fromisoformat(post["scheduled_at"]))
            formats = [f for f in PLATFORM_FORMATS_BY_NAME[platform] if f != "Poll"]
            times = candidate_labels(platform)
            options = [audience.rate(platform, p, f, t) for p in pillars for f in formats for t in times]
            rate = audience.rate(platform, post["pillar"], post["format"], slot)
            got, uniform = got + rate, uniform + sum(options) / len(options)
            per_platform[platform] += 1
            shown = draws.integers(*IMPRESSIONS)
            engaged = int(draws.binomial(shown, rate))
            lines.append(f"{post['scheduled_at'][:10]},{platform},{post['id']},{shown},{engaged}")
        for platform, k in per_platform.items():  # the oracle: best pillar and format, the k best times
            formats = [f for f in PLATFORM_FORMATS_BY_NAME[platform] if f != "Poll"]
            by_time = sorted(
                (
                    max(audience.rate(platform, p, f, t) for p in pillars for f in formats)
                    for t in candidate_labels(platform)
                ),
                reverse=True,
            )
            best += sum(by_time[:k])
        if args.verbose:
            for post in out:
                platform, slot = post["platform"], slot_of(datetime.fromisoformat(post["scheduled_at"]))
                formats = [f for f in PLATFORM_FORMATS_BY_NAME[platform] if f != "Poll"]
                top = max(
                    ((p, f, t) for p in pillars for f in formats for t in candidate_labels(platform)),
                    key=lambda c: audience.rate(platform, *c),
                )
                print(
                    "   ",
                    platform,
                    slot,
                    post["pillar"][:25],
                    post["format"],
                    "| best:",
                    top[2],
                    top[0][:25],
                    top[1],
                )
        share = got / best if best else float("nan")
        shares.append(share)
        print(f"{week:>4} {len(out):>5} {share:>16.3f} {uniform / best if best else 0:>14.3f}")
        if out:
            with app.uow() as uow:
                performance.import_metrics(
                    uow,
                    OPERATOR,
                    MetricImport(
                        engagement_id=onboarded.engagement_id, csv="\n".join(lines), filename=f"w{week}.csv"
                    ),
                )
    app.close()
    by_week = defaultdict(float, enumerate(shares, start=1))
    print(f"week6_share_of_oracle={by_week[6]:.3f}")


PLATFORM_FORMATS_BY_NAME = {p.value: formats for p, formats in PLATFORM_FORMATS.items()}


def candidate_labels(platform: str) -> list[str]:
    """The posting times a calendar may choose for the platform, as the loop names them ("Mon 18:00")."""
    return [slot_label(weekday, at) for weekday, at in candidate_times(Platform(platform))]


if __name__ == "__main__":
    main()
