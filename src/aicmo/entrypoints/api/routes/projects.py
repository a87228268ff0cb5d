"""Operator views (SPEC §7): the projects pipeline, and per engagement the PM view, the analytics
dashboard and the unified view across modules."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from aicmo.domain.schemas.projects import Dashboard, EngagementOverview, Pipeline, PmView
from aicmo.entrypoints.api.deps import PrincipalDep, UowDep
from aicmo.services import dashboard, pm, projects

router = APIRouter(tags=["projects"])


@router.get("/projects")
def get_pipeline(uow: UowDep, principal: PrincipalDep) -> Pipeline:
    """Every live engagement the caller may see: its stage (the first delivery step not approved yet),
    artifact statuses, and lead, campaign and performance-data counts."""
    return projects.pipeline(uow, principal)


EngagementPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


@router.get("/projects/{engagement_id}/pm")
def get_pm_view(engagement_id: EngagementPath, uow: UowDep, principal: PrincipalDep) -> PmView:
    """Tasks (owner, due date, status) from the plan's jobs and the campaigns' checklists, the
    timeline's phases, and each role's open tasks per week against capacity."""
    return pm.pm_view(uow, principal, engagement_id)


@router.get("/projects/{engagement_id}/dashboard")
def get_dashboard(engagement_id: EngagementPath, uow: UowDep, principal: PrincipalDep) -> Dashboard:
    """Headline metrics, weekly trends (performance and mentions), per-campaign KPIs and progress
    against the brief's targets."""
    return dashboard.dashboard(uow, principal, engagement_id)


@router.get("/projects/{engagement_id}/overview")
def get_overview(engagement_id: EngagementPath, uow: UowDep, principal: PrincipalDep) -> EngagementOverview:
    """One engagement across every module: artifact states, plan progress, tasks, campaigns, leads,
    KPIs, listening and goal status."""
    return dashboard.overview(uow, principal, engagement_id)
