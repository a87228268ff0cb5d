"""Performance data over the API (SPEC §7 monitoring): import a CSV, read the KPIs it gives."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from aicmo.domain.metrics import COLUMNS, Kpis
from aicmo.domain.schemas.common import Id, Strict

Header = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class MetricImport(Strict):
    engagement_id: Id
    csv: Annotated[str, StringConstraints(min_length=1, max_length=20_000_000)] = Field(
        description="The CSV text: one row per post or per day, with at least a date and a platform "
        "column; impressions, reach, engagements, clicks, conversions, spend, revenue, sentiment and a "
        "post id or URL when the export has them (common export headers are read)."
    )
    filename: Annotated[str, StringConstraints(max_length=300)] = ""
    mapping: dict[Header, Header] = Field(
        default_factory=dict,
        max_length=len(COLUMNS),
        description=f"Our column → your header, for headers we do not recognise. Ours: {', '.join(COLUMNS)}.",
    )


class MetricImportResult(BaseModel):
    id: str
    engagement_id: str
    filename: str
    rows_imported: int
    columns: dict[str, str] = Field(description="Our column → the header it was read from.")
    skipped: list[dict[str, str]] = Field(description="Rows not imported, each with the field and why.")
    created_at: datetime


class Figure(BaseModel):
    value: float | None = Field(description="None: no imported row had the data (not zero).")
    rows: int = Field(description="How many imported rows the figure was computed from.")


class KpiSet(BaseModel):
    rows: int
    impressions: Figure
    reach: Figure
    engagements: Figure
    clicks: Figure
    conversions: Figure
    spend: Figure
    revenue: Figure
    engagement_rate: Figure
    ctr: Figure
    conversion_rate: Figure
    cost_per_result: Figure
    roas: Figure
    sentiment: Figure

    @classmethod
    def of(cls, kpis: Kpis) -> KpiSet:
        return cls.model_validate(kpis, from_attributes=True)


class WeekKpis(BaseModel):
    week: date = Field(description="The Monday of the ISO week.")
    kpis: KpiSet


class KpiReport(BaseModel):
    engagement_id: str
    total: KpiSet
    by_platform: dict[str, KpiSet]
    weekly: list[WeekKpis]
    imports: list[MetricImportResult]
    by_campaign: list[CampaignKpis] = Field(
        default_factory=list, description="Per campaign: the rows that name one of its items."
    )
    unlinked_rows: int = Field(default=0, description="Rows naming no campaign item (still in the total).")


class ParsedTarget(BaseModel):
    """How a target of the brief was read."""

    metric: str = Field(description="The metric key the words matched ('custom' when none).")
    label: str
    value: float | None
    comparator: str = Field(description="'≥', '≤', or '' when the brief says neither.")
    period: str = Field(description="'per month', … or '' (over the whole engagement).")
    currency: str
    percent: bool
    baseline: float | None
    reading: str = Field(description="The target as it was understood, e.g. '≥ 200 per month'.")


class GoalLine(BaseModel):
    raw: str = Field(description="The brief's words for this target.")
    parsed: ParsedTarget
    ambiguous: list[str] = Field(
        description="Why the reading may not be what the client meant; empty when clear."
    )
    kpi: str | None = Field(
        description="The KPI it is measured by, or null when platform rows cannot measure it."
    )
    actual: float | None = Field(description="Measured value (rates as fractions); null: no data.")
    expected: float | None = Field(description="The target pro-rated to the days of data, for counts.")
    progress_pct: float | None
    status: str = Field(description="ahead, on track, behind, not measurable, no data, or unclear.")
    rows: int = Field(description="Imported rows behind the actual.")
    note: str


class GoalReport(BaseModel):
    engagement_id: str
    source: str = Field(description="Where the targets were read from (the intake's kpi_targets).")
    targets_text: str
    data_days: int = Field(description="Days from the first to the last imported row (0: no data).")
    goals: list[GoalLine]


class CampaignKpis(BaseModel):
    campaign_id: str
    name: str
    start_date: date
    end_date: date
    items: int
    linked_rows: int = Field(description="Imported rows whose post id or URL is one of the campaign's items.")
    kpis: KpiSet
    weekly: list[WeekKpis]


KpiReport.model_rebuild()
