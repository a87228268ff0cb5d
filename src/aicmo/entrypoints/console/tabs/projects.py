"""Projects (SPEC §7 operator views): every engagement's stage, derived from its artifacts, with its
lead, campaign and performance-data counts; pick one to open it in the other tabs."""

from __future__ import annotations

import streamlit as st

from aicmo.domain.modules import DELIVERED, MODULE_TITLES
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import intro, show_api_error

LABEL = "Projects"


def render(api: ApiClient) -> None:
    intro("Every engagement at a glance: where it stands (the first step not approved yet) and its numbers.")
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
