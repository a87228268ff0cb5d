"""Load on the real API over loopback, next to a bare FastAPI route served the same way.

Both servers run as uvicorn processes (one worker each, access log off) on 127.0.0.1; the real API
works on a fresh SQLite workspace in a temp dir with the offline generator. N concurrent clients
(httpx, one asyncio loop in this process) then run, one scenario after another:

    bare      GET /items on a FastAPI app with one route returning a small JSON list
    health    GET /healthz on the real API (its middleware: trace id, metrics, guard; no database)
    list      GET /api/v1/artifacts?client_id=…&limit=20   (a page of 17+ artifacts)
    get       GET /api/v1/artifacts/{id}
    amend     POST /api/v1/artifacts/{id}/amend        (each client amends its own artifact)
    generate  POST /api/v1/intake/generate              (offline generator, each call a fresh engagement)

For each: requests, errors (any answer that is not 2xx), throughput and p50/p95/p99 latency. The
last line is exactly `list/bare=<ratio>`: list throughput over bare throughput (goal >= 0.40).

Usage:
    .venv/bin/python bench/api_load.py                       # 16 clients, 80 requests each
    .venv/bin/python bench/api_load.py --clients 32 --requests 100
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
BRIEF = json.loads((REPO / "tests" / "fixtures" / "intakes" / "law_firm_services.json").read_text())
TOKEN = "bench-admin-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GOAL = 0.40


def make_bare_app():
    """The baseline: FastAPI with one route and nothing else (uvicorn --factory)."""
    from fastapi import FastAPI

    app = FastAPI()
    items = [{"id": f"item_{i}", "title": f"Item {i}", "version": 1} for i in range(20)]

    @app.get("/items")
    def list_items() -> dict:
        return {"data": items, "count": len(items)}

    return app


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    seconds: float

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        cuts = statistics.quantiles(self.latencies, n=100) if len(self.latencies) > 1 else [0.0] * 99
        p50, p95, p99 = (cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000)
        return (
            f"{self.name:<9} {self.requests:>6} req  {self.errors:>3} errors  {self.rps:>8.1f} req/s  "
            f"p50 {p50:>7.1f} ms  p95 {p95:>7.1f} ms  p99 {p99:>7.1f} ms"
        )


def merge(name: str, parts: list[Result]) -> Result:
    return Result(
        name,
        [t for p in parts for t in p.latencies],
        sum(p.errors for p in parts),
        sum(p.seconds for p in parts),
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(target: list[str], port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "uvicorn", *target, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--no-access-log", "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=cwd)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"{target} did not start on port {port}")


async def run(
    name: str,
    clients: int,
    requests: int,
    call: Callable[[httpx.AsyncClient, int, int], Awaitable[int]],
    base: str,
) -> Result:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=AUTH, timeout=60, limits=limits) as http:

        async def worker(index: int) -> None:
            nonlocal errors
            for n in range(requests):
                started = time.perf_counter()
                try:
                    status = await call(http, index, n)
                except httpx.HTTPError:
                    status = 0
                latencies.append(time.perf_counter() - started)
                errors += not 200 <= status < 300

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        seconds = time.perf_counter() - started
    return Result(name, latencies, errors, seconds)


def setup(base: str, clients: int, generate_calls: int) -> tuple[str, list[dict], list[str]]:
    """A client with an intake and one draft artifact per load client (each in its own engagement),
    and fresh engagements to generate in."""
    with httpx.Client(base_url=base, headers=AUTH, timeout=120) as http:

        def engagement(name: str) -> str:
            return http.post("/api/v1/engagements", json={"client_id": client_id, "name": name}).json()["id"]

        client_id = http.post("/api/v1/clients", json={"name": "Load Test Legal LLP"}).json()["id"]
        made = http.post(
            "/api/v1/intake/generate", json={"engagement_id": engagement("Load"), "intake": BRIEF}
        )
        assert made.status_code == 200, made.text
        artifacts = []
        for i in range(clients):
            body = {
                "engagement_id": engagement(f"Load {i}"),
                "type": "strategy",
                "content": {"summary": f"Draft {i} for the load test"},
                "content_markdown": f"# Draft {i}\n\nA plan paragraph for the load test.\n",
            }
            answer = http.post("/api/v1/artifacts", json=body)
            assert answer.status_code == 201, answer.text
            artifacts.append(answer.json())
        fresh = [engagement(f"Gen {i}") for i in range(clients * generate_calls)]
    return client_id, artifacts, fresh


async def scenarios(args: argparse.Namespace, api: str, bare: str) -> list[Result]:
    client_id, artifacts, fresh = await asyncio.to_thread(setup, api, args.clients, args.generate)
    versions = [a["version"] for a in artifacts]

    async def bare_list(http: httpx.AsyncClient, _: int, __: int) -> int:
        return (await http.get(f"{bare}/items")).status_code

    async def api_list(http: httpx.AsyncClient, _: int, __: int) -> int:
        return (await http.get("/api/v1/artifacts", params={"client_id": client_id, "limit": 20})).status_code

    async def api_get(http: httpx.AsyncClient, index: int, _: int) -> int:
        return (await http.get(f"/api/v1/artifacts/{artifacts[index]['id']}")).status_code

    async def api_amend(http: httpx.AsyncClient, index: int, n: int) -> int:
        body = {"expected_version": versions[index], "notes": f"Amend {n} by client {index}."}
        answer = await http.post(f"/api/v1/artifacts/{artifacts[index]['id']}/amend", json=body)
        if answer.status_code == 200:
            versions[index] = answer.json()["version"]
        return answer.status_code

    async def api_generate(http: httpx.AsyncClient, index: int, n: int) -> int:
        target = fresh[index * args.generate + n]
        return (
            await http.post("/api/v1/intake/generate", json={"engagement_id": target, "intake": BRIEF})
        ).status_code

    async def api_health(http: httpx.AsyncClient, _: int, __: int) -> int:
        return (await http.get("/healthz")).status_code

    # bare, health and list alternate in short rounds, so a burst of load from elsewhere on the
    # machine hits all three alike and the ratio stays meaningful
    rounds: dict[str, list[Result]] = {"bare": [], "health": [], "list": []}
    per_round = max(1, args.requests // args.rounds)
    for _ in range(args.rounds):
        for name, call in (("bare", bare_list), ("health", api_health), ("list", api_list)):
            rounds[name].append(await run(name, args.clients, per_round, call, api))
    results = [merge(name, parts) for name, parts in rounds.items()]
    results.append(await run("get", args.clients, args.requests, api_get, api))
    results.append(await run("amend", args.clients, max(1, args.requests // 4), api_amend, api))
    results.append(await run("generate", args.clients, args.generate, api_generate, api))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=80, help="requests per client (amend: a quarter)")
    parser.add_argument("--generate", type=int, default=2, help="generate calls per client")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds of bare, health and list")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="aicmo-load-") as folder:
        data = Path(folder)
        env = {
            **os.environ,
            "AICMO_DATA_DIR": str(data),
            "AICMO_DATABASE_URL": f"sqlite:///{data / 'aicmo.db'}",
            "AICMO_ADMIN_TOKEN": TOKEN,
            "AICMO_RUNNER_MODE": "external",
            "AICMO_LLM_PROVIDER": "offline",
            "AICMO_LOG_LEVEL": "WARNING",
        }
        upgrade = [sys.executable, "-m", "aicmo.entrypoints.cli.main", "db", "upgrade"]
        subprocess.run(upgrade, env=env, check=True, capture_output=True)
        api_port, bare_port = free_port(), free_port()
        processes = [
            serve(["aicmo.entrypoints.api.asgi:app"], api_port, env, REPO),
            serve(
                ["--factory", "api_load:make_bare_app", "--app-dir", str(REPO / "bench")],
                bare_port,
                env,
                REPO,
            ),
        ]
        try:
            results = asyncio.run(
                scenarios(args, f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{bare_port}")
            )
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)
    print(f"{args.clients} concurrent clients on loopback, one uvicorn worker per server, SQLite, offline")
    for result in results:
        print(result.line())
    by_name = {r.name: r for r in results}
    errors = sum(r.errors for r in results)
    ratio = by_name["list"].rps / by_name["bare"].rps
    verdict = "met" if ratio >= GOAL and not errors else "NOT met"
    print(f"errors: {errors}; goal list/bare >= {GOAL:.2f} with 0 errors: {verdict}")
    print(f"list/bare={ratio:.2f}")


if __name__ == "__main__":
    main()
