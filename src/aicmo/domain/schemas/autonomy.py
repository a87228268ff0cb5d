"""Autonomy content: the generation plan (SPEC §5) as a job DAG the operator can read and run."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PlannedJob(BaseModel):
    key: str
    module: str = Field(description="The module the job writes (a `domain.modules.Module` value).")
    title: str
    kind: str
    depends_on: list[str] = Field(default_factory=list)
    platform: str | None = None
    content_fields: list[str] = Field(default_factory=list)
    stage: int = Field(ge=1, description="1 = can run first; a job runs after every stage before it")


class AutonomyPlan(BaseModel):
    brand: str
    summary: str
    jobs: list[PlannedJob] = Field(min_length=1)
    stages: list[list[str]] = Field(min_length=1)
    mermaid: str
    notes: list[str] = Field(default_factory=list)
