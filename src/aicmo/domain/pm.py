"""The PM view (SPEC §7 operator views): tasks, timeline phases and team capacity. Pure.

Tasks come from the generation plan's jobs and the campaigns' checklists; nothing is stored here, so
the view always agrees with them. Owners are roles (the agency's team is not modelled per person):
who reviews and approves the work a job produces (`ModuleSpec.owner`). Due dates follow the
engagement's window: each module's work by the end of its phase (`ModuleSpec.pm_phase`), each posts
job two days before its first week.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from aicmo.domain.modules import MODULES, Module, ModuleSpec

ACCOUNT_MANAGER = "Account manager"
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


def _spec(module: str) -> ModuleSpec | None:
    try:
        return MODULES[Module(module)]
    except (ValueError, KeyError):
        return None


def owner_of(module: str) -> str:
    """The role that reviews and approves the module's work (`ModuleSpec.owner`)."""
    spec = _spec(module)
    return spec.owner if spec else ACCOUNT_MANAGER


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
    key: str  # what `ModuleSpec.pm_phase` names
    name: str
    start: date
    end: date
    what: str


def phases(start: date, weeks: int) -> list[Phase]:
    """The engagement's timeline: three weeks of preparation before the window, the live weeks, and
    a review week after."""
    live_end = start + timedelta(weeks=weeks, days=-1)
    day = timedelta(days=1)
    return [
        Phase("discovery", "Discovery and strategy", start - 21 * day, start - 15 * day, "brief, strategy"),
        Phase("production", "Production", start - 14 * day, start - day, "creatives, calendar, posts"),
        Phase("live", "Live", start, live_end, "publishing, community, weekly data imports"),
        Phase("review", "Review", live_end + day, live_end + 7 * day, "monitoring report, learnings"),
    ]


def job_due(module: str, weeks_span: list[int] | None, start: date | None, weeks: int | None) -> date | None:
    """When a plan job's work is due: a posts job two days before its first week, any other job by
    the end of its module's phase (`ModuleSpec.pm_phase`); None without a start date."""
    if start is None:
        return None
    if weeks_span:
        return start + timedelta(weeks=weeks_span[0] - 1, days=-2)
    spec = _spec(module)
    phase = spec.pm_phase if spec else "production"
    ends = {p.key: p.end for p in phases(start, weeks or 1)}
    return ends.get(phase, ends["production"])


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
