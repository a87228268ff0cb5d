"""Waiting for a plan to settle: every job completed, or the rest waiting on a person or a failure."""

from __future__ import annotations

import time
from collections.abc import Callable

from aicmo.domain.roles import Principal
from aicmo.domain.schemas.plans import JobStatus, PlanPublic
from aicmo.services import plans
from aicmo.services.unit_of_work import UowFactory

WAKE_GAP_S = 0.05


def is_settled(plan: PlanPublic) -> bool:
    """Nothing moves without a person: no job runs, and none is ready to start by itself (queued, or
    the plan is running on: a ready job of a paused or step-by-step plan waits for the operator)."""
    running_on = plan.auto_continue and plan.state.value == "active"
    return not any(
        job.status is JobStatus.RUNNING
        or (job.status is JobStatus.READY and (job.queued_at is not None or running_on))
        for job in plan.jobs
        if job.enabled
    )


def wait_for_plan(
    uow_factory: UowFactory,
    principal: Principal,
    plan_id: str,
    *,
    timeout_s: float = 600.0,
    poll_s: float = 0.1,
    on_change: Callable[[PlanPublic], None] | None = None,
    wake: Callable[[float], object] | None = None,
) -> PlanPublic:
    """Poll the plan until it settles (or `timeout_s` passes); `on_change` sees each new state.

    `wake(seconds)`, when given, returns early when something may have changed (the job engine
    running in this process committed): the plan is then read at once, and otherwise only every
    `poll_s`, instead of reading it over and over while one long job (a PDF render) runs."""
    deadline = time.monotonic() + timeout_s
    last = None
    while True:
        with uow_factory() as uow:
            plan = plans.get_plan(uow, principal, plan_id)
        state = [(j.key, j.status, j.attempts) for j in plan.jobs]
        if state != last and on_change is not None:
            on_change(plan)
        last = state
        if is_settled(plan) or time.monotonic() > deadline:
            return plan
        if wake is None:
            time.sleep(poll_s)
        else:
            wake(poll_s)
            time.sleep(WAKE_GAP_S)  # a burst of commits (a fan-out finishing) is read once
