"""Request guard: what no route should have to think about, checked once before any route runs.

- Body size: a body over the cap (the declared Content-Length or the bytes actually sent) is a 413
  envelope; nothing past the cap is read. Upload routes (a lead CSV) have their own, larger cap.
- NUL bytes: PostgreSQL cannot store them in text and SQLite would; a NUL in the path, a query
  parameter or any JSON string (keys included) is a 422 naming the field, on every database.
- Nesting: a JSON body nested deeper than `MAX_DEPTH` is a 422 naming the field where it got too deep
  (deep documents made every later read of an artifact fail).
- Anything a route raises that nothing else handled becomes the 500 envelope with the trace id and
  one log line, inside the trace and metrics middlewares (so the answer carries `x-trace-id`).

The checks only parse a body when cheap byte tests say a NUL or deep nesting is possible.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aicmo.domain.schemas.envelope import ErrorType
from aicmo.entrypoints.api.errors import error_response
from aicmo.services.context import current_trace_id

log = logging.getLogger("aicmo.api")

MAX_DEPTH = 32
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class RequestGuardMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_upload_bytes: int,
        upload_paths: Iterable[str] = (),
        max_depth: int = MAX_DEPTH,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.upload_paths = frozenset(upload_paths)
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = url_problem(scope)
        if problem is not None:
            await _invalid(problem)(scope, receive, send)
            return
        if scope["method"] in _BODY_METHODS:
            limit = self.max_upload_bytes if scope["path"] in self.upload_paths else self.max_body_bytes
            body = await _read_body(scope, receive, limit)
            if body is None:
                await _too_large(limit)(scope, receive, send)
                return
            problem = body_problem(body, self.max_depth)
            if problem is not None:
                await _invalid(problem)(scope, receive, send)
                return
            receive = _replay(body, receive)
        await self._run(scope, receive, send)

    async def _run(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log.error(
                "unhandled error on %s %s",
                scope.get("method"),
                scope.get("path"),
                exc_info=(type(exc), exc, exc.__traceback__),
            )
            if started:  # the answer is under way: nothing better to send than a cut connection
                raise
            response = error_response(
                500, ErrorType.INTERNAL_ERROR, f"internal error; quote trace id {current_trace_id()}", []
            )
            await response(scope, receive, send)


# ---- checks (pure) -------------------------------------------------------------------------------
def url_problem(scope: Scope) -> dict[str, str] | None:
    """A NUL in the path or a query parameter, named."""
    if "\x00" in scope.get("path", ""):
        return {"field": "path", "message": "the path contains a NUL byte", "code": "nul_byte"}
    query = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in key or "\x00" in value:
                name = key.replace("\x00", "\\0")
                return {"field": name, "message": f"{name} contains a NUL byte", "code": "nul_byte"}
    return None


def body_problem(body: bytes, max_depth: int = MAX_DEPTH) -> dict[str, str] | None:
    """A NUL in a JSON string, or nesting deeper than `max_depth`, named by its field path."""
    maybe_nul = b"\\u0000" in body or b"\x00" in body
    maybe_deep = body.count(b"{") + body.count(b"[") > max_depth
    if not (maybe_nul or maybe_deep):
        return None
    try:
        document = json.loads(body)
    except RecursionError:
        return _too_deep("body", max_depth)
    except ValueError:  # not JSON (or not UTF-8): the route's own parser answers
        if b"\x00" in body:
            return {"field": "body", "message": "the body contains a NUL byte", "code": "nul_byte"}
        return None
    return _walk(document, [], 0, max_depth)


def _walk(value: Any, path: list[str], depth: int, max_depth: int) -> dict[str, str] | None:
    if isinstance(value, str):
        if "\x00" in value:
            name = _name(path)
            return {"field": name, "message": f"{name} contains a NUL byte", "code": "nul_byte"}
        return None
    if not isinstance(value, dict | list):
        return None
    if depth >= max_depth:
        return _too_deep(_name(path), max_depth)
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        here = [*path, str(key)]
        if isinstance(key, str) and "\x00" in key:
            name = _name(here)
            return {
                "field": name,
                "message": f"a key in {_name(path)} contains a NUL byte",
                "code": "nul_byte",
            }
        problem = _walk(item, here, depth + 1, max_depth)
        if problem is not None:
            return problem
    return None


def _name(path: list[str]) -> str:
    return ".".join(p.replace("\x00", "\\0") for p in path) or "body"


def _too_deep(field: str, max_depth: int) -> dict[str, str]:
    return {
        "field": field,
        "message": f"{field} is nested more than {max_depth} levels deep",
        "code": "too_deep",
    }


# ---- plumbing ------------------------------------------------------------------------------------
async def _read_body(scope: Scope, receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it (declared or sent) exceeds `limit`."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                if int(value) > limit:
                    return None
            except ValueError:
                pass
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _invalid(problem: dict[str, str]):
    return error_response(422, ErrorType.VALIDATION_ERROR, f"invalid input: {problem['field']}", [problem])


def _too_large(limit: int):
    message = f"the request body is over the {limit:,}-byte limit"
    return error_response(413, ErrorType.PAYLOAD_TOO_LARGE, message, [{"field": "body", "message": message}])
