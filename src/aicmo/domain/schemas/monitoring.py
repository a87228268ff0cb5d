"""Monitoring content: the tracking plan, KPI definitions and, once data is imported, results.

`MetricRow` is one imported performance row (CSV or API export). Monitoring never invents numbers:
`performance`, `kpi_status` and number-based suggestions exist only when rows were imported.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from aicmo.domain.schemas.strategy import KPI


class MetricRow(BaseModel):
    """One day (or one post) of results on one platform. Unknown columns are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    date: date
    platform: str = Field(min_length=1, max_length=40)
    post_id: str = ""
    impressions: int = Field(default=0, ge=0)
    reach: int = Field(default=0, ge=0)
    clicks: int = Field(default=0, ge=0)
    engagements: int = Field(default=0, ge=0)
    conversions: int = Field(default=0, ge=0)
    spend: float = Field(default=0.0, ge=0)
    revenue: float = Field(default=0.0, ge=0)
    video_views: int = Field(default=0, ge=0)
    followers_gained: int = 0
    mentions: int = Field(default=0, ge=0)
    sentiment: float | None = Field(default=None, ge=-1, le=1)

    @field_validator("platform", mode="before")
    @classmethod
    def _platform(cls, value: Any) -> Any:
        return value.strip().lower().replace(" ", "_") if isinstance(value, str) else value

    @field_validator(
        "impressions",
        "reach",
        "clicks",
        "engagements",
        "conversions",
        "spend",
        "revenue",
        "video_views",
        "followers_gained",
        "mentions",
        mode="before",
    )
    @classmethod
    def _blank_is_zero(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace(",", "").strip()
            return value or 0
        return 0 if value is None else value

    @field_validator("sentiment", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


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
    platform: str
    rows: int
    impressions: int
    clicks: int
    engagements: int
    conversions: int
    spend: float
    revenue: float
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
    review_cadence: str
