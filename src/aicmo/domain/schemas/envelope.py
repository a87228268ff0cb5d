"""The deliverables envelope (SPEC §8), the answer of every generate endpoint and every error."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class EnvelopeStatus(StrEnum):
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    PARTIAL = "PARTIAL"


class ErrorType(StrEnum):
    VALIDATION_ERROR = "VALIDATION_ERROR"
    GATING_ERROR = "GATING_ERROR"
    PROVIDER_ERROR = "PROVIDER_ERROR"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    UNAUTHORIZED = "UNAUTHORIZED"
    FORBIDDEN = "FORBIDDEN"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"


class ErrorInfo(BaseModel):
    type: ErrorType
    message: str
    details: list[dict[str, Any]] = Field(default_factory=list)


class Deliverable(BaseModel):
    id: str
    title: str
    content_markdown: str
    data: dict[str, Any] = Field(default_factory=dict)


def _now() -> str:
    return datetime.now(UTC).isoformat()


class Envelope(BaseModel):
    status: EnvelopeStatus
    run_id: str = ""
    module: str = ""
    trace_id: str = ""
    meta: dict[str, Any] = Field(default_factory=lambda: {"timestamp": _now()})
    deliverables: list[Deliverable] = Field(default_factory=list)
    error: ErrorInfo | None = None
