"""Scale-out: a batch of plans with one and with two `aicmo worker` processes on PostgreSQL.

For each worker count: a fresh PostgreSQL database (`aicmo_scale_<pid>_<n>`, dropped after), the
project's OpenAI-compatible test server at `--latency-ms` per call (default 300), `--plans` plans
(default 12: the sample briefs in turn, autonomy full, export jobs off: the work waits on the
provider) queued at once from this process (an API in front of workers: a DBOS client enqueue and
a NOTIFY), and N `aicmo worker` processes at default settings running them. The time is from the
dispatch to the last job's end.

    .venv/bin/python bench/workers_scaling.py [--plans 12] [--latency-ms 300]

Before it, the same batch on a perfect engine (`ideal_schedule.py`: every job exactly its call, no
CPU, the best order): the speed-up the batch's shape allows at all, and how far each run is from it.

The last line is exactly `workers_2/1=<speed-up>`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from ideal_schedule import ideal, sample_plans  # noqa: E402
from plan_makespan import start_server  # noqa: E402

from aicmo.adapters.db.migrate import upgrade  # noqa: E402
from aicmo.bootstrap import App, build_app  # noqa: E402
from aicmo.config import Settings  # noqa: E402
from aicmo.domain.roles import Principal, Role  # noqa: E402
from aicmo.domain.schemas.resources import AutonomyLevel, EngagementUpdate  # noqa: E402
from aicmo.services import engagements, plans  # noqa: E402
from aicmo.services.onboarding import onboard_brief  # noqa: E402
from aicmo.services.plan_watch import is_settled  # noqa: E402

OPERATOR = Principal(name="bench", role=Role.OPERATOR)
BRIEFS = sorted((REPO / "tests/fixtures/intakes").glob("*.json"))


def start_worker(env: dict[str, str], worker_id: str, log: Path) -> subprocess.Popen[bytes]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "aicmo.entrypoints.cli.main", "worker", "--id", worker_id],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while f"worker {worker_id} running jobs" not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"worker {worker_id} did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.2)
    return worker


Batch = tuple[float, int, dict[str, int], str]


def bench_settings(database_url: str, data_dir: Path, llm_base_url: str) -> Settings:
    """External workers, the `openai` provider pointed at the LLM test server."""
    return Settings(
        _env_file=None,
        data_dir=data_dir,
        database_url=database_url,
        runner_mode="external",
        llm_provider="openai",
        llm_base_url=llm_base_url,
        llm_model="aicmo-bench",
        llm_api_key="sk-bench",
    )


def onboard_plans(app: App, n_plans: int) -> list[str]:
    """`n_plans` clients of the sample briefs in turn, each with its plan ready to run: export
    jobs off (the work waits on the provider), autonomy full (each module approved when done)."""
    plan_ids = []
    for i in range(n_plans):
        brief = json.loads(BRIEFS[i % len(BRIEFS)].read_text())
        brief["client_name"] = f"{brief['client_name']} {i + 1}"
        engagement = onboard_brief(app.uow, app.provider, OPERATOR, brief, autonomy=AutonomyLevel.MANUAL)
        with app.uow() as uow:
            plan = plans.get_plan_for_engagement(uow, OPERATOR, engagement.engagement_id)
        with app.uow() as uow:
            for job in plan.jobs:
                if job.kind == "export":
                    plans.toggle_job(uow, OPERATOR, plan.id, job.id, False)
        with app.uow() as uow:
            engagements.update_engagement(
                uow, OPERATOR, engagement.engagement_id, EngagementUpdate(autonomy_level=AutonomyLevel.FULL)
            )
        plan_ids.append(plan.id)
    return plan_ids


def run_batch(workers: int, n_plans: int, latency_ms: int, admin_url: str) -> Batch:
    """Seconds from dispatch to the last job's end, jobs run, and jobs per worker."""
    name = f"aicmo_scale_{os.getpid()}_{workers}"
    admin = psycopg.connect(admin_url, autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://{admin_url.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
    tmp = Path(tempfile.mkdtemp(prefix="aicmo-scale-"))
    server, base_url = start_server(latency_ms)
    procs: list[subprocess.Popen[bytes]] = []
    app = None
    try:
        upgrade(url)
        app = build_app(bench_settings(url, tmp, base_url))
        plan_ids = onboard_plans(app, n_plans)
        env = {
            **os.environ,
            "AICMO_DATABASE_URL": url,
            "AICMO_DATA_DIR": str(tmp),
            "AICMO_LLM_PROVIDER": "openai",
            "AICMO_LLM_BASE_URL": base_url,
            "AICMO_LLM_MODEL": "aicmo-bench",
            "AICMO_LLM_API_KEY": "sk-bench",
            "AICMO_RUNNER_MODE": "external",
            "AICMO_LOG_LEVEL": "WARNING",
        }
        for w in range(1, workers + 1):
            procs.append(start_worker(env, f"w{w}", tmp / f"worker-{w}.log"))
        time.sleep(1.0)
        dispatch = []
        for plan_id in plan_ids:
            with app.uow() as uow:
                dispatch += plans.run_ready(uow, OPERATOR, plan_id)[1]
        cpu_before = sum(cpu_seconds(proc.pid) for proc in procs)
        busy_before, steal_before = machine_busy_seconds(), stolen_seconds()
        db_before, txns_before = postgres_cpu_seconds(), transactions(admin, name)
        server_before, own_before = cpu_seconds(server.pid), time.process_time()
        started = time.time()
        app.dispatch(dispatch)
        deadline = time.monotonic() + 900
        with psycopg.connect(admin_url.rsplit("/", 1)[0] + f"/{name}", autocommit=True) as db:
            while moving(db, plan_ids) and time.monotonic() < deadline:
                time.sleep(0.5)
        worker_cpu = sum(cpu_seconds(proc.pid) for proc in procs) - cpu_before
        busy, steal = machine_busy_seconds() - busy_before, stolen_seconds() - steal_before
        db_cpu, txns = postgres_cpu_seconds() - db_before, transactions(admin, name) - txns_before
        server_cpu, own_cpu = cpu_seconds(server.pid) - server_before, time.process_time() - own_before
        waited = time.time() - started
        with app.uow() as uow:
            finals = [plans.get_plan(uow, OPERATOR, p) for p in plan_ids]
        if not all(is_settled(p) for p in finals):
            print(f"  {workers} worker(s): the plans did not settle in time")
        jobs = [j for p in finals for j in p.jobs if j.enabled]
        unfinished = [j.key for j in jobs if j.status.value != "completed"]
        if unfinished:
            print(f"  {workers} worker(s): {len(unfinished)} job(s) not completed, e.g. {unfinished[:3]}")
        end = max(j.finished_at for j in jobs if j.finished_at).timestamp()
        per_worker: dict[str, int] = {}
        for j in jobs:
            per_worker[j.worker_id or "-"] = per_worker.get(j.worker_id or "-", 0) + 1
        detail = where_the_time_went(admin_url, name, jobs, end - started)
        detail += (
            f"\n  the workers' CPU: {worker_cpu:.1f} s, {worker_cpu / len(jobs) * 1000:.0f} ms a job;"
            f" PostgreSQL's: {db_cpu:.1f} s, {db_cpu / len(jobs) * 1000:.0f} ms a job"
            f" ({txns / len(jobs):.1f} transactions a job); the LLM test server's: {server_cpu:.1f} s;"
            f" this process's (dispatch, watch): {own_cpu:.1f} s;"
            f" the machine's: {busy / waited:.2f} of its {os.cpu_count()} cores busy on average,"
            f" {steal / waited:.2f} of them taken by the host (steal time: this VM's CPUs running"
            " someone else)"
        )
        return end - started, len(jobs), per_worker, detail
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if app is not None:
            app.close()
        server.terminate()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)


def cpu_seconds(pid: int) -> float:
    """The process's user and system CPU time so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU time of every PostgreSQL process on the machine so far (its backends come and go: a
    backend that exits between two readings is missed, so this is a floor)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def transactions(admin: psycopg.Connection, name: str) -> int:
    """Transactions committed or rolled back in database `name` so far (PostgreSQL's statistics)."""
    row = admin.execute(
        "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", (name,)
    ).fetchone()
    return int(row[0]) if row else 0


def stolen_seconds() -> float:
    """CPU time the hypervisor gave to other guests while this one wanted it (/proc/stat `steal`):
    on a shared host it slows every process here, so a run with much of it is not comparable."""
    return int(Path("/proc/stat").read_text().split()[8]) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time every process on the machine has used so far (all cores), from /proc/stat: with
    the workers, PostgreSQL and the LLM test server share the cores, and the cores one worker
    leaves idle bound what a second can add."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def moving(db: psycopg.Connection, plan_ids: list[str]) -> int:
    """How many of the plans' jobs still move by themselves (`plan_watch.is_settled` in one
    query): polling through the service (12 plans read and validated every half second) took a
    tenth of a core on this machine, CPU the workers being measured then lacked."""
    row = db.execute(
        "SELECT count(*) FROM plan_jobs AS j JOIN plans AS p ON p.id = j.plan_id"
        " WHERE j.plan_id = ANY(%s) AND j.enabled AND (j.status = 'running' OR (j.status = 'ready'"
        " AND (j.queued_at IS NOT NULL OR (p.auto_continue AND p.state = 'active'))))",
        (plan_ids,),
    ).fetchone()
    return int(row[0]) if row else 0


def where_the_time_went(admin_url: str, name: str, jobs: list, seconds: float) -> str:
    """Mean run time of a job against its provider call, and how many ran at once on average:
    a worker that holds a slot long after the call returned is bound by its own bookkeeping."""
    runs = [(j.finished_at - j.started_at).total_seconds() for j in jobs if j.finished_at and j.started_at]
    with psycopg.connect(admin_url.rsplit("/", 1)[0] + f"/{name}") as db:
        calls = db.execute(
            "SELECT extract(epoch FROM finished_at - started_at) FROM provider_calls WHERE outcome = 'ok'"
        ).fetchall()
    call_s = sum(float(c[0]) for c in calls) / max(len(calls), 1)
    return (
        f"a job runs {sum(runs) / max(len(runs), 1):.2f} s on average (its call {call_s:.2f} s, "
        f"{len(calls)} calls); {sum(runs) / seconds:.1f} jobs running on average"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=12)
    parser.add_argument("--latency-ms", type=int, default=300)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    times = {}
    for workers in (1, 2):
        load = os.getloadavg()[0]
        seconds, jobs, per_worker, detail = run_batch(workers, args.plans, args.latency_ms, args.admin_url)
        times[workers] = seconds
        print(
            f"{workers} worker(s): {args.plans} plans, {jobs} jobs in {seconds:.2f} s"
            f" ({jobs / seconds:.1f} jobs/s; per worker {per_worker}; load average {load:.2f})"
        )
        print(f"  {detail}")
    # What the batch's shape allows at all: with 12 plans two workers' slots are bounded by the
    # plans' chains of calls, not by the slots (`ideal_schedule.py`).
    call_s = args.latency_ms / 1000
    best = ideal(sample_plans(args.plans), call_s)
    print(best.describe(call_s))
    print(
        f"  measured against it: one worker {times[1] / best.one:.1f}x its time,"
        f" two workers {times[2] / best.two:.1f}x"
    )
    print(f"workers_2/1={times[1] / times[2]:.2f}")


if __name__ == "__main__":
    main()
