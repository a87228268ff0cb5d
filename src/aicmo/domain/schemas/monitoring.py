"""Monitoring content: the tracking plan, KPI definitions and, once data is imported, results.

Imported rows are `domain.metrics.MetricRow`. Monitoring never invents numbers: `performance`,
`kpi_progress` and number-based suggestions exist only when rows were imported, and a figure no row
had data for is None ("no data"), never 0.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from aicmo.domain.schemas.strategy import KPI


class TrackingItem(BaseModel):
    item: str
    platform: str = ""
    owner: str
    why: str
    done: bool = False


class KpiDefinition(BaseModel):
    kpi: KPI
    formula: str
    data_source: str


class PlatformResult(BaseModel):
    """One platform's totals over the imported rows; None where no row had the figure."""

    platform: str
    rows: int
    impressions: int | None = None
    clicks: int | None = None
    engagements: int | None = None
    conversions: int | None = None
    spend: float | None = None
    revenue: float | None = None
    ctr_pct: float | None = None
    engagement_rate_pct: float | None = None
    cost_per_conversion: float | None = None
    roas: float | None = None


class KpiProgress(BaseModel):
    name: str
    target: str
    actual: str
    progress_pct: float | None = None
    status: Literal["ahead", "on_track", "behind", "no_target"]
    note: str


class Suggestion(BaseModel):
    title: str
    evidence: str
    action: str
    priority: Literal["high", "medium", "low"]
    platform: str = ""


class CampaignResult(BaseModel):
    """One campaign's totals over the imported rows naming one of its items; None: no data (not 0)."""

    campaign_id: str
    name: str
    items: int = 0
    rows: int = 0
    impressions: int | None = None
    engagement_rate_pct: float | None = None
    clicks: int | None = None
    conversions: int | None = None


class ListeningTopic(BaseModel):
    term: str
    mentions: int
    sentiment: float


class ListeningWeek(BaseModel):
    week: str  # the Monday, ISO
    mentions: int
    mean: float


class CitedMention(BaseModel):
    date: str
    platform: str
    author: str = ""
    text: str
    sentiment: float
    source_row: int


class Listening(BaseModel):
    """The imported mentions' sentiment and topics (SPEC §7); every figure counts stored mentions."""

    mentions: int = 0
    mean: float | None = None
    positive_pct: float | None = None
    negative_pct: float | None = None
    computed: int = 0  # sentiments scored offline from the text (the export had none)
    topics: list[ListeningTopic] = Field(default_factory=list)
    weekly: list[ListeningWeek] = Field(default_factory=list)
    most_negative: list[CitedMention] = Field(default_factory=list)


class Monitoring(BaseModel):
    brand: str
    data_status: Literal["no_data", "imported"]
    data_note: str
    period_start: str = ""
    period_end: str = ""
    rows_imported: int = Field(default=0, ge=0)
    rows_skipped: int = Field(default=0, ge=0)
    tracking_checklist: list[TrackingItem] = Field(min_length=1)
    kpis: list[KpiDefinition] = Field(min_length=1)
    performance: list[PlatformResult] = Field(default_factory=list)
    kpi_progress: list[KpiProgress] = Field(default_factory=list)
    suggestions: list[Suggestion] = Field(default_factory=list)
    campaigns: list[CampaignResult] = Field(default_factory=list)
    listening: Listening = Field(default_factory=Listening)
    review_cadence: str
