"""Operator views over the API (SPEC §7): every engagement's stage and counts, in one list."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from aicmo.domain.schemas.listening import ListeningWeek, SentimentSummary
from aicmo.domain.schemas.metrics import CampaignKpis, GoalLine, KpiSet, WeekKpis
from aicmo.domain.schemas.plans import PlanProgress


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


class Task(BaseModel):
    id: str
    title: str
    source: str = Field(description="'plan' (a generation job) or 'campaign' (a checklist line).")
    module: str = ""
    campaign_id: str = ""
    owner: str = Field(description="The role that reviews and approves the work.")
    due: date | None = Field(description="Null when the engagement has no start date.")
    status: str = Field(
        description="to do, in progress, awaiting approval, blocked, failed, done or skipped."
    )
    overdue: bool
    detail: str = ""


class PhasePublic(BaseModel):
    name: str
    start: date
    end: date
    what: str
    current: bool


class LoadPublic(BaseModel):
    owner: str
    week: date = Field(description="The Monday of the week the tasks fall due (overdue: this week).")
    open_tasks: int
    capacity: int
    over: bool


class PmView(BaseModel):
    engagement_id: str
    today: date
    tasks: list[Task]
    phases: list[PhasePublic]
    capacity: list[LoadPublic]
    counts: dict[str, int] = Field(description="Tasks by status, plus 'overdue'.")
    notes: list[str] = Field(description="What the view could not show and why (no plan, no start date).")
    capacity_rule: str


class Dashboard(BaseModel):
    """The analytics dashboard of one engagement: headline metrics, trends, goal progress."""

    engagement_id: str
    total: KpiSet
    weekly: list[WeekKpis]
    by_campaign: list[CampaignKpis]
    listening: SentimentSummary
    listening_weekly: list[ListeningWeek]
    goals: list[GoalLine]
    goals_by_status: dict[str, int]
    leads: int
    data_days: int


class ModuleState(BaseModel):
    module: str
    title: str
    status: str = Field(description="The artifact's status, or 'not started'.")
    version: int | None
    updated_at: datetime | None
    stale: bool


class CampaignSummary(BaseModel):
    id: str
    name: str
    start_date: date
    end_date: date
    mode: str
    items: int
    completed: bool
    counts: dict[str, int]


class EngagementOverview(BaseModel):
    """One engagement across every module: artifacts, plan, tasks, campaigns, leads, numbers, goals."""

    client_id: str
    client_name: str
    engagement_id: str
    engagement_name: str
    start_date: date | None
    end_date: date | None
    stage: str
    modules: list[ModuleState]
    plan: PlanProgress | None = Field(description="Null when the engagement has no plan yet.")
    tasks: dict[str, int] = Field(description="PM tasks by status, plus 'overdue'.")
    campaigns: list[CampaignSummary]
    leads: int
    kpis: KpiSet
    listening: SentimentSummary
    goals_by_status: dict[str, int]
