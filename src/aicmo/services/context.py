"""Request-scoped context (trace id) shared by services, jobs and provider calls."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

_trace_id: ContextVar[str] = ContextVar("aicmo_trace_id", default="")


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


def current_trace_id() -> str:
    return _trace_id.get()


def set_trace_id(value: str | None = None) -> str:
    value = value or uuid.uuid4().hex
    _trace_id.set(value)
    return value
