"""Delivery (SPEC §1 tab 8): the manifest and its checks, the delivery summary, exports, client review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from aicmo.domain.modules import PROGRESS_LIST, REQUIRED_IN_DELIVERY
from aicmo.domain.schemas.exports import DeliveryManifest, ExportPublic
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError, NotAvailable
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import (
    MODULE_TITLES,
    badge,
    fmt_dt,
    intro,
    needs_engagement,
    not_built,
    reviewed,
    show_api_error,
    status_badge,
)

LABEL = "Delivery"
SCOPE = "delivery:exports"
FORMATS = [
    ("PDF", "PDF report"),
    ("PPTX", "PPTX deck"),
    ("ZIP", "Asset ZIP"),
    ("MD", "Markdown"),
    ("JSON", "JSON"),
]
REQUIRED = [m.value for m in REQUIRED_IN_DELIVERY]


def render(api: ApiClient) -> None:
    intro(
        "What the client receives: the approved artifacts, the checks, the exports, and the client's review."
    )
    selection = state.current()
    if selection.engagement_id is None:
        needs_engagement()
        return
    engagement_id = selection.engagement_id
    try:
        manifest = api.delivery_manifest(engagement_id)
    except NotAvailable:
        manifest = None
    state.show_flashes(SCOPE)
    if manifest is None:
        _simple_manifest(api, engagement_id)
    else:
        _manifest(manifest)
    if reviewed({a.type.value: a for a in api.list_artifacts(engagement_id)}):
        # a regulated brief: its content reviewed against the brief's compliance rules
        st.markdown("#### Compliance review")
        artifact_flow(api, "compliance", preview=previews.compliance, generate_label="Run compliance review")
    st.markdown("#### Delivery summary")
    artifact_flow(api, "delivery", preview=previews.delivery, generate_label="Generate delivery summary")
    if manifest is None:
        not_built(
            "document exports", ["the PDF report, the PPTX deck and the asset ZIP are not in this build"]
        )
        return
    st.markdown("#### Exports")
    _exports(api, engagement_id, manifest)
    st.markdown("#### Client review")
    _client_review(api, engagement_id)


# ---- manifest -------------------------------------------------------------------------------------
def _manifest(manifest: DeliveryManifest) -> None:
    head = (
        badge("ready to deliver", "green", "check_circle") if manifest.ready else badge("not ready", "orange")
    )
    st.markdown(
        f"#### Manifest &nbsp; {head}\n\n{manifest.client_name} · {manifest.engagement_name} · "
        f"{manifest.period_start:%d %b %Y} – {manifest.period_end:%d %b %Y} ({manifest.timezone})"
    )
    if not manifest.ready:
        st.warning(
            "**Delivery is blocked:**\n" + "\n".join(f"- {reason}" for reason in manifest.reasons),
            icon=":material/lock:",
        )
    left, right = st.columns([3, 2])
    with left:
        rows = [
            "| artifact | version | status | in delivery | approved |",
            "|---|---|---|---|---|",
        ]
        for entry in manifest.artifacts:
            approved = f"{entry.approved_by or ''} {fmt_dt(entry.approved_at)}" if entry.approved_at else "—"
            included = "yes" if entry.included else (entry.note or "no")
            rows.append(
                f"| {MODULE_TITLES.get(entry.type.value, entry.type.value)} | v{entry.version} | "
                f"{status_badge(entry.status.value)} | {included} | {approved} |"
            )
        st.markdown("\n".join(rows))
    with right:
        checks = "\n".join(
            f"- {':green[:material/check:]' if c.passed else ':orange[:material/close:]'} {c.title}"
            + ("" if c.passed else f" — {'; '.join(c.reasons)}")
            for c in manifest.checks
        )
        st.markdown(f"**Checks**\n\n{checks}")
        st.caption(f"Content hash `{manifest.content_hash[:16]}…`")


def _simple_manifest(api: ApiClient, engagement_id: str) -> None:
    """Without the delivery routes: the engagement's artifacts and whether each is approved."""
    artifacts = {a.type.value: a for a in api.list_artifacts(engagement_id)}
    rows = ["| artifact | version | status |", "|---|---|---|"]
    for module in [m.value for m in PROGRESS_LIST]:
        artifact = artifacts.get(module)
        status = status_badge(artifact.status.value) if artifact else ":gray[missing]"
        rows.append(f"| {MODULE_TITLES[module]} | {f'v{artifact.version}' if artifact else '—'} | {status} |")
    st.markdown("#### Manifest\n\n" + "\n".join(rows))
    blocked = [
        MODULE_TITLES[m]
        for m in REQUIRED
        if artifacts.get(m) is None or artifacts[m].status.value != "approved"
    ]
    if blocked:
        st.caption("Not ready to deliver: " + ", ".join(f"{b} must be approved" for b in blocked) + ".")


# ---- exports --------------------------------------------------------------------------------------
def _exports(api: ApiClient, engagement_id: str, manifest: DeliveryManifest) -> None:
    required = {o.format.value for o in manifest.outputs if o.required}
    why = None if manifest.ready else "Blocked: " + "; ".join(manifest.reasons)
    row = st.container(horizontal=True, gap="small")
    for fmt, label in FORMATS:
        text = label + (" ★" if fmt in required else "")
        if row.button(
            f"Export {text}",
            key=f"delivery:export:{fmt}",
            disabled=not manifest.ready,
            help=why,
            icon=":material/file_export:",
            type="primary" if fmt in required else "secondary",
        ):
            _create_export(api, engagement_id, fmt)
    st.caption("★ asked for in the brief. Every export is stored, with who made it and from which versions.")
    exports = api.list_exports(engagement_id)
    if not exports:
        st.caption("No exports yet.")
        return
    for export in exports[:10]:
        cols = st.columns([3, 2, 2, 1.3], vertical_alignment="center")
        versions = ", ".join(f"{k} v{v}" for k, v in export.artifact_versions.items())
        name = (
            f"~~{export.filename}~~ :orange-badge[superseded]"
            if export.superseded
            else f"**{export.filename}**"
        )
        cols[0].markdown(f"{name}  \n:gray[{versions}]")
        cols[1].markdown(f"{export.format.value} · {export.bytes / 1024:.0f} KB")
        cols[2].markdown(f":gray[{export.created_by}  \n{fmt_dt(export.created_at)}]")
        cols[3].download_button(
            "Download",
            _fetch(api, export),
            file_name=export.filename,
            mime=export.media_type,
            key=f"delivery:dl:{export.id}",
            icon=":material/download:",
            on_click="ignore",
        )


def _fetch(api: ApiClient, export: ExportPublic) -> Callable[[], bytes]:
    return lambda: api.download(f"/api/v1/exports/{export.id}/download")


def _create_export(api: ApiClient, engagement_id: str, fmt: str) -> None:
    try:
        with st.spinner(f"Rendering the {fmt}…"):
            export = api.create_export(engagement_id, fmt)
    except ApiError as exc:
        show_api_error(exc, what=f"export {fmt}")
        return
    state.flash(
        SCOPE, "success", f"Exported {export.filename} ({export.bytes / 1024:.0f} KB): download it below."
    )
    st.rerun()


# ---- client review --------------------------------------------------------------------------------
DECISIONS = {
    "approve": ("approved", "green"),
    "request_changes": ("changes requested", "orange"),
    "reject": ("rejected", "red"),
}


def _client_review(api: ApiClient, engagement_id: str) -> None:
    _overdue(api, engagement_id)
    left, right = st.columns([2, 3])
    with left, st.form("delivery:share", border=True):
        st.markdown(
            "**Share with the client**: a signed link to a review page (no login, fits a phone) where "
            "the client reads each deliverable, downloads the PDF and approves, requests changes or "
            "rejects each one."
        )
        hours = st.number_input("Valid for (hours)", 1, 720, 72, key="delivery:share:hours")
        due = st.date_input(
            "Review due by", value=None, min_value=date.today(), key="delivery:share:due", format="YYYY-MM-DD"
        )
        if st.form_submit_button("Create review link", icon=":material/share:"):
            try:
                link = api.create_share_link(engagement_id, int(hours), due)
            except ApiError as exc:
                show_api_error(exc, what="share link")
            else:
                st.session_state[f"delivery:link:{engagement_id}"] = (
                    link.url or f"{api.base_url}{link.url_path}",
                    link.expires_at,
                    link.review_due,
                )
    link = st.session_state.get(f"delivery:link:{engagement_id}")
    if link:
        left.code(link[0], language=None, wrap_lines=True)
        due_text = f" Review due {link[2]:%d %b %Y}." if len(link) > 2 and link[2] else ""
        left.caption(
            f"Expires {fmt_dt(link[1])}.{due_text} Anyone with the link sees the delivered work; set "
            "AICMO_PUBLIC_URL when clients reach the API through a proxy or another address."
        )
    with left:
        _links(api, engagement_id)
    with right:
        reviews = api.client_reviews(engagement_id)
        if not reviews:
            st.caption("No client review yet.")
            return
        rows = [
            "| when | reviewer | deliverable | decision | comment |",
            "|---|---|---|---|---|",
        ]
        for review in reviews[:20]:
            word, colour = DECISIONS.get(review.decision.value, (review.decision.value, "gray"))
            decision = badge(word, colour)
            if review.superseded:
                decision += f" :gray[(v{review.current_version} since)]"
            comment = (review.comment or "").replace("|", "/").replace("\n", " ")[:200]
            kind = review.artifact_type or "—"
            what = f"{MODULE_TITLES.get(kind, kind)} v{review.version or ''}"
            rows.append(f"| {fmt_dt(review.at)} | {review.reviewer} | {what} | {decision} | {comment} |")
        st.markdown("**Client decisions** (newest first)\n\n" + "\n".join(rows))


LINK_STATES = {"active": ":green[active]", "expired": ":gray[expired]", "revoked": ":red[revoked]"}


def _links(api: ApiClient, engagement_id: str) -> None:
    """The review links issued, each revocable on its own."""
    try:
        links = api.share_links(engagement_id)
    except NotAvailable:
        return
    if not links:
        return
    st.markdown("**Review links**")
    for link in links[:10]:
        due = f" · due {link.review_due:%d %b}" if link.review_due else ""
        shown = LINK_STATES[link.state]
        late = " · :orange[overdue]" if link.overdue else ""
        cols = st.columns([3, 1.2], vertical_alignment="center")
        cols[0].markdown(
            f"`{link.link_id}` {shown}{late}  \n:gray[made {fmt_dt(link.created_at)}, "
            f"expires {fmt_dt(link.expires_at)}{due}]"
        )
        if link.state == "active" and cols[1].button(
            "Revoke", key=f"delivery:revoke:{link.link_id}", icon=":material/link_off:"
        ):
            try:
                api.revoke_share_link(engagement_id, link.link_id)
            except ApiError as exc:
                show_api_error(exc, what="revoke")
            else:
                done = f"Link {link.link_id} revoked: the client now sees that it was withdrawn."
                state.flash(SCOPE, "success", done)
                st.rerun()


def _overdue(api: ApiClient, engagement_id: str) -> None:
    """Reviews past their due date with deliverables still awaiting the client."""
    try:
        overdue = api.overdue_reviews(engagement_id)
    except NotAvailable:
        return
    for review in overdue:
        days = f"{review.days_overdue} day{'s' if review.days_overdue != 1 else ''}"
        st.warning(
            f"**Client review overdue by {days}** (due {review.review_due:%d %b %Y}, link "
            f"`{review.link_id}`): still awaiting {', '.join(review.pending)}.",
            icon=":material/schedule:",
        )
