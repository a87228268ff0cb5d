"""Operator views (SPEC §7): the projects pipeline — every live engagement with its stage (derived from
its artifacts), its statuses, and lead, campaign and performance-data counts."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from aicmo.domain.projects import stage_of
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.projects import Pipeline, ProjectSummary
from aicmo.services.access import client_scope
from aicmo.services.unit_of_work import UnitOfWork

MAX_PROJECTS = 500


def pipeline(uow: UnitOfWork, principal: Principal) -> Pipeline:
    engagements, _ = uow.engagements.list(
        client_ids=client_scope(principal), include_archived=False, limit=MAX_PROJECTS, offset=0
    )
    client_ids = sorted({e.client_id for e in engagements})
    names = {c: row.name for c in client_ids if (row := uow.clients.get(c)) is not None and not row.archived}
    live = [e for e in engagements if e.client_id in names]
    ids = [e.id for e in live]
    leads = uow.projects.lead_counts(client_ids)
    campaigns = uow.projects.campaign_counts(ids)
    metrics = uow.projects.metric_counts(ids)
    projects = []
    for engagement in live:
        artifacts = uow.artifacts.by_engagement(engagement.id)
        statuses = {module: row.status for module, row in artifacts.items()}
        start = engagement.start_date
        weeks = engagement.duration_weeks
        projects.append(
            ProjectSummary(
                client_id=engagement.client_id,
                client_name=names[engagement.client_id],
                engagement_id=engagement.id,
                engagement_name=engagement.name,
                start_date=start,
                end_date=start + timedelta(weeks=weeks, days=-1) if start and weeks else None,
                stage=stage_of(statuses),
                statuses=statuses,
                leads=leads.get(engagement.client_id, 0),
                campaigns=campaigns.get(engagement.id, (0, 0))[0],
                campaigns_completed=campaigns.get(engagement.id, (0, 0))[1],
                metric_rows=metrics.get(engagement.id, 0),
                updated_at=max((row.updated_at for row in artifacts.values()), default=engagement.updated_at),
            )
        )
    return Pipeline(projects=projects, by_stage=dict(Counter(p.stage for p in projects)))
