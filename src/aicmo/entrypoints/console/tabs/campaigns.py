"""Campaigns (SPEC §1 tab 2, §6): management comes later; today the engagement's plan is the campaign."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from aicmo.domain.schemas.execution import Execution
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient
from aicmo.entrypoints.console.components.common import intro, needs_engagement, not_built, status_badge

LABEL = "Campaigns"


def render(api: ApiClient) -> None:
    intro("Campaigns group posts into a reviewed, scheduled push with an execution checklist.")
    not_built(
        "campaign management",
        [
            "creating a campaign (objectives, platforms, cadence, dates) and its review queue",
            "approving or rejecting each item with a reason; proof, copy-paste and live posting modes",
            "the execution checklist that closes a campaign",
            "what works today: the engagement's execution plan (below) is its campaign; "
            "generate and approve it in **Execution**",
        ],
    )
    selection = state.current()
    if selection.engagement_id is None:
        needs_engagement()
        return
    artifact = api.find_artifact(selection.engagement_id, "execution")
    st.markdown("##### This engagement's campaign content")
    if artifact is None:
        st.caption(
            "No execution plan yet: generate it in **Execution** once strategy and creatives are approved."
        )
        return
    st.markdown(f"Execution plan {status_badge(artifact.status.value)} version {artifact.version}")
    try:
        plan = Execution.model_validate(artifact.content)
    except ValueError:
        st.caption("The execution content could not be read as a calendar.")
        return
    per_platform = Counter(p.platform.value for p in plan.posts)
    cols = st.columns(max(1, min(5, len(per_platform) + 1)))
    cols[0].metric("Posts", len(plan.posts))
    for col, (platform, count) in zip(cols[1:], sorted(per_platform.items()), strict=False):
        col.metric(platform, count)
    st.caption(f"From {plan.window_start} to {plan.window_end} ({plan.timezone}).")
