"""The generation plan (SPEC §5): inspect, toggle jobs, run next / run all ready, pause, retry, progress."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from aicmo.domain.schemas.plans import JobPublic, JobToggle, PlanPublic, PlanState
from aicmo.entrypoints.api.deps import AppDep, PrincipalDep, UowDep
from aicmo.services import plans
from aicmo.services.plan_watch import is_settled
from aicmo.services.unit_of_work import retry_conflicts

router = APIRouter(tags=["plans"])
Id = Annotated[str, Path(max_length=64)]


@router.get("/engagements/{engagement_id}/plan")
def get_engagement_plan(engagement_id: Id, uow: UowDep, principal: PrincipalDep) -> PlanPublic:
    """The engagement's plan (created when its intake is approved)."""
    return plans.get_plan_for_engagement(uow, principal, engagement_id)


@router.post("/engagements/{engagement_id}/plan")
def create_engagement_plan(engagement_id: Id, app: AppDep, principal: PrincipalDep) -> PlanPublic:
    """Create the plan from the approved intake, or bring it in line with the latest intake."""
    return retry_conflicts(app.uow, lambda uow: plans.create_or_refresh(uow, principal, engagement_id))


@router.get("/plans/{plan_id}")
def get_plan(plan_id: Id, uow: UowDep, principal: PrincipalDep) -> PlanPublic:
    """Jobs with status, attempts, timings, errors, and overall progress (the polling endpoint)."""
    return plans.get_plan(uow, principal, plan_id)


# The commands below (and creating the plan) name no version: when one loses a race with the
# runner (PostgreSQL checks rows at write, it does not lock them at read) it runs again on fresh
# reads instead of answering 409 to an operator who has nothing to reload.


@router.patch("/plans/{plan_id}/jobs/{job_id}")
def toggle_job(plan_id: Id, job_id: Id, body: JobToggle, app: AppDep, principal: PrincipalDep) -> JobPublic:
    """Switch a job on or off (the operator's selection)."""
    return retry_conflicts(
        app.uow, lambda uow: plans.toggle_job(uow, principal, plan_id, job_id, body.enabled)
    )


@router.post("/plans/{plan_id}/run-next")
def run_next(plan_id: Id, app: AppDep, principal: PrincipalDep) -> PlanPublic:
    """Queue the next ready job."""
    plan, dispatch = retry_conflicts(app.uow, lambda uow: plans.run_next(uow, principal, plan_id))
    app.dispatch(dispatch)
    return plan


@router.post("/plans/{plan_id}/run-ready")
def run_ready(plan_id: Id, app: AppDep, principal: PrincipalDep) -> PlanPublic:
    """Queue every ready job and keep going as more become ready, until paused or waiting on approval."""
    plan, dispatch = retry_conflicts(app.uow, lambda uow: plans.run_ready(uow, principal, plan_id))
    app.dispatch(dispatch)
    return plan


@router.post("/plans/{plan_id}/pause")
def pause_plan(plan_id: Id, app: AppDep, principal: PrincipalDep) -> PlanPublic:
    """Start no new job (running ones finish)."""
    plan, _ = retry_conflicts(app.uow, lambda uow: plans.set_state(uow, principal, plan_id, PlanState.PAUSED))
    return plan


@router.post("/plans/{plan_id}/resume")
def resume_plan(plan_id: Id, app: AppDep, principal: PrincipalDep) -> PlanPublic:
    plan, dispatch = retry_conflicts(
        app.uow, lambda uow: plans.set_state(uow, principal, plan_id, PlanState.ACTIVE)
    )
    app.dispatch(dispatch)
    return plan


@router.post("/plans/{plan_id}/jobs/{job_id}/retry")
def retry_job(plan_id: Id, job_id: Id, app: AppDep, principal: PrincipalDep) -> JobPublic:
    """Run a failed or blocked job again (attempts start over)."""
    job, dispatch = retry_conflicts(app.uow, lambda uow: plans.retry_job(uow, principal, plan_id, job_id))
    app.dispatch(dispatch)
    return job


@router.get("/plans/{plan_id}/events", response_class=StreamingResponse)
async def plan_events(
    plan_id: Id,
    request: Request,
    app: AppDep,
    principal: PrincipalDep,
    timeout_s: Annotated[float, Query(gt=0, le=3600)] = 600,
) -> StreamingResponse:
    """Server-sent events: the plan as JSON whenever it changes, until nothing can move without a
    person (no job ready or running) or `timeout_s` passes."""

    def snapshot() -> PlanPublic:
        with app.uow() as uow:
            return plans.get_plan(uow, principal, plan_id)

    first = await asyncio.to_thread(snapshot)  # 404 before the stream starts

    async def stream() -> AsyncIterator[str]:
        last = ""
        plan = first
        deadline = time.monotonic() + timeout_s
        while True:
            body = plan.model_dump_json()
            if body != last:
                yield f"event: plan\ndata: {body}\n\n"
                last = body
            finished = is_settled(plan) or time.monotonic() > deadline
            if finished or await request.is_disconnected():
                yield f"event: done\ndata: {json.dumps({'plan_id': plan_id})}\n\n"
                return
            await asyncio.sleep(0.25)
            plan = await asyncio.to_thread(snapshot)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
