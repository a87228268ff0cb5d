"""The FastAPI application: routers, the error shape, trace ids. `create_app()` builds it on demand."""

from __future__ import annotations

import re

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aicmo import __version__
from aicmo.bootstrap import App, build_app
from aicmo.entrypoints.api import errors
from aicmo.entrypoints.api.routes import artifacts, audit, clients, engagements, health, tokens
from aicmo.services.context import set_trace_id

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


def create_app(app: App | None = None) -> FastAPI:
    aicmo = app or build_app()
    api = FastAPI(
        title="AICMO API",
        version=__version__,
        description="AI marketing operations: briefs, versioned artifacts, approvals, generation, delivery.",
        generate_unique_id_function=_operation_id,
    )
    api.state.aicmo = aicmo
    errors.install(api)
    api.add_middleware(TraceIdMiddleware)
    api.include_router(health.router)
    v1 = APIRouter(prefix="/api/v1", responses=errors.ERROR_RESPONSES)
    for module in (clients, engagements, artifacts, audit, tokens):
        v1.include_router(module.router)
    api.include_router(v1)
    return api
