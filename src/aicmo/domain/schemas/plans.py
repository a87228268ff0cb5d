"""The generation plan over the API (SPEC §5): jobs, their states, and progress."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.common import Strict
from aicmo.domain.schemas.resources import AutonomyLevel


class JobStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    BLOCKED = "blocked"
    SKIPPED = "skipped"  # switched off by the operator


class PlanState(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


class JobReason(BaseModel):
    """Why a job is blocked, skipped or running again, as data (`blocked_reason` says it in words)."""

    category: str = Field(
        description="upstream_failed, upstream_blocked, awaiting_approval, not_in_brief, switched_off, "
        "inputs_changed or lease_expired"
    )
    jobs: list[str] = Field(default_factory=list, description="The upstream jobs it names.")
    gates: list[str] = Field(default_factory=list, description="The approvals it waits for.")
    worker: str = ""


class JobPublic(BaseModel):
    id: str
    plan_id: str
    key: str
    module: Module
    title: str
    kind: str
    platform: str | None
    weeks: list[int] | None = Field(
        default=None, description="A posts job's first and last week of the window (1-based)."
    )
    depends_on: list[str]
    enabled: bool
    status: JobStatus
    blocked_reason: str
    reason: JobReason | None = None
    attempts: int
    max_attempts: int
    error: str
    llm_calls: int
    provider_attempts: int
    worker_id: str
    inputs_hash: str
    artifact_version: int | None
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime


class PlanProgress(BaseModel):
    total: int
    completed: int
    counts: dict[str, int]
    done: bool


class PlanPublic(BaseModel):
    id: str
    engagement_id: str
    client_id: str
    state: PlanState
    auto_continue: bool = Field(description="Run-all is on: jobs start as soon as they are ready.")
    autonomy_level: AutonomyLevel
    intake_version: int
    created_at: datetime
    updated_at: datetime
    jobs: list[JobPublic]
    progress: PlanProgress


class JobToggle(Strict):
    enabled: bool


class PlanRunResult(BaseModel):
    """What a run-next / run-ready call started or finished."""

    plan_id: str
    jobs: list[JobPublic]
    message: str
