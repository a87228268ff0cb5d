"""Strategy content (SPEC §1 tab 4, issue 3): what the strategy generator writes and every surface reads."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field

from aicmo.domain.schemas.intake import Platform


class ICP(BaseModel):
    summary: str
    segments: list[str] = Field(min_length=1)
    pains: list[str] = Field(min_length=1)
    desired_outcomes: list[str] = Field(min_length=1)
    buying_triggers: list[str] = Field(min_length=1)
    objections: list[str] = Field(default_factory=list)


class MessagingFramework(BaseModel):
    promise: str
    key_messages: list[str] = Field(min_length=2)
    proof_points: list[str] = Field(min_length=1)


class ContentPillar(BaseModel):
    name: str
    description: str
    example_topics: list[str] = Field(min_length=2)
    formats: list[str] = Field(min_length=1)


class PlatformPlan(BaseModel):
    platform: Platform
    role: str
    posts_per_week: int = Field(ge=0, le=28)
    formats: list[str] = Field(min_length=1)
    why: str = Field(default="", description="one line from the brief on why this channel is in the plan")


class MediaPhase(BaseModel):
    phase: str
    weeks: str
    focus: str
    budget_share_pct: int = Field(ge=0, le=100)


class MediaPlan(BaseModel):
    budget_note: str
    split_by_platform_pct: dict[str, int]
    phases: list[MediaPhase] = Field(min_length=1)
    split_reason: str = Field(default="", description="one line from the brief on why the budget is split so")


class KPI(BaseModel):
    name: str
    target: str
    source: str = Field(description="'brief' when the target comes from kpi_targets, else 'benchmark'")
    cadence: str = "weekly"


class MeasurementPlan(BaseModel):
    primary_kpi: str
    primary_kpi_reason: str = Field(
        default="", description="one line from the brief on why this is the primary KPI"
    )
    feasibility: list[str] = Field(
        default_factory=list,
        description="budget ÷ target = implied cost per result against a benchmark range; "
        "'Check:' when unrealistic",
    )
    kpis: list[KPI] = Field(min_length=2)
    tracking_requirements: list[str] = Field(min_length=1)
    reporting: str


class Strategy(BaseModel):
    PROSE_FIELDS: ClassVar[tuple[str, ...]] = (
        "executive_summary",
        "positioning_statement",
        "icp.summary",
        "messaging.promise",
        "messaging.key_messages.*",
        "pillars.*.description",
        "platforms.*.role",
        "media_plan.budget_note",
        "measurement.reporting",
    )  # read as sentences: the quality gates check them for word salad
    brand: str
    executive_summary: str
    icp: ICP
    positioning_statement: str
    messaging: MessagingFramework
    pillars: list[ContentPillar] = Field(min_length=3, max_length=5)
    platforms: list[PlatformPlan] = Field(min_length=1)
    media_plan: MediaPlan
    measurement: MeasurementPlan
