"""CPU an idle API with its embedded job worker burns on PostgreSQL, and how fast it still starts a job.

Creates a fresh PostgreSQL database (`aicmo_idle_<pid>`, dropped at the end), migrates it, onboards
one sample brief (autonomy manual: nothing runs by itself), starts the API (`uvicorn`, embedded
worker) on a free port, waits until it is up and has settled, then reads the process's CPU time
(user + system, children included) from /proc/<pid>/stat over `--seconds` (default 30). Then it
queues one job through the API (`POST /plans/{id}/run-next`) and checks that the worker started it
within 100 ms of being queued (the job row's `started_at - queued_at`, both stamped on this host).

    .venv/bin/python bench/idle_cpu.py [--seconds 30] [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]

The last line is exactly `idle_cpu_pct=<percent of one core>`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from aicmo.adapters.db.migrate import upgrade  # noqa: E402
from aicmo.bootstrap import build_app  # noqa: E402
from aicmo.config import Settings  # noqa: E402
from aicmo.domain.roles import Principal, Role  # noqa: E402
from aicmo.domain.schemas.resources import AutonomyLevel  # noqa: E402
from aicmo.services import plans  # noqa: E402
from aicmo.services.onboarding import onboard_brief  # noqa: E402

OPERATOR = Principal(name="bench", role=Role.OPERATOR)
TOKEN = "aicmo_bench_idle_" + "x" * 24
START_WITHIN_S = 0.100


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """utime + stime + cutime + cstime of `pid`, in seconds (/proc/<pid>/stat fields 14-17)."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()  # after the command name, which may hold spaces
    ticks = sum(int(f) for f in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the API exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the API did not become ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--settle", type=float, default=5.0, help="idle time before measuring")
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--brief", type=Path, default=REPO / "tests/fixtures/intakes/coffee_ecommerce.json")
    args = parser.parse_args()

    name = f"aicmo_idle_{os.getpid()}"
    admin = psycopg.connect(args.admin_url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    host_part = args.admin_url.split("://", 1)[1].rsplit("/", 1)[0]
    url = f"postgresql+psycopg://{host_part}/{name}"
    tmp = Path(tempfile.mkdtemp(prefix="aicmo-idle-"))
    proc: subprocess.Popen[bytes] | None = None
    try:
        upgrade(url)
        settings = Settings(_env_file=None, data_dir=tmp, database_url=url, runner_mode="external")
        app = build_app(settings)
        try:
            brief = json.loads(args.brief.read_text())
            onboarded = onboard_brief(app.uow, app.provider, OPERATOR, brief, autonomy=AutonomyLevel.MANUAL)
            with app.uow() as uow:
                plan_id = plans.get_plan_for_engagement(uow, OPERATOR, onboarded.engagement_id).id
        finally:
            app.close()

        port = free_port()
        env = {
            **os.environ,
            "AICMO_DATABASE_URL": url,
            "AICMO_DATA_DIR": str(tmp),
            "AICMO_ADMIN_TOKEN": TOKEN,
            "AICMO_RUNNER_MODE": "embedded",
            "AICMO_LLM_PROVIDER": "offline",
            "AICMO_LOG_LEVEL": "WARNING",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "aicmo.entrypoints.api.asgi:app", "--port", str(port)],
            env=env,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_up(base, proc)
        time.sleep(args.settle)

        load_before = os.getloadavg()
        cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(args.seconds)
        cpu1, t1 = cpu_seconds(proc.pid), time.monotonic()
        load_after = os.getloadavg()
        pct = (cpu1 - cpu0) / (t1 - t0) * 100

        headers = {"Authorization": f"Bearer {TOKEN}"}
        answer = httpx.post(f"{base}/api/v1/plans/{plan_id}/run-next", headers=headers, timeout=30)
        answer.raise_for_status()
        queued = [j for j in answer.json()["jobs"] if j.get("queued_at")]
        if not queued:
            raise SystemExit("run-next queued nothing")
        job_id = queued[0]["id"]
        started = None
        deadline = time.monotonic() + 30
        while started is None and time.monotonic() < deadline:
            job = httpx.get(f"{base}/api/v1/plans/{plan_id}", headers=headers, timeout=30).json()
            row = next(j for j in job["jobs"] if j["id"] == job_id)
            if row.get("started_at"):
                started = row
            else:
                time.sleep(0.05)
        if started is None:
            raise SystemExit(f"job {job_id} did not start within 30 s")
        from datetime import datetime

        delay = (
            datetime.fromisoformat(started["started_at"]) - datetime.fromisoformat(started["queued_at"])
        ).total_seconds()

        print(f"database:          PostgreSQL ({name}), API with embedded worker, pid {proc.pid}")
        print(f"load average:      {load_before[0]:.2f} before, {load_after[0]:.2f} after (2 cores shared)")
        print(f"cpu over {t1 - t0:.1f} s:   {cpu1 - cpu0:.3f} s (user+system, children included)")
        goal = f"goal <= {START_WITHIN_S * 1000:.0f} ms"
        print(f"queued -> started: {delay * 1000:.1f} ms ({started['key']}; {goal})")
        print(f"start check:       {'PASS' if delay <= START_WITHIN_S else 'FAIL'}")
        print(f"idle_cpu_pct={pct:.2f}")
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
