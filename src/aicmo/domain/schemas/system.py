"""System status (SPEC §10): what the API reports about itself and the console shows in its header.

One schema for both sides: `services.system` builds it, `GET /api/v1/system/status` returns it and
the console's client reads it. Every field has a default, so "not known yet" is a value too.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class BuildInfo(BaseModel):
    version: str = "?"
    git_revision: str = "unknown"
    started_at: str = ""


class DatabaseStatus(BaseModel):
    ok: bool = False
    url: str = Field(default="", description="Masked: never the password.")
    dialect: str = ""
    revision: str | None = None
    head: str = ""
    at_head: bool = False
    error: str = ""


class LLMStatus(BaseModel):
    """Diagnostics: 'disabled' is a state with a fix, not a crash."""

    provider: str = ""
    state: Literal["unknown", "offline", "disabled", "configured", "reachable", "unreachable"] = "unknown"
    model: str = ""
    base_url: str = ""
    detail: str = ""


class SystemStatus(BaseModel):
    build: BuildInfo = Field(default_factory=BuildInfo)
    database: DatabaseStatus = Field(default_factory=DatabaseStatus)
    provider: LLMStatus = Field(default_factory=LLMStatus)
    settings: dict[str, Any] = Field(default_factory=dict, description="Secrets as set/unset, URLs masked.")
