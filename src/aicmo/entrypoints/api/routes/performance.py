"""Performance data (SPEC §7 monitoring): import a platform export, read an engagement's KPIs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from aicmo.domain.schemas.learning import LearningReport
from aicmo.domain.schemas.metrics import GoalReport, KpiReport, MetricImport, MetricImportResult
from aicmo.entrypoints.api.deps import PrincipalDep, UowDep
from aicmo.services import goals, learning, performance

router = APIRouter(prefix="/metrics", tags=["metrics"])
EngagementQuery = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


@router.post("/import", status_code=status.HTTP_201_CREATED)
def import_metrics(body: MetricImport, uow: UowDep, principal: PrincipalDep) -> MetricImportResult:
    """Import a CSV of post or daily metrics: good rows are kept, each bad row is named by row and
    field; 422 when no row is usable (nothing is saved then)."""
    return performance.import_metrics(uow, principal, body)


@router.get("/kpis")
def get_kpis(engagement_id: EngagementQuery, uow: UowDep, principal: PrincipalDep) -> KpiReport:
    """The engagement's KPIs from every imported row: totals, per platform, per week, with the row
    count behind each figure; a figure no row had data for is null, never zero."""
    return performance.kpi_report(uow, principal, engagement_id)


@router.get("/insights")
def get_insights(engagement_id: EngagementQuery, uow: UowDep, principal: PrincipalDep) -> LearningReport:
    """What the measured posts teach (the learning loop): each pillar's, format's, platform's and
    posting slot's engagement rate pooled with the client's or agency's rate, its 95 % interval, the
    best against the worst with the interval of the ratio, and the posts and CSV lines behind it."""
    return learning.learning_report(uow, principal, engagement_id)


@router.get("/goals")
def get_goals(engagement_id: EngagementQuery, uow: UowDep, principal: PrincipalDep) -> GoalReport:
    """Progress against the brief's KPI targets: each target as parsed (metric, number, comparator,
    period), why its reading is ambiguous when it is, and the measured value with the rows behind it;
    a target platform rows cannot measure says so."""
    return goals.goal_report(uow, principal, engagement_id)
