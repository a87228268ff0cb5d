"""The PM view (SPEC §7 operator views): tasks, timeline phases and team capacity. Pure.

Tasks come from the generation plan's jobs and the campaigns' checklists; nothing is stored here, so
the view always agrees with them. Owners are roles (the agency's team is not modelled per person):
who reviews and approves the work a job produces. Due dates follow the engagement's window: the
plan's deliverables are due before the campaign goes live, each posts job two days before its first
week, monitoring and learnings after the window closes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from aicmo.domain.modules import Module

ACCOUNT_MANAGER = "Account manager"
OWNERS: dict[Module, str] = {
    Module.INTAKE: ACCOUNT_MANAGER,
    Module.STRATEGY: "Strategist",
    Module.CREATIVES: "Creative lead",
    Module.EXECUTION: "Content lead",
    Module.MONITORING: "Analyst",
    Module.LEARN: "Analyst",
    Module.LEADGEN: "Growth lead",
}
REVIEWER = "Content reviewer"
PUBLISHER = "Community manager"
CAPACITY_PER_WEEK = 5  # open tasks one role can take in a week (a stated default, not a measurement)

TO_DO, IN_PROGRESS, AWAITING, BLOCKED, FAILED, DONE, SKIPPED = (
    "to do",
    "in progress",
    "awaiting approval",
    "blocked",
    "failed",
    "done",
    "skipped",
)
_JOB_STATUS = {
    "pending": TO_DO,
    "ready": TO_DO,
    "running": IN_PROGRESS,
    "blocked": BLOCKED,
    "failed": FAILED,
    "skipped": SKIPPED,
}


def owner_of(module: str) -> str:
    try:
        return OWNERS.get(Module(module), ACCOUNT_MANAGER)
    except ValueError:
        return ACCOUNT_MANAGER


def task_status(job_status: str, artifact_status: str | None) -> str:
    """A job's task is done once its module's artifact is approved (however it was made: by this job,
    a direct generation or an upload); a draft waiting for a person is "awaiting approval"; otherwise
    the job's own state says where the work is."""
    if artifact_status == "approved":
        return DONE
    if job_status == "running":
        return IN_PROGRESS
    if artifact_status in {"draft", "flagged_for_review"} or job_status == "completed":
        return AWAITING
    return _JOB_STATUS.get(job_status, TO_DO)


@dataclass(frozen=True)
class Phase:
    name: str
    start: date
    end: date
    what: str


def phases(start: date, weeks: int) -> list[Phase]:
    """The engagement's timeline: three weeks of preparation before the window, the live weeks, and
    a review week after."""
    live_end = start + timedelta(weeks=weeks, days=-1)
    return [
        Phase(
            "Discovery and strategy",
            start - timedelta(days=21),
            start - timedelta(days=15),
            "brief, strategy",
        ),
        Phase(
            "Production", start - timedelta(days=14), start - timedelta(days=1), "creatives, calendar, posts"
        ),
        Phase("Live", start, live_end, "publishing, community, weekly data imports"),
        Phase(
            "Review",
            live_end + timedelta(days=1),
            live_end + timedelta(days=7),
            "monitoring report, learnings",
        ),
    ]


def job_due(module: str, weeks_span: list[int] | None, start: date | None, weeks: int | None) -> date | None:
    """When a plan job's work is due; None without a start date."""
    if start is None:
        return None
    live_end = start + timedelta(weeks=weeks or 1, days=-1)
    if weeks_span:
        return start + timedelta(weeks=weeks_span[0] - 1, days=-2)
    try:
        module_ = Module(module)
    except ValueError:
        return start - timedelta(days=1)
    if module_ in {Module.INTAKE, Module.STRATEGY}:
        return start - timedelta(days=15)
    if module_ in {Module.MONITORING}:
        return live_end + timedelta(days=3)
    if module_ in {Module.LEARN}:
        return live_end + timedelta(days=7)
    return start - timedelta(days=1)


def is_open(status: str) -> bool:
    return status not in {DONE, SKIPPED}


@dataclass(frozen=True)
class Load:
    owner: str
    week: date  # Monday
    open_tasks: int
    capacity: int

    @property
    def over(self) -> bool:
        return self.open_tasks > self.capacity


def capacity(tasks: Iterable[tuple[str, date | None, str]], today: date) -> list[Load]:
    """Open tasks per owner per week they fall due (overdue ones count in this week), against the
    per-role capacity. `tasks`: (owner, due, status)."""
    this_week = today - timedelta(days=today.weekday())
    counts: Counter[tuple[str, date]] = Counter()
    owners: set[str] = set()
    for owner, due, status in tasks:
        owners.add(owner)
        if not is_open(status) or due is None:
            continue
        week = max(due - timedelta(days=due.weekday()), this_week)
        counts[(owner, week)] += 1
    by_owner: dict[str, list[Load]] = defaultdict(list)
    for (owner, week), n in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        by_owner[owner].append(Load(owner, week, n, CAPACITY_PER_WEEK))
    return [load for owner in sorted(owners) for load in by_owner.get(owner, [])]
