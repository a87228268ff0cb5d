"""Projects (SPEC §7 operator views): every engagement's stage, derived from its artifacts, with its
lead, campaign and performance-data counts; and for the engagement chosen in the sidebar, the PM
view, the analytics dashboard and the view across every module."""

from __future__ import annotations

import streamlit as st

from aicmo.domain.modules import DELIVERED, MODULE_TITLES
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import intro, needs_engagement, show_api_error
from aicmo.entrypoints.console.components.operator import dashboard_section, overview_section, pm_section

LABEL = "Projects"


def render(api: ApiClient) -> None:
    intro("Every engagement at a glance: where it stands (the first step not approved yet) and its numbers.")
    pipeline_tab, pm_tab, dashboard_tab, engagement_tab = st.tabs(
        ["Pipeline", "PM view", "Dashboard", "Engagement"]
    )
    with pipeline_tab:
        _pipeline(api)
    engagement_id = state.current().engagement_id
    for tab, section in (
        (pm_tab, pm_section),
        (dashboard_tab, dashboard_section),
        (engagement_tab, overview_section),
    ):
        with tab:
            if engagement_id is None:
                needs_engagement()
            else:
                section(api, engagement_id)


def _pipeline(api: ApiClient) -> None:
    try:
        pipeline = api.pipeline()
    except ApiError as exc:
        show_api_error(exc, what="load the projects")
        return
    if not pipeline.projects:
        st.caption("No engagements yet: create a client and an engagement in the sidebar.")
        return
    cols = st.columns(min(5, len(pipeline.by_stage)) or 1)
    for col, (stage, count) in zip(
        cols, sorted(pipeline.by_stage.items(), key=lambda kv: -kv[1]), strict=False
    ):
        col.metric(stage, count)
    st.dataframe(
        [
            {
                "client": p.client_name,
                "engagement": p.engagement_name,
                "window": f"{p.start_date} to {p.end_date}" if p.start_date else "start not set",
                "stage": p.stage,
                **{MODULE_TITLES[m]: p.statuses.get(m.value, "—").replace("_", " ") for m in DELIVERED},
                "leads": p.leads,
                "campaigns": f"{p.campaigns_completed}/{p.campaigns} done" if p.campaigns else "—",
                "metric rows": p.metric_rows or "no data",
                "last change": p.updated_at.strftime("%Y-%m-%d %H:%M") if p.updated_at else "—",
            }
            for p in pipeline.projects
        ],
        hide_index=True,
        width="stretch",
    )
