"""Prometheus metrics for `/metrics`: HTTP requests and latencies (by route template and status)
counted in-process, plus job states, generation runs, provider requests, tokens and cost read
from the database at scrape time, so every API replica reports the same workspace totals.

Each FastAPI app gets its own registry (no global state: tests build many apps).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
request_log = logging.getLogger("aicmo.http")


class Metrics:
    """The registry behind one app's `/metrics`."""

    def __init__(self, app: Any = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "aicmo_http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "aicmo_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status code.",
            ("method", "route", "status"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        if app is not None:
            self.registry.register(DatabaseCollector(app))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        labels = (method_label(method), route, str(status))
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})


def method_label(method: str) -> str:
    """The method as a label value; any name a client invents is one value, `OTHER`, so the label
    set (and /metrics) cannot grow without bound."""
    return method if method in HTTP_METHODS else "OTHER"


def route_template(scope: Scope) -> str:
    """`/api/v1/artifacts/{artifact_id}`, not the raw path: ids would explode the label set.

    The matched route may belong to an included router and know only its own part of the path
    (`/artifacts/{artifact_id}`); the router prefixes are whatever of the request path precedes
    the part its pattern matches.
    """
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not template:
        return "unmatched"
    pattern = getattr(route, "path_regex", None)
    path = scope.get("path", "")
    if pattern is None or pattern.match(path):
        return str(template)
    for cut in range(1, len(path)):
        if path[cut] == "/" and pattern.match(path[cut:]):
            return path[:cut] + str(template)
    return str(template)


class RequestMetricsMiddleware:
    """Count and time every HTTP request, and log one structured line for it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            self.metrics.observe(scope.get("method", "GET"), route, status, elapsed)
            request_log.info(
                "%s %s -> %s",
                scope.get("method", ""),
                route,
                status,
                extra={
                    "http_method": scope.get("method", ""),
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )


class DatabaseCollector(Collector):
    """Workspace gauges and counters read from the database on each scrape; a dead database is
    `aicmo_database_up 0`, never a failed scrape."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def describe(self) -> list[Metric]:
        return []  # collected fresh each scrape; nothing to pre-register

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("aicmo_database_up", "1 when the database answered this scrape.")
        try:
            families = list(_database_families(self.app.engine))
        except Exception as exc:
            logging.getLogger("aicmo.metrics").warning(
                "metrics: database unavailable: %s", type(exc).__name__
            )
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


def _database_families(engine: Any) -> Iterator[Metric]:
    from sqlalchemy import MetaData, Table, func, inspect, select

    from aicmo.adapters.db.tables import GenerationRunRow, ProviderCallRow

    tables = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        if "plan_jobs" in tables:  # the plan runner's table; reflected, so its exact shape may vary
            jobs = Table("plan_jobs", MetaData(), autoload_with=conn)
            column = next((jobs.c[name] for name in ("status", "state") if name in jobs.c), None)
            if column is not None:
                states = GaugeMetricFamily("aicmo_jobs", "Plan jobs by state.", labels=["state"])
                for state, count in conn.execute(select(column, func.count()).group_by(column)):
                    states.add_metric([str(state)], count)
                yield states
        runs = []
        if "generation_runs" in tables:
            run = GenerationRunRow
            runs = conn.execute(
                select(run.module, run.provider, run.model, run.status, func.count()).group_by(
                    run.module, run.provider, run.model, run.status
                )
            ).all()
        paid = []
        if "provider_calls" in tables:  # every provider call, as the cost ledger counts it
            call = ProviderCallRow
            paid = conn.execute(
                select(
                    call.provider,
                    call.model,
                    func.sum(call.requests),
                    func.sum(call.input_tokens),
                    func.sum(call.output_tokens),
                    func.sum(call.cost_usd),
                )
                .group_by(call.provider, call.model)
                .order_by(call.provider, call.model)
            ).all()
    if runs:
        family = CounterMetricFamily(
            "aicmo_generation_runs", "Generation runs.", labels=["module", "provider", "model", "status"]
        )
        for module, provider, model, status, count in runs:
            family.add_metric([module, provider, model or "", status], count)
        yield family
    if not paid:
        return
    calls = CounterMetricFamily(
        "aicmo_provider_requests", "Requests sent to the LLM provider.", labels=["provider", "model"]
    )
    tokens = CounterMetricFamily("aicmo_llm_tokens", "LLM tokens.", labels=["provider", "model", "direction"])
    cost = CounterMetricFamily("aicmo_llm_cost_usd", "LLM cost in US dollars.", labels=["provider", "model"])
    for provider, model, requests, tokens_in, tokens_out, usd in paid:
        calls.add_metric([provider, model or ""], requests or 0)
        tokens.add_metric([provider, model or "", "input"], tokens_in or 0)
        tokens.add_metric([provider, model or "", "output"], tokens_out or 0)
        cost.add_metric([provider, model or ""], round(usd or 0, 6))
    yield from (calls, tokens, cost)
