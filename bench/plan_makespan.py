"""Makespan of a full generation plan against the project's OpenAI-compatible test server.

Starts `python -m aicmo.testing.llm_server` with a fixed latency per call (default 300 ms), runs a
whole plan with the `openai` provider and autonomy `full` on the embedded engine (DBOS on SQLite),
and prints the makespan, the critical-path lower bound (the longest chain of dependent LLM calls x
latency), their ratio, and the serial time (the sum of all call latencies); `--serial` also runs
the plan one job at a time and reports how long that took.

Export jobs (PDF/PPTX/ZIP) make no LLM call; by default they are switched off so the figure is
about orchestration; `--with-exports` keeps them and reports their share separately.

    .venv/bin/python bench/plan_makespan.py [--latency-ms 300] [--brief PATH] [--concurrency N]
        [--with-exports] [--timeline] [--serial]

Without `--concurrency` the runner sizes itself (AICMO_RUNNER_CONCURRENCY unset): the plan's widest
fan-out within the provider rate limit (AICMO_LLM_RATE_LIMIT_RPM).

The last line is exactly `makespan/critical_path=<ratio>`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from aicmo.adapters.db.migrate import upgrade  # noqa: E402
from aicmo.bootstrap import build_app  # noqa: E402
from aicmo.config import Settings  # noqa: E402
from aicmo.domain.roles import Principal, Role  # noqa: E402
from aicmo.domain.schemas.plans import JobPublic  # noqa: E402
from aicmo.domain.schemas.resources import AutonomyLevel  # noqa: E402
from aicmo.services import plans  # noqa: E402
from aicmo.services.generators import get_generator  # noqa: E402
from aicmo.services.onboarding import onboard_brief  # noqa: E402
from aicmo.services.plan_watch import wait_for_plan  # noqa: E402

OPERATOR = Principal(name="bench", role=Role.OPERATOR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(latency_ms: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aicmo.testing.llm_server",
            "--port",
            str(port),
            "--latency-ms",
            str(latency_ms),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/v1/models", timeout=0.5).status_code == 200:
                return proc, f"{base}/v1"
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the LLM test server did not start")


def calls_llm(job: JobPublic) -> bool:
    return job.kind == "generate" and get_generator(job.module).uses_llm


def critical_path_calls(jobs: list[JobPublic]) -> int:
    """The longest chain of dependent LLM calls in the plan's DAG (jobs without a call weigh 0)."""
    by_key = {j.key: j for j in jobs if j.enabled}

    @cache
    def longest(key: str) -> int:
        job = by_key[key]
        below = [longest(dep) for dep in job.depends_on if dep in by_key]
        return int(calls_llm(job)) + max(below, default=0)

    return max(longest(k) for k in by_key)


def print_timeline(jobs: list[JobPublic], calls: list[dict]) -> None:
    """Each job's run (claim to completion) and, from the test server's log, its calls (arrival
    to answer), in seconds from the first job's start."""
    t0 = min(j.started_at for j in jobs if j.started_at)
    by_job: dict[str, list[str]] = {}
    for call in calls:
        if call["job"] and call["answered_at"]:
            a, b = call["arrived_at"] - t0.timestamp(), call["answered_at"] - t0.timestamp()
            by_job.setdefault(call["job"], []).append(f"{a:5.2f}-{b:5.2f}")
    print("  job                            run            call(s) at the server")
    for j in sorted(jobs, key=lambda j: j.started_at or t0):
        if j.started_at and j.finished_at:
            a, b = (j.started_at - t0).total_seconds(), (j.finished_at - t0).total_seconds()
            print(f"  {j.key:<30} {a:5.2f}-{b:5.2f}  {' '.join(by_job.get(j.key, ['-']))}")


@dataclass
class Run:
    jobs: list[JobPublic]
    wall_s: float
    stats: dict[str, Any]
    calls: list[dict[str, Any]]
    slots: int  # the runner's concurrency at the end of the run

    @property
    def makespan_s(self) -> float:
        starts = [j.started_at for j in self.jobs if j.started_at]
        ends = [j.finished_at for j in self.jobs if j.finished_at]
        return (max(ends) - min(starts)).total_seconds()


def run_plan(brief: dict[str, Any], latency_ms: int, concurrency: int | None, with_exports: bool) -> Run:
    """One full plan, autonomy `full`, on a fresh database and a fresh test server."""
    server, base_url = start_server(latency_ms)
    tmp = Path(tempfile.mkdtemp(prefix="aicmo-bench-"))
    settings = Settings(
        _env_file=None,
        data_dir=tmp,
        database_url=f"sqlite:///{tmp / 'app.db'}",
        llm_provider="openai",
        llm_base_url=base_url,
        llm_model="aicmo-bench",
        llm_api_key="sk-bench",
        runner_concurrency=concurrency,
        runner_mode="embedded",
    )
    upgrade(settings.resolved_database_url)
    app = build_app(settings)
    try:
        app.start_engine()
        engagement = onboard_brief(app.uow, app.provider, OPERATOR, brief, autonomy=AutonomyLevel.FULL)
        with app.uow() as uow:
            plan = plans.get_plan_for_engagement(uow, OPERATOR, engagement.engagement_id)
        if not with_exports:
            for job in plan.jobs:
                if job.kind == "export":
                    with app.uow() as uow:
                        plans.toggle_job(uow, OPERATOR, plan.id, job.id, False)
        started = time.perf_counter()
        with app.uow() as uow:
            plan, dispatch = plans.run_ready(uow, OPERATOR, plan.id)
        app.dispatch(dispatch)
        # Polled slowly: the makespan comes from the jobs' own timestamps, and each poll takes the
        # interpreter lock from the runner it measures.
        final = wait_for_plan(app.uow, OPERATOR, plan.id, timeout_s=300, poll_s=0.5)
        wall = time.perf_counter() - started
        slots = app.runtime.job_slots.capacity
    finally:
        app.close()
        control = base_url.removesuffix("/v1") + "/_control"
        stats, calls = httpx.get(f"{control}/stats").json(), httpx.get(f"{control}/calls").json()
        server.terminate()
        shutil.rmtree(tmp, ignore_errors=True)
    return Run([j for j in final.jobs if j.enabled], wall, stats, calls, slots)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=300)
    parser.add_argument("--brief", type=Path, default=REPO / "tests/fixtures/intakes/coffee_ecommerce.json")
    # Default: the runner's own sizing (two adjacent levels of the plan: for the coffee brief the
    # execution module's 12 posts batches and reel scripts beside calendar, e-mail and hashtags).
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--with-exports", action="store_true")
    parser.add_argument("--timeline", action="store_true", help="print each job's start and end")
    parser.add_argument(
        "--serial", action="store_true", help="also run the plan one job at a time (concurrency 1)"
    )
    args = parser.parse_args()

    brief = json.loads(args.brief.read_text())
    run = run_plan(brief, args.latency_ms, args.concurrency, args.with_exports)
    jobs, stats = run.jobs, run.stats
    failed = [j.key for j in jobs if j.status != "completed"]
    makespan = run.makespan_s
    llm_jobs = [j for j in jobs if calls_llm(j)]
    latency = args.latency_ms / 1000
    bound = critical_path_calls(jobs) * latency
    serial = len(llm_jobs) * latency
    for job in jobs:
        if job.status == "failed":
            print(f"FAILED {job.key}: {job.error}")
        elif job.status != "completed":
            print(f"UNFINISHED {job.key} {job.status}: {job.blocked_reason}")
    print(f"brief:             {brief['client_name']} ({args.brief.name})")
    print(f"jobs:              {len(jobs)} ({len(llm_jobs)} with an LLM call), failed: {failed or 'none'}")
    print(
        f"llm calls:         {stats['calls']} at {args.latency_ms} ms each,"
        f" at most {stats['max_in_flight']} at once"
    )
    sized = args.concurrency or f"{run.slots} (automatic: the plan's jobs that can run at once)"
    print(f"runner:            embedded (DBOS on SQLite), concurrency {sized}")
    print(f"critical path:     {critical_path_calls(jobs)} dependent calls = {bound:.2f} s")
    print(f"serial time:       {serial:.2f} s (sum of call latencies)")
    print(f"makespan:          {makespan:.2f} s (first job start to last job end; wall {run.wall_s:.2f} s)")
    if args.with_exports:
        exports = [j for j in jobs if j.kind == "export" and j.started_at and j.finished_at]
        share = sum((j.finished_at - j.started_at).total_seconds() for j in exports)
        print(f"export jobs:       {len(exports)} taking {share:.2f} s of rendering in all")
    print(f"serial/makespan:   {serial / makespan:.2f}x")
    if args.serial:
        one = run_plan(brief, args.latency_ms, 1, args.with_exports)
        print(
            f"serial run:        {one.makespan_s:.2f} s measured at concurrency 1"
            f" ({one.makespan_s / makespan:.2f}x the makespan)"
        )
    if args.timeline:
        print_timeline(jobs, run.calls)
    print(f"makespan/critical_path={makespan / bound:.3f}")


if __name__ == "__main__":
    main()
