"""Autonomy (SPEC §1 tab 9, §5): the generation plan as a job DAG — run, pause, retry, watch progress."""

from __future__ import annotations

import time

import streamlit as st

from aicmo.domain.schemas.plans import JobPublic, PlanPublic, PlanRunResult
from aicmo.domain.schemas.resources import AutonomyLevel, EngagementPublic
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError, ApiUnreachable
from aicmo.entrypoints.console.components import plan as plan_view
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import intro, needs_engagement, show_api_error

LABEL = "Autonomy"
POLL_SECONDS = 1.5
WATCH_AFTER_ACTION_S = 20
LEVELS = {
    "manual": "every artifact waits for a human approval",
    "assisted": "approve automatically when every quality gate passes; otherwise wait",
    "full": "assisted, and carry on through delivery",
}


def render(api: ApiClient) -> None:
    intro(
        "The generation plan as a job DAG: run the next job or everything ready, pause, retry, "
        "watch progress."
    )
    selection = state.current()
    if selection.engagement is None:
        needs_engagement()
        return
    engagement = selection.engagement
    state.show_flashes("autonomy")
    _level(api, engagement)
    plan = api.engagement_plan(engagement.id)
    if plan is None:
        st.info(
            "No generation plan yet: it appears once the intake is approved (Client Intake → Approve brief). "
            "Until then, generate each module from its own tab.",
            icon=":material/account_tree:",
        )
        _plan_document(api)
        return
    _controls(api, plan)
    _live(api, plan)
    with st.expander("Switch jobs on or off"):
        plan_view.checklist(api, plan, key="autonomy:check")
    _plan_document(api)


def _level(api: ApiClient, engagement: EngagementPublic) -> None:
    current = engagement.autonomy_level.value
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
    chosen = row.segmented_control(
        "Autonomy level",
        [level.value for level in AutonomyLevel],
        default=current,
        key=f"autonomy:level:{engagement.id}:{current}",
    )
    row.caption(f"**{chosen or current}**: {LEVELS.get(chosen or current, '')}")
    if chosen and chosen != current:
        try:
            api.update_engagement(engagement.id, autonomy_level=chosen)
        except ApiError as exc:
            show_api_error(exc, what="autonomy level")
            return
        state.flash("autonomy", "success", f"Autonomy level set to {chosen}.")
        st.rerun()


def _controls(api: ApiClient, plan: PlanPublic) -> None:
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    ready = [j for j in plan.jobs if j.enabled and j.status.value == "ready"]
    paused = plan.state.value == "paused"
    if row.button(
        "Run next",
        key="autonomy:next",
        type="primary",
        disabled=paused or not ready,
        icon=":material/play_arrow:",
    ):
        _act(api, plan.id, "run-next")
    if row.button(
        f"Run all ready ({len(ready)})",
        key="autonomy:ready",
        disabled=paused or not ready,
        icon=":material/fast_forward:",
    ):
        _act(api, plan.id, "run-ready")
    if paused:
        if row.button("Resume", key="autonomy:resume", icon=":material/play_circle:"):
            _act(api, plan.id, "resume")
    elif row.button("Pause", key="autonomy:pause", icon=":material/pause:"):
        _act(api, plan.id, "pause")
    failed = [j for j in plan.jobs if j.status.value == "failed"]
    if failed:
        with row:
            job_id = st.selectbox(
                "Failed job",
                [j.id for j in failed],
                key="autonomy:failed",
                format_func=lambda i: next((j.title for j in failed if j.id == i), i),
                width=260,
            )
            if st.button("Retry", key="autonomy:retry", icon=":material/replay:"):
                _act(api, plan.id, "retry", job_id=job_id)
    if paused:
        st.warning("The plan is paused: no job starts until you resume it.", icon=":material/pause_circle:")


def _act(api: ApiClient, plan_id: str, action: str, job_id: str | None = None) -> None:
    try:
        result = api.retry_job(plan_id, job_id) if job_id else api.plan_action(plan_id, action)
    except ApiError as exc:
        show_api_error(exc, what=action.replace("-", " "))
        return
    message = _describe(action, result)
    state.flash("autonomy", "success", message or "Done.")
    st.session_state["autonomy:watch_until"] = time.time() + WATCH_AFTER_ACTION_S
    st.rerun()


def _describe(action: str, result: object) -> str:
    if isinstance(result, PlanRunResult):
        return result.message
    if isinstance(result, JobPublic):
        return f"Retrying “{result.title}”."
    return {
        "run-next": "Started the next ready job.",
        "run-ready": "Started every ready job; more start as their inputs are approved.",
        "pause": "Paused: no new job starts.",
        "resume": "Resumed.",
    }.get(action, "Done.")


def _active(plan: PlanPublic) -> bool:
    return any(j.status.value == "running" for j in plan.jobs)


def _live(api: ApiClient, plan: PlanPublic) -> None:
    """Progress bar, job table and DAG; refreshed every POLL_SECONDS while jobs run."""
    watching = _active(plan) or time.time() < st.session_state.get("autonomy:watch_until", 0)

    @st.fragment(run_every=POLL_SECONDS if watching else None)
    def live_view() -> None:
        api.clear_cache()
        try:
            current = api.get_plan(plan.id)
        except (ApiError, ApiUnreachable) as exc:
            st.warning(f"Could not refresh the plan: {getattr(exc, 'message', None) or exc}")
            return
        plan_view.progress(current)
        table, graph = st.tabs(["Jobs by module", "DAG"])
        with table:
            plan_view.jobs_table(current)
        with graph:
            st.graphviz_chart(plan_view.dag(current), width="stretch")
        if (
            watching
            and not _active(current)
            and time.time() >= st.session_state.get("autonomy:watch_until", 0)
        ):
            st.rerun(scope="app")

    live_view()


def _plan_document(api: ApiClient) -> None:
    st.markdown("##### Plan document")
    st.caption(
        "The plan as a reviewed artifact (jobs, stages, dependencies), generated from the approved brief."
    )
    artifact_flow(api, "autonomy", preview=previews.autonomy, generate_label="Generate plan document")
