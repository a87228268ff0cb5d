"""The FastAPI application: routers, the error shape, trace ids. `create_app()` builds it on demand."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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
    clients,
    engagements,
    exports,
    generate,
    health,
    leads,
    performance,
    plans,
    review,
    system,
    tokens,
)
from aicmo.entrypoints.api.routes import metrics as metrics_route
from aicmo.observability.metrics import Metrics, RequestMetricsMiddleware
from aicmo.services.context import set_trace_id

UPLOAD_PATHS = ("/api/v1/leads/import",)  # routes whose body is a file (the larger cap)
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


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(app: App | None = None, *, run_jobs: bool | None = None) -> FastAPI:
    """The API over `app`. With `run_jobs` (default: AICMO_RUNNER_MODE=embedded) this process also
    runs plan jobs, so a laptop install needs no other service."""
    aicmo = app or build_app()
    embedded = aicmo.settings.runner_mode == "embedded" if run_jobs is None else run_jobs

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # DBOS's calls are synchronous and refuse to run inside an event loop: use a thread.
        if embedded and aicmo.runtime is None:
            await asyncio.to_thread(aicmo.start_engine)
        try:
            yield
        finally:
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
    v1 = APIRouter(prefix="/api/v1", responses=errors.ERROR_RESPONSES)
    for module in (
        clients,
        engagements,
        artifacts,
        generate,
        plans,
        leads,
        performance,
        audit,
        tokens,
        system,
        exports,
    ):
        v1.include_router(module.router)
    api.include_router(v1)
    api.include_router(review.router)  # the client's review page (HTML behind a share link)
    return api
