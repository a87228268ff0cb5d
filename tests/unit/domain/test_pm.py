"""The PM view's rules (SPEC §7 operator views): task status from job and artifact, due dates from the
engagement's window, phases, and load against capacity."""

from __future__ import annotations

from datetime import date

from aicmo.domain import pm

START = date(2027, 3, 1)  # a Monday


def test_a_task_is_done_when_its_artifact_is_approved_however_it_was_made() -> None:
    assert pm.task_status("pending", "approved") == "done"
    assert pm.task_status("completed", "draft") == "awaiting approval"
    assert pm.task_status("pending", "flagged_for_review") == "awaiting approval"
    assert pm.task_status("running", None) == "in progress"
    assert pm.task_status("blocked", None) == "blocked"
    assert pm.task_status("pending", None) == "to do"
    assert pm.task_status("skipped", None) == "skipped"


def test_due_dates_follow_the_window() -> None:
    assert pm.job_due("strategy", None, START, 8) == date(2027, 2, 14)
    assert pm.job_due("creatives", None, START, 8) == date(2027, 2, 28)
    assert pm.job_due("execution", [3, 4], START, 8) == date(2027, 3, 13)  # two days before week 3
    assert pm.job_due("monitoring", None, START, 8) == date(2027, 5, 2)  # the review week after 25 April
    assert pm.job_due("strategy", None, None, 8) is None
    phases = pm.phases(START, 8)
    assert [(p.start, p.end) for p in phases] == [
        (date(2027, 2, 8), date(2027, 2, 14)),
        (date(2027, 2, 15), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2027, 4, 25)),
        (date(2027, 4, 26), date(2027, 5, 2)),
    ]


def test_capacity_counts_open_tasks_per_owner_and_week_with_overdue_in_this_week() -> None:
    today = date(2027, 3, 10)  # Wednesday of the week of 8 March
    tasks = [
        ("Strategist", date(2027, 2, 14), "to do"),  # overdue: this week
        *[("Content lead", date(2027, 3, 13), "to do")] * 6,
        ("Content lead", date(2027, 3, 20), "done"),  # done: not counted
        ("Analyst", None, "to do"),  # no due date: not counted
    ]
    loads = pm.capacity(tasks, today)
    assert [(x.owner, x.week, x.open_tasks, x.over) for x in loads] == [
        ("Content lead", date(2027, 3, 8), 6, True),
        ("Strategist", date(2027, 3, 8), 1, False),
    ]
