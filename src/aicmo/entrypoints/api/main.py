"""The FastAPI application: routers, the error shape, trace ids. `create_app()` builds it on demand."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aicmo import __version__
from aicmo.bootstrap import App, build_app
from aicmo.entrypoints.api import errors
from aicmo.entrypoints.api.guard import RequestGuardMiddleware
from aicmo.entrypoints.api.routes import (
    artifacts,
    audit,
    campaigns,
    clients,
    engagements,
    exports,
    generate,
    health,
    leads,
    learning,
    listening,
    outreach,
    performance,
    plans,
    projects,
    proposals,
    review,
    system,
    tokens,
)
from aicmo.entrypoints.api.routes import metrics as metrics_route
from aicmo.observability.metrics import Metrics, RequestMetricsMiddleware
from aicmo.services.context import set_trace_id

UPLOAD_PATHS = (
    "/api/v1/leads/import",
    "/api/v1/metrics/import",
    "/api/v1/listening/import",
)  # a file in the body: the larger cap
ENGINE_START_WAIT_S = 30.0  # then the API serves while the job engine keeps trying in the background
ENGINE_RETRY_S = 5.0
_TRACE_OK = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class TraceIdMiddleware:
    """Give every request a trace id (or keep a well-formed incoming one) and echo it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers", [])).get(b"x-trace-id", b"").decode("latin-1")
        trace_id = set_trace_id(incoming if _TRACE_OK.match(incoming) else None)

        async def send_with_trace(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-trace-id", trace_id.encode()))
            await send(message)

        await self.app(scope, receive, send_with_trace)


log = logging.getLogger("aicmo.api")


def start_engine_until_up(aicmo: App, stopping: threading.Event) -> None:
    """Start the embedded job engine, retrying while the database is unavailable."""
    while not stopping.is_set():
        try:
            aicmo.start_engine()
            return
        except Exception as exc:
            log.error(
                "database unavailable: the job engine did not start (%s); retrying in %.0f s",
                type(exc).__name__,
                ENGINE_RETRY_S,
            )
            stopping.wait(ENGINE_RETRY_S)


def _in_daemon_thread(target: Callable[..., None], *args: object) -> asyncio.Future[None]:
    """Run `target` in a daemon thread (one stuck on a dead host must not hold the process at exit);
    the future resolves when it returns or raises."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def run() -> None:
        try:
            target(*args)
        finally:
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is waiting any more
                loop.call_soon_threadsafe(lambda: done.done() or done.set_result(None))

    threading.Thread(target=run, daemon=True, name="aicmo-engine-start").start()
    return done


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(app: App | None = None, *, run_jobs: bool | None = None) -> FastAPI:
    """The API over `app`. With `run_jobs` (default: AICMO_RUNNER_MODE=embedded) this process also
    runs plan jobs, so a laptop install needs no other service."""
    aicmo = app or build_app()
    embedded = aicmo.settings.runner_mode == "embedded" if run_jobs is None else run_jobs

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stopping = threading.Event()
        if embedded and aicmo.runtime is None:
            # DBOS's calls are synchronous and refuse to run inside an event loop: use a thread. An
            # unreachable database does not stop the API from serving: it answers 503 meanwhile.
            started = _in_daemon_thread(start_engine_until_up, aicmo, stopping)
            try:
                await asyncio.wait_for(asyncio.shield(started), ENGINE_START_WAIT_S)
            except TimeoutError:
                log.error("database unavailable: the API serves (503 meanwhile), the job engine keeps trying")
        try:
            yield
        finally:
            stopping.set()
            if embedded:
                await asyncio.to_thread(aicmo.close)

    api = FastAPI(
        lifespan=lifespan,
        title="AICMO API",
        version=__version__,
        description="AI marketing operations: briefs, versioned artifacts, approvals, generation, delivery.",
        generate_unique_id_function=_operation_id,
    )
    api.state.aicmo = aicmo
    errors.install(api)
    api.state.metrics = Metrics(aicmo)
    api.add_middleware(
        RequestGuardMiddleware,
        max_body_bytes=aicmo.settings.max_body_bytes,
        max_upload_bytes=aicmo.settings.max_upload_bytes,
        upload_paths=UPLOAD_PATHS,
    )
    api.add_middleware(RequestMetricsMiddleware, metrics=api.state.metrics)  # inside: logs see the trace id
    api.add_middleware(TraceIdMiddleware)
    api.include_router(health.router)
    api.include_router(metrics_route.router)
    api.include_router(_v1_router())
    api.include_router(review.router)  # the client's review page (HTML behind a share link)
    return api


@cache
def _v1_router() -> APIRouter:
    """The /api/v1 routes, built once per process: the app copies them as it includes the router,
    so every app (a test builds hundreds) no longer builds each route twice."""
    v1 = APIRouter(prefix="/api/v1", responses=errors.ERROR_RESPONSES)
    for module in (
        clients,
        engagements,
        artifacts,
        generate,
        plans,
        proposals,
        leads,
        outreach,
        campaigns,
        performance,
        listening,
        learning,
        projects,
        audit,
        tokens,
        system,
        exports,
    ):
        v1.include_router(module.router)
    return v1
