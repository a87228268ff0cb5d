"""Learn content ("Kaizen"): learning events in, insights or a learning agenda out.

Insights come only from recorded events; with no measured outcomes the module says so and
proposes hypotheses to test instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

EventKind = Literal["generation", "approval", "rejection", "amendment", "publication", "outcome"]


class LearningEvent(BaseModel):
    """One thing that happened: an artifact decision or a measured outcome of a post."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    kind: EventKind
    module: str = ""
    at: datetime | None = None
    pillar: str = ""
    platform: str = ""
    format: str = ""
    posted_at: datetime | None = None
    metric: str = ""
    value: float | None = None
    comment: str = Field(default="", max_length=2_000)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value


class Insight(BaseModel):
    title: str
    evidence: str
    recommendation: str
    confidence: Literal["low", "medium", "high"]
    dimension: str


class Hypothesis(BaseModel):
    statement: str
    metric: str
    test: str
    success_when: str
    pillar: str = ""
    platform: str = ""


class Learn(BaseModel):
    brand: str
    status: Literal["no_outcomes", "insights"]
    status_note: str
    events_seen: int = Field(default=0, ge=0)
    insights: list[Insight] = Field(default_factory=list)
    agenda: list[Hypothesis] = Field(default_factory=list)
    next_generation_changes: list[str] = Field(default_factory=list)
