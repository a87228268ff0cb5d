"""Campaigns (SPEC §1 tab 2, §6): create a campaign, generate its posts, review them one by one, execute
in proof or manual mode, and close it with the checklist. Live publishing is not built yet."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from aicmo.domain.campaigns import ExecutionMode, ItemStatus
from aicmo.domain.channels import channel, posting_platforms
from aicmo.domain.schemas.campaigns import CampaignItemPublic, CampaignPublic
from aicmo.domain.schemas.intake import Platform
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import intro, needs_engagement, not_built, show_api_error

LABEL = "Campaigns"
SCOPE = "campaigns"
POSTING = posting_platforms(list(Platform))


def render(api: ApiClient) -> None:
    intro(
        "A campaign is a reviewed push of posts: create it, generate its posts from the approved "
        "strategy and creatives, approve or reject each with a reason, execute, and close the checklist."
    )
    selection = state.current()
    if selection.engagement_id is None:
        needs_engagement()
        return
    state.show_flashes(SCOPE)
    try:
        campaigns = api.list_campaigns(selection.engagement_id)
    except ApiError as exc:
        show_api_error(exc, what="load the campaigns")
        return
    _create(api, selection.engagement_id)
    if not campaigns:
        st.caption("No campaign yet for this engagement: create one above.")
    else:
        by_label = {f"{c.name} ({c.mode.value}, {c.start_date} to {c.end_date})": c for c in campaigns}
        chosen = by_label[st.selectbox("Campaign", list(by_label), key="campaigns:chosen")]
        _campaign(api, chosen)
    not_built("live publishing", ["publishing through a webhook or e-mail adapter (live mode)"])


def _create(api: ApiClient, engagement_id: str) -> None:
    with st.expander("New campaign", icon=":material/add:"), st.form("campaigns:create", border=False):
        name = st.text_input("Name")
        objective = st.text_input("Objective", placeholder="e.g. booked consultations")
        labels = {channel(p).name: p for p in POSTING}
        chosen = st.multiselect("Platforms", list(labels))
        cols = st.columns(3)
        start = cols[0].date_input("Start", value=date.today())
        end = cols[1].date_input("End", value=date.today() + timedelta(weeks=3))
        per_week = cols[2].number_input("Posts a week per platform", 1, 14, 2)
        mode = st.radio(
            "Execution", [m.value for m in ExecutionMode if m is not ExecutionMode.LIVE], horizontal=True
        )
        audience = st.number_input("Followers (proof simulation)", 1, 1_000_000_000, 2_000)
        if st.form_submit_button("Create campaign", icon=":material/add:"):
            platforms = [labels[c].value for c in chosen]
            body = {
                "engagement_id": engagement_id,
                "name": name,
                "objective": objective,
                "platforms": platforms,
                "cadence": dict.fromkeys(platforms, int(per_week)),
                "start_date": str(start),
                "end_date": str(end),
                "mode": mode,
                "audience": int(audience),
            }
            try:
                created = api.create_campaign(body)
            except ApiError as exc:
                show_api_error(exc, what="create the campaign")
                return
            state.flash(SCOPE, "success", f"Campaign '{created.name}' created.")
            st.rerun()


def _campaign(api: ApiClient, campaign: CampaignPublic) -> None:
    counts = " · ".join(f"{status} {n}" for status, n in sorted(campaign.counts.items())) or "no items yet"
    st.markdown(f"**{campaign.name}**: {campaign.objective} — {counts}")
    try:
        items = api.campaign_items(campaign.id)
    except ApiError as exc:
        show_api_error(exc, what="load the items")
        return
    if not items:
        if st.button("Generate posts", key="campaigns:generate", icon=":material/auto_awesome:"):
            _act(api, f"/campaigns/{campaign.id}/generate", None, "Posts generated.", "generate the posts")
        return
    _queue(api, campaign, items)
    _execute(api, campaign, items)
    _checklist(api, campaign)


def _queue(api: ApiClient, campaign: CampaignPublic, items: list[CampaignItemPublic]) -> None:
    st.markdown("##### Review queue")
    st.dataframe(
        [
            {
                "when": i.scheduled_at.strftime("%a %d %b %H:%M"),
                "platform": channel(i.platform).name,
                "status": i.status.value,
                "v": i.version,
                "length": f"{i.length}/{i.limit}",
                "pillar": i.pillar,
                "format": i.format,
                "caption": i.text[:120],
                "findings": "; ".join(f.message for f in i.findings),
                "reason": i.reason,
            }
            for i in items
        ],
        hide_index=True,
        width="stretch",
    )
    pending = [i for i in items if i.status is ItemStatus.PENDING and not i.findings]
    if pending and st.button(
        f"Approve all {len(pending)} pending", key="campaigns:approve-all", icon=":material/done_all:"
    ):
        _act(
            api,
            f"/campaigns/{campaign.id}/approve",
            {"item_ids": [i.id for i in pending]},
            "Approved.",
            "approve",
        )
    open_items = [i for i in items if i.status is not ItemStatus.PUBLISHED]
    if not open_items:
        return
    by_label = {
        f"{i.scheduled_at:%d %b %H:%M} · {channel(i.platform).name} · {i.status.value} v{i.version}": i
        for i in open_items
    }
    item = by_label[st.selectbox("Item", list(by_label), key="campaigns:item")]
    text = st.text_area(
        f"Caption ({item.length}/{item.limit} on {channel(item.platform).name})",
        item.text,
        key=f"campaigns:text:{item.id}:{item.version}",
        height=180,
    )
    reason = st.text_input("Reason (required to reject)", key=f"campaigns:reason:{item.id}")
    cols = st.columns(3)
    if cols[0].button("Approve", key="campaigns:approve", disabled=item.status is not ItemStatus.PENDING):
        _act(
            api,
            f"/campaign-items/{item.id}/approve",
            {"expected_version": item.version},
            "Item approved.",
            "approve",
        )
    if cols[1].button("Reject", key="campaigns:reject"):
        _act(
            api,
            f"/campaign-items/{item.id}/reject",
            {"expected_version": item.version, "reason": reason},
            "Item rejected.",
            "reject",
        )
    if cols[2].button("Save revision", key="campaigns:revise", disabled=text == item.text):
        _act(
            api,
            f"/campaign-items/{item.id}/revise",
            {"expected_version": item.version, "text": text},
            "Revision saved.",
            "revise",
        )


def _execute(api: ApiClient, campaign: CampaignPublic, items: list[CampaignItemPublic]) -> None:
    approved = [i for i in items if i.status is ItemStatus.APPROVED]
    if campaign.mode is ExecutionMode.PROOF:
        st.markdown("##### Proof run (simulated: nothing is posted)")
        if st.button(
            f"Simulate {len(approved)} approved posts", key="campaigns:proof", disabled=not approved
        ):
            _act(api, f"/campaigns/{campaign.id}/proof", None, "Proof run done (simulated).", "run the proof")
        return
    if campaign.mode is ExecutionMode.MANUAL and approved:
        st.markdown("##### Post by hand")
        by_label = {f"{i.scheduled_at:%d %b %H:%M} · {channel(i.platform).name}": i for i in approved}
        item = by_label[st.selectbox("Approved item", list(by_label), key="campaigns:manual")]
        st.markdown("\n".join(f"{n}. {step}" for n, step in enumerate(item.posting_steps, start=1)))
        st.code(f"{item.text}\n\n{' '.join(item.hashtags)}".strip(), language=None)
        url = st.text_input("Live post URL", key=f"campaigns:url:{item.id}")
        if st.button("Record as published", key="campaigns:published", disabled=not url.strip()):
            _act(
                api,
                f"/campaign-items/{item.id}/published",
                {"url": url},
                "Recorded as published.",
                "record the URL",
            )


def _checklist(api: ApiClient, campaign: CampaignPublic) -> None:
    try:
        checklist = api.campaign_checklist(campaign.id)
    except ApiError as exc:
        show_api_error(exc, what="load the checklist")
        return
    st.markdown("##### Execution checklist" + (" — completed" if checklist.completed else ""))
    st.dataframe(
        [
            {
                "platform": channel(line.platform).name,
                "items": line.items,
                "approved": line.approved,
                "published": line.published,
                "URLs recorded": line.urls_recorded,
                "done": "yes" if line.done else "no",
            }
            for line in checklist.lines
        ],
        hide_index=True,
        width="stretch",
    )
    if checklist.simulated_reach is not None:
        st.caption(
            f"Simulated reach {checklist.simulated_reach:,} and engagements "
            f"{checklist.simulated_engagements:,} (a documented model, not measured results)."
        )


def _act(api: ApiClient, path: str, body: dict | None, done: str, what: str) -> None:
    try:
        api.campaign_action(path, body)
    except ApiError as exc:
        show_api_error(exc, what=what)
        return
    state.flash(SCOPE, "success", done)
    st.rerun()
