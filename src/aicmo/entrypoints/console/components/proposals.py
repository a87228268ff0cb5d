"""Proposals beside an amended artifact (issue 16): what the plan regenerated, kept apart.

A plan job never overwrites a person's edit: when it regenerates a module someone amended, the
result waits here with its difference from the current version. Accept it whole (a new version),
merge chosen fields of it into the current content (an amendment), or discard it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from aicmo.domain.schemas.resources import ArtifactPublic
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import fmt_dt, show_api_error


def proposals_panel(api: ApiClient, module: str, artifact: ArtifactPublic) -> None:
    """The artifact's open proposal, if the plan left one; nothing otherwise."""
    try:
        open_ones = [p for p in api.open_proposals(artifact.engagement_id) if p.artifact_id == artifact.id]
    except ApiError as exc:
        show_api_error(exc, what="load proposals")
        return
    if not open_ones:
        return
    proposal = api.get_proposal(open_ones[0].id)
    with st.container(border=True):
        st.warning(
            f"**The plan regenerated this module, and kept your edits.** Proposal made "
            f"{fmt_dt(proposal.created_at)} beside v{proposal.base_version} "
            f"(now v{proposal.current_version}); it would change: "
            f"{', '.join(proposal.changed_fields) or 'nothing'}."
        )
        with st.expander("What the proposal changes", expanded=False):
            st.code(proposal.unified_diff or proposal.content_diff or "(no difference)", language="diff")
        fields = st.multiselect(
            "Merge only these fields (empty: accept the whole proposal)",
            proposal.changed_fields,
            key=f"{module}:proposal:{proposal.id}:fields",
        )
        accept, discard = st.columns(2)
        if accept.button(
            "Merge the chosen fields" if fields else "Accept the proposal",
            key=f"{module}:proposal:{proposal.id}:accept",
            type="primary",
        ):
            _decide(
                api, module, lambda: api.accept_proposal(proposal.id, artifact.version, fields), "accepted"
            )
        if discard.button("Discard it, keep my version", key=f"{module}:proposal:{proposal.id}:discard"):
            _decide(api, module, lambda: api.discard_proposal(proposal.id), "discarded")


def _decide(api: ApiClient, module: str, action: Callable[[], object], done: str) -> None:
    try:
        action()
    except ApiError as exc:
        show_api_error(exc, what="decide on the proposal")
        return
    state.flash(module, "success", f"Proposal {done}.")
    st.rerun()
