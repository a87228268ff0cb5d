"""The PM view (SPEC §7 operator views): tasks (owner, due date, status) from the generation plan's
jobs and the campaigns' checklists, the timeline's phases and each role's load against capacity."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from aicmo.domain import pm
from aicmo.domain.errors import NotFound
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.projects import LoadPublic, PhasePublic, PmView, Task
from aicmo.services import campaigns, plans
from aicmo.services.engagements import load_engagement
from aicmo.services.unit_of_work import UnitOfWork

CAPACITY_RULE = (
    f"Each role can take {pm.CAPACITY_PER_WEEK} open tasks a week (a default, not a measurement); "
    "overdue tasks count in the current week."
)


def _task(today: date, **fields: object) -> Task:
    due = fields.get("due")
    status = str(fields["status"])
    overdue = isinstance(due, date) and due < today and pm.is_open(status)
    return Task(overdue=overdue, **fields)  # type: ignore[arg-type]


def pm_view(uow: UnitOfWork, principal: Principal, engagement_id: str, today: date | None = None) -> PmView:
    engagement = load_engagement(uow, principal, engagement_id)
    today = today or datetime.now(UTC).date()
    start, weeks = engagement.start_date, engagement.duration_weeks
    statuses = {m: row.status for m, row in uow.artifacts.by_engagement(engagement.id).items()}
    notes: list[str] = []
    tasks: list[Task] = []
    try:
        plan = plans.get_plan_for_engagement(uow, principal, engagement.id)
    except NotFound as exc:
        notes.append(f"No plan tasks: {exc.message}.")
    else:
        for job in plan.jobs:
            if not job.enabled:
                continue
            tasks.append(
                _task(
                    today,
                    id=job.id,
                    title=job.title,
                    source="plan",
                    module=job.module.value,
                    owner=pm.owner_of(job.module.value),
                    due=pm.job_due(job.module.value, job.weeks, start, weeks),
                    status=pm.task_status(job.status.value, statuses.get(job.module.value)),
                    detail=job.blocked_reason,
                )
            )
    for campaign in uow.campaigns.of_engagement(engagement.id):
        checklist = campaigns.checklist(uow, principal, campaign.id)
        for line in checklist.lines:
            platform = line.platform.value
            reviewed = line.approved + line.published
            tasks.append(
                _task(
                    today,
                    id=f"{campaign.id}:{platform}:review",
                    title=f"{campaign.name}: approve the {platform} posts ({reviewed}/{line.items})",
                    source="campaign",
                    campaign_id=campaign.id,
                    owner=pm.REVIEWER,
                    due=campaign.start_date,
                    status=pm.DONE if (line.items and reviewed >= line.items) or line.done else pm.TO_DO,
                )
            )
            tasks.append(
                _task(
                    today,
                    id=f"{campaign.id}:{platform}:publish",
                    title=f"{campaign.name}: publish on {platform} and record the URLs "
                    f"({line.urls_recorded}/{line.items})",
                    source="campaign",
                    campaign_id=campaign.id,
                    owner=pm.PUBLISHER,
                    due=campaign.end_date,
                    status=pm.DONE if line.done else (pm.IN_PROGRESS if line.published else pm.TO_DO),
                )
            )
    if start is None:
        notes.append("No start date on the engagement: tasks have no due dates and there is no timeline.")
    phases = [
        PhasePublic(name=p.name, start=p.start, end=p.end, what=p.what, current=p.start <= today <= p.end)
        for p in (pm.phases(start, weeks or 1) if start else [])
    ]
    tasks.sort(key=lambda t: (t.due or date.max, t.source, t.title))
    loads = pm.capacity(((t.owner, t.due, t.status) for t in tasks), today)
    counts = Counter(t.status for t in tasks)
    counts["overdue"] = sum(1 for t in tasks if t.overdue)
    return PmView(
        engagement_id=engagement.id,
        today=today,
        tasks=tasks,
        phases=phases,
        capacity=[
            LoadPublic(owner=x.owner, week=x.week, open_tasks=x.open_tasks, capacity=x.capacity, over=x.over)
            for x in loads
        ],
        counts=dict(counts),
        notes=notes,
        capacity_rule=CAPACITY_RULE,
    )
