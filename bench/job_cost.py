"""What one plan job costs the worker that runs it, measured so that a noisy machine cannot hide it.

`workers_scaling.py` times whole batches, and on a shared host its seconds move by half from run
to run (steal time). This runs the same kind of plans' jobs one at a time in this process, on a
fresh PostgreSQL database against the project's LLM test server (no latency), each through
`job_runner.execute_job` as a worker runs it (claim, inputs, the provider call and its ledger
lines, the part, the module's assembly and approval, the plan's refresh), without the engine
around it, and prints per job:

- the SQL statements it sent (every engine: the application's and DBOS's are separate, DBOS is
  not involved here) and the transactions it committed;
- its CPU time (noisy: it moves with the machine's load);
- with `--profile`, the Python function calls it made (cProfile): the same on every run, so a
  change to the job path shows here even when the seconds cannot.

    .venv/bin/python bench/job_cost.py [--plans 4] [--profile] [--top 15]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from plan_makespan import start_server  # noqa: E402
from workers_scaling import OPERATOR, bench_settings, onboard_plans  # noqa: E402

from aicmo.adapters.db.migrate import upgrade  # noqa: E402
from aicmo.bootstrap import build_app  # noqa: E402
from aicmo.services import job_runner, plans  # noqa: E402
from aicmo.services.plan_parts import every_part_model  # noqa: E402


class Statements:
    """Every statement any engine in this process sends, and every commit, counted."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self.commits = 0
        sa.event.listen(sa.Engine, "before_cursor_execute", self._sent)
        sa.event.listen(sa.Engine, "commit", self._committed)

    def _sent(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        self.sent[re.sub(r"\s+", " ", statement)[:100]] += 1

    def _committed(self, _conn: object) -> None:
        self.commits += 1

    def reset(self) -> None:
        self.sent.clear()
        self.commits = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=4)
    parser.add_argument("--profile", action="store_true", help="count Python function calls (slower)")
    parser.add_argument("--top", type=int, default=0, help="list the N most sent statements")
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    name = f"aicmo_job_cost_{os.getpid()}"
    admin = psycopg.connect(args.admin_url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://{args.admin_url.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
    tmp = Path(tempfile.mkdtemp(prefix="aicmo-job-cost-"))
    server, base_url = start_server(0)
    app = None
    try:
        upgrade(url)
        app = build_app(bench_settings(url, tmp, base_url))
        queue = []
        for plan_id in onboard_plans(app, args.plans):
            with app.uow() as uow:
                queue += plans.run_ready(uow, OPERATOR, plan_id)[1]
        app.provider.warm_up(every_part_model())
        counted = Statements()
        profile = cProfile.Profile() if args.profile else None
        done = 0
        cpu = time.process_time()
        if profile:
            profile.enable()
        while queue:
            job_id, _run_no = queue.pop(0)
            outcome = job_runner.execute_job(app.uow, app.provider, job_id, "bench")
            queue += [tuple(item) for item in outcome.dispatch]
            done += 1
        if profile:
            profile.disable()
        cpu = time.process_time() - cpu
        sent = sum(counted.sent.values())
        print(
            f"{args.plans} plans, {done} jobs, one at a time: {sent / done:.1f} statements and"
            f" {counted.commits / done:.1f} commits a job; {cpu / done * 1000:.0f} ms CPU a job"
            + (" (under the profiler)" if profile else "")
        )
        if profile:
            calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
            print(f"  {calls / done:,.0f} Python function calls a job")
        for statement, n in counted.sent.most_common(args.top):
            print(f"  {n / done:5.2f}  {statement}")
    finally:
        if app is not None:
            app.close()
        server.terminate()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
