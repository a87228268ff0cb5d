"""Operator views over the API (SPEC §7): every engagement's stage and counts, in one list."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class ProjectSummary(BaseModel):
    client_id: str
    client_name: str
    engagement_id: str
    engagement_name: str
    start_date: date | None
    end_date: date | None
    stage: str = Field(
        description="The first step not approved yet ('Strategy: draft'), or 'Ready to deliver'."
    )
    statuses: dict[str, str] = Field(description="Artifact status by module.")
    leads: int = Field(description="The client's leads.")
    campaigns: int
    campaigns_completed: int
    metric_rows: int = Field(description="Imported performance rows.")
    updated_at: datetime | None


class Pipeline(BaseModel):
    projects: list[ProjectSummary]
    by_stage: dict[str, int]
