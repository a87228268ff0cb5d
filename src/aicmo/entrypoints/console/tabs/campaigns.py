"""Campaigns (SPEC §1 tab 2, §6): create a campaign, generate its posts, review them one by one (reject
with a reason, revise or regenerate, approve), execute in proof, manual or live mode (publishing jobs
with their failures and a retry), and close it with the checklist."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from aicmo.domain.campaigns import Channel, ExecutionMode, ItemStatus, PublishStatus
from aicmo.domain.channels import channel, posting_platforms
from aicmo.domain.schemas.campaigns import CampaignItemPublic, CampaignPublic
from aicmo.domain.schemas.intake import Platform
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import intro, needs_engagement, show_api_error

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
            "Execution",
            [m.value for m in ExecutionMode],
            horizontal=True,
            help="proof: simulated, nothing posted · manual: you post and record the URL · live: a "
            "publishing adapter sends each approved post",
        )
        live_channel = st.radio("Live publishing through", [c.value for c in Channel], horizontal=True)
        destination = st.text_input(
            "Destination",
            key="campaigns:destination",
            placeholder="https://hooks.example.com/… or posts@client.example",
            help="Live mode: this client's webhook URL (webhook) or e-mail address (e-mail). Empty: the "
            "deployment's default destination. A URL is shown masked once saved.",
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
                "channel": live_channel,
                "destination": destination.strip(),
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
    if campaign.mode is ExecutionMode.LIVE:
        st.caption(f"Live posts go {_destination(campaign)} ({campaign.channel.value}).")
        _change_destination(api, campaign)
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
    cols = st.columns(4)
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
    if cols[3].button(
        "Regenerate",
        key="campaigns:regenerate",
        disabled=item.status is not ItemStatus.REJECTED,
        help="Rewrite a rejected item with the same generator and quality gates (a new version).",
    ):
        _act(
            api,
            f"/campaign-items/{item.id}/regenerate",
            {"expected_version": item.version},
            "Item regenerated: a new version waits for review.",
            "regenerate",
        )
    if len(item.history) > 1:
        with st.expander(f"History ({len(item.history)} entries)"):
            for entry in item.history:
                extra = entry.get("reason") or entry.get("provider_id") or entry.get("url") or ""
                st.markdown(
                    f"- {str(entry.get('at', ''))[:16]} · **{entry.get('action')}** v{entry.get('version')} "
                    f"by {entry.get('by', '')}" + (f" — {extra}" if extra else "")
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
    if campaign.mode is ExecutionMode.LIVE:
        _live(api, campaign, approved)
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


def _live(api: ApiClient, campaign: CampaignPublic, approved: list[CampaignItemPublic]) -> None:
    st.markdown(f"##### Live publishing ({campaign.channel.value})")
    st.caption(
        "Each approved version is sent once through the adapter, signed and with an idempotency key; "
        "it counts as published only when the provider answers with its own id."
    )
    if campaign.channel is Channel.WEBHOOK:
        _receiver_key(api)
    at_schedule = st.checkbox("Hold each post until its scheduled time", key="campaigns:at-schedule")
    if st.button(
        f"Publish {len(approved)} approved posts",
        key="campaigns:publish",
        disabled=not approved,
        icon=":material/send:",
    ):
        _act(
            api,
            f"/campaigns/{campaign.id}/publish",
            {"at_schedule": at_schedule},
            "Queued for publishing.",
            "publish",
        )
    try:
        jobs = api.publish_jobs(campaign.id)
    except ApiError as exc:
        show_api_error(exc, what="load the publishing jobs")
        return
    if not jobs:
        return
    st.dataframe(
        [
            {
                "item": j.item_id,
                "v": j.version,
                "status": j.status.value,
                "attempts": j.attempts,
                "provider id": j.provider_id,
                "error": j.error,
            }
            for j in jobs
        ],
        hide_index=True,
        width="stretch",
    )
    failed = [j for j in jobs if j.status is PublishStatus.FAILED]
    if failed:
        st.error(f"{len(failed)} post(s) failed to publish and are not marked published.")
        by_label = {f"{j.item_id} v{j.version}: {j.error[:80]}": j for j in failed}
        job = by_label[st.selectbox("Failed post", list(by_label), key="campaigns:failed")]
        if st.button("Retry", key="campaigns:retry", icon=":material/replay:"):
            _act(api, f"/publish-jobs/{job.id}/retry", None, "Queued again.", "retry")


def _receiver_key(api: ApiClient) -> None:
    """What the client's endpoint checks each post with: a public key, so the client is given no secret."""
    try:
        key = api.webhook_signing_key()
    except ApiError as exc:
        show_api_error(exc, what="load the webhook's public key")
        return
    with st.expander("How the receiver checks a post came from us", icon=":material/verified_user:"):
        st.markdown(
            f"Every post carries `{key.header}`: an {key.algorithm} signature of "
            f"`{key.signed}`. Give the client's developer this public key (it signs nothing):"
        )
        st.code(key.public_key, language=None)


def _change_destination(api: ApiClient, campaign: CampaignPublic) -> None:
    """A URL typed wrong or the client's new hook: the next posts go to the new destination."""
    with (
        st.expander("Change destination", icon=":material/edit:"),
        st.form(f"campaigns:destination:{campaign.id}", border=False),
    ):
        new = st.text_input(
            "New destination",
            placeholder="https://hooks.example.com/… or posts@client.example",
            help="Empty: the deployment's default destination. A post being sent right now keeps "
            "the destination it was sent to.",
        )
        if st.form_submit_button("Save destination", icon=":material/save:"):
            body = {"expected_version": campaign.version, "destination": new.strip()}
            try:
                api.update_campaign(campaign.id, body)
            except ApiError as exc:
                show_api_error(exc, what="change the destination")
                return
            state.flash(SCOPE, "success", "Destination changed: the next posts go there.")
            st.rerun()


def _destination(campaign: CampaignPublic) -> str:
    """Where live posts go, as the API shows it (a webhook URL masked, never its token)."""
    if campaign.own_destination:
        return f"to this campaign's own destination `{campaign.destination}`"
    return "to the deployment's default destination"


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
