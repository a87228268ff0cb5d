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
