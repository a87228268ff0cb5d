"""The analytics dashboard and the unified engagement view (SPEC §7 operator views), composed from the
monitoring, listening, goal, plan, campaign and lead use cases: nothing here is computed twice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from aicmo.domain.errors import NotFound
from aicmo.domain.modules import MODULE_TITLES, MODULES
from aicmo.domain.projects import stage_of
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.projects import CampaignSummary, Dashboard, EngagementOverview, ModuleState
from aicmo.services import goals, listening, performance, plans, pm
from aicmo.services.engagements import load_engagement
from aicmo.services.unit_of_work import UnitOfWork


def dashboard(uow: UnitOfWork, principal: Principal, engagement_id: str) -> Dashboard:
    engagement = load_engagement(uow, principal, engagement_id)
    kpis = performance.kpi_report(uow, principal, engagement.id)
    heard = listening.listening_report(uow, principal, engagement.id)
    progress = goals.goal_report(uow, principal, engagement.id)
    return Dashboard(
        engagement_id=engagement.id,
        total=kpis.total,
        weekly=kpis.weekly,
        by_campaign=kpis.by_campaign,
        listening=heard.total,
        listening_weekly=heard.weekly,
        goals=progress.goals,
        goals_by_status=dict(Counter(g.status for g in progress.goals)),
        leads=uow.projects.lead_counts([engagement.client_id]).get(engagement.client_id, 0),
        data_days=progress.data_days,
    )


def overview(uow: UnitOfWork, principal: Principal, engagement_id: str) -> EngagementOverview:
    engagement = load_engagement(uow, principal, engagement_id)
    client = uow.clients.get(engagement.client_id)
    artifacts = uow.artifacts.by_engagement(engagement.id)
    modules = [
        ModuleState(
            module=module.value,
            title=MODULE_TITLES[module],
            status=row.status if row else "not started",
            version=row.version if row else None,
            updated_at=row.updated_at if row else None,
            stale=bool(row and row.status == "stale"),
        )
        for module in MODULES
        for row in [artifacts.get(module.value)]
    ]
    try:
        plan = plans.get_plan_for_engagement(uow, principal, engagement.id).progress
    except NotFound:
        plan = None
    board = dashboard(uow, principal, engagement.id)
    campaigns = [
        CampaignSummary(
            id=c.id,
            name=c.name,
            start_date=c.start_date,
            end_date=c.end_date,
            mode=c.mode,
            items=len(items),
            completed=c.completed,
            counts=dict(Counter(i.status for i in items)),
        )
        for c in uow.campaigns.of_engagement(engagement.id)
        for items in [uow.campaigns.items(c.id)]
    ]
    start, weeks = engagement.start_date, engagement.duration_weeks
    return EngagementOverview(
        client_id=engagement.client_id,
        client_name=client.name if client else "",
        engagement_id=engagement.id,
        engagement_name=engagement.name,
        start_date=start,
        end_date=start + timedelta(weeks=weeks, days=-1) if start and weeks else None,
        stage=stage_of({m: row.status for m, row in artifacts.items()}),
        modules=modules,
        plan=plan,
        tasks=pm.pm_view(uow, principal, engagement.id).counts,
        campaigns=campaigns,
        leads=board.leads,
        kpis=board.total,
        listening=board.listening,
        goals_by_status=board.goals_by_status,
    )
