"""What a perfect engine could do with a batch of plans: the yardstick for `workers_scaling.py`.

A perfect engine spends nothing but the provider's time: every job that calls the provider takes
exactly one call's latency, every other job none, and no CPU, database or queue delays anything.
With `slots` jobs at once (a worker's concurrency, as `runner_sizing` sizes it) its best makespan
is bounded below by

    T >= (l + h + ceil(n / slots)) x call

for any l, h, where n counts the calling jobs with at least l calls chained before them and at least
h chained after them in their plan (they cannot start before l calls, each needs a slot for one
call, and h calls follow the last of them). Running the ready job with the longest chain ahead
first (`best_order_makespan`) meets that bound on the sample briefs, so the bound is what a perfect
engine achieves: the ratio of the two makespans is the most any engine can gain from doubling the
slots for that batch.

    .venv/bin/python bench/ideal_schedule.py [--plans 12 24 48] [--latency-ms 300]
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from aicmo.domain.artifacts import Module  # noqa: E402
from aicmo.domain.plan import plan_jobs  # noqa: E402
from aicmo.domain.schemas.intake import Intake  # noqa: E402
from aicmo.services.generators import get_generator  # noqa: E402
from aicmo.services.runner_sizing import concurrency_for, most_in_flight  # noqa: E402

BRIEFS = sorted((REPO / "tests/fixtures/intakes").glob("*.json"))


@dataclass(frozen=True)
class Job:
    key: str
    depends_on: tuple[str, ...]
    calls: bool  # makes a provider call (takes one latency) or not (takes no time)


Plan = Sequence[Job]


def sample_plans(n: int) -> list[list[Job]]:
    """`n` plans of the sample briefs in turn, export jobs off, as `workers_scaling.py` queues them."""
    plans = []
    for i in range(n):
        intake = Intake.model_validate(json.loads(BRIEFS[i % len(BRIEFS)].read_text()))
        specs = [s for s in plan_jobs(intake) if s.kind != "export"]
        plans.append(plan_of((s.key, s.depends_on, s.module) for s in specs))
    return plans


def plan_of(rows: Iterable[tuple[str, Iterable[str], Module | str]]) -> list[Job]:
    """Jobs from (key, dependencies, module); dependencies outside the list (switched off) dropped."""
    rows = list(rows)
    keys = {key for key, _deps, _module in rows}
    return [
        Job(key, tuple(d for d in deps if d in keys), get_generator(Module(module)).uses_llm)
        for key, deps, module in rows
    ]


def slots_for(plans: Iterable[Plan], rate_limit_rpm: int = 500) -> int:
    """A worker's slots for these plans, as the runner sizes them (`Runtime.size_for`)."""
    return max(concurrency_for(most_in_flight(p), rate_limit_rpm) for p in plans)


def _chains(plan: Plan) -> dict[str, tuple[int, int]]:
    """For each job: the most calls chained before it and after it in its plan."""
    by_key = {j.key: j for j in plan}
    children: dict[str, list[str]] = {k: [] for k in by_key}
    for job in plan:
        for dep in job.depends_on:
            children[dep].append(job.key)

    @cache
    def before(key: str) -> int:
        return max((before(d) + by_key[d].calls for d in by_key[key].depends_on), default=0)

    @cache
    def after(key: str) -> int:
        return max((after(c) + by_key[c].calls for c in children[key]), default=0)

    return {k: (before(k), after(k)) for k in by_key}


def lower_bound(plans: Sequence[Plan], slots: int, call_s: float) -> float:
    """No engine with `slots` jobs at once finishes the batch sooner (see the module docstring)."""
    chains = [chains for plan in plans for key, chains in _chains(plan).items() if _calls(plan, key)]
    if not chains:
        return 0.0
    longest = max(b + a for b, a in chains)
    best = 0
    for low in range(longest + 1):
        for high in range(longest + 1 - low):
            n = sum(1 for b, a in chains if b >= low and a >= high)
            if n:
                best = max(best, low + high + math.ceil(n / slots))
    return best * call_s


def _calls(plan: Plan, key: str) -> bool:
    return next(j.calls for j in plan if j.key == key)


def best_order_makespan(plans: Sequence[Plan], slots: int, call_s: float) -> float:
    """The batch run with `slots` at once, the ready job with the longest chain of calls after it
    first, each job taking exactly its call."""
    deps, children, rank, cost = {}, {}, {}, {}
    for p, plan in enumerate(plans):
        chains = _chains(plan)
        for job in plan:
            node = (p, job.key)
            deps[node] = {(p, d) for d in job.depends_on}
            children.setdefault(node, [])
            for d in job.depends_on:
                children.setdefault((p, d), []).append(node)
            rank[node] = chains[job.key][1] + job.calls
            cost[node] = call_s if job.calls else 0.0
    waiting = {node: len(d) for node, d in deps.items()}
    ready = [(-rank[n], n) for n, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    running: list[tuple[float, tuple[int, str]]] = []
    now = 0.0
    while ready or running:
        while ready and len(running) < slots:
            _, node = heapq.heappop(ready)
            heapq.heappush(running, (now + cost[node], node))
        now, node = heapq.heappop(running)
        for child in children[node]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, (-rank[child], child))
    return now


@dataclass(frozen=True)
class Ideal:
    slots: int
    one: float  # seconds with one worker's slots
    two: float  # with two workers' (twice the slots)
    bound_one: float
    bound_two: float

    @property
    def speed_up(self) -> float:
        return self.one / self.two if self.two else 1.0

    def describe(self, call_s: float) -> str:
        tight = math.isclose(self.one, self.bound_one) and math.isclose(self.two, self.bound_two)
        exact = "meets" if tight else "is above"
        return (
            f"a perfect engine (each job exactly its {call_s * 1000:.0f} ms call, no CPU, no bookkeeping,"
            f" the best order; {exact} the lower bound) with {self.slots} slots per worker:"
            f" {self.one:.2f} s with one worker, {self.two:.2f} s with two: at most {self.speed_up:.2f}x"
        )


def ideal(plans: Sequence[Plan], call_s: float, slots: int | None = None) -> Ideal:
    slots = slots or slots_for(plans)
    return Ideal(
        slots,
        best_order_makespan(plans, slots, call_s),
        best_order_makespan(plans, 2 * slots, call_s),
        lower_bound(plans, slots, call_s),
        lower_bound(plans, 2 * slots, call_s),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, nargs="+", default=[12, 24, 48])
    parser.add_argument("--latency-ms", type=int, default=300)
    args = parser.parse_args()
    call_s = args.latency_ms / 1000
    for n in args.plans:
        print(f"{n} plans: {ideal(sample_plans(n), call_s).describe(call_s)}")


if __name__ == "__main__":
    main()
