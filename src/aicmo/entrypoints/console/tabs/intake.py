"""Client Intake (SPEC §1 tab 3, §3): clients and engagements, the brief, validation, approval, the plan."""

from __future__ import annotations

from datetime import date

import streamlit as st

from aicmo.domain.brief_review import REVIEW_CODE
from aicmo.domain.schemas.generation import IntakeIssue, IntakeValidation
from aicmo.domain.schemas.resources import ArtifactPublic, AutonomyLevel, EngagementPublic
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components import plan as plan_view
from aicmo.entrypoints.console.components.artifact_panel import activity, debug_expander, history
from aicmo.entrypoints.console.components.common import fmt_dt, intro, show_api_error, status_badge
from aicmo.entrypoints.console.components.intake_form import RELOAD, BriefForm

LABEL = "Client Intake"
SCOPE = "intake"


def render(api: ApiClient) -> None:
    intro(
        "Onboard a client: fill in the brief, check it, save it and approve it. "
        "Approval unlocks everything else."
    )
    selection = state.current()
    state.show_flashes(SCOPE)
    _workspace(api, selection)
    if selection.client is None or selection.engagement is None:
        return
    engagement = selection.engagement
    artifact = api.find_artifact(engagement.id, "intake")
    form = BriefForm(engagement.id)
    defaults = {
        "client_name": selection.client.name,
        "website": selection.client.website,
        "industry": selection.client.industry,
        "duration_weeks": engagement.duration_weeks,
        "start_date": engagement.start_date.isoformat() if engagement.start_date else None,
        "languages": ["English"],
    }
    form.ensure_loaded(artifact.content if artifact else None, _marker(artifact), defaults)
    if st.session_state.get(form.prefix + "_live"):
        _revalidate(api, form)

    st.markdown("#### The brief")
    _status(artifact, form)
    form.render()
    _actions(api, form, engagement, artifact)
    _plan(api, engagement, artifact)
    if artifact is not None:
        with st.expander("Versions of the brief and their differences"):
            history(api, SCOPE, artifact, api.versions(artifact.id))
            activity(api, artifact)
        debug_expander(SCOPE, engagement.id, artifact)


# ---- client and engagement -------------------------------------------------------------------------
def _workspace(api: ApiClient, selection: state.Selection) -> None:
    with st.container(border=True):
        left, right = st.columns([3, 2])
        with left:
            if selection.client is None:
                st.markdown("**No client selected.** Create one here, or choose one in the sidebar.")
            else:
                engagement = selection.engagement.name if selection.engagement else "no engagement yet"
                st.markdown(f"**{selection.client.name}** · {engagement}")
                if selection.client.industry or selection.client.website:
                    st.caption(
                        " · ".join(x for x in (selection.client.industry, selection.client.website) if x)
                    )
        if selection.client is not None:
            with right:
                new_client, new_engagement = st.columns(2)
                with new_client.popover("New client", icon=":material/person_add:", width="stretch"):
                    _new_client_form(api)
                with new_engagement.popover("New engagement", icon=":material/add:", width="stretch"):
                    _new_engagement_form(api, selection.client.id)
        if selection.client is None:
            st.markdown("###### Create a client")
            with st.columns([3, 2])[0]:
                _new_client_form(api, key="intake:first-client")
        elif selection.engagement is None:
            st.markdown("###### Create an engagement for this client")
            with st.columns([3, 2])[0]:
                _new_engagement_form(api, selection.client.id, key="intake:first-engagement")


def _new_client_form(api: ApiClient, key: str = "intake:new-client") -> None:
    with st.form(key, clear_on_submit=False, border=False):
        name = st.text_input("Client name *", key=f"{key}:name")
        industry = st.text_input("Industry", key=f"{key}:industry", placeholder="e.g. E-commerce")
        website = st.text_input("Website", key=f"{key}:website", placeholder="https://…")
        engagement = st.text_input("First engagement", value="Launch plan", key=f"{key}:engagement")
        submitted = st.form_submit_button("Create client", type="primary", key=f"{key}:submit")
    if submitted:
        try:
            client = api.create_client(name, industry=industry, website=website)
            created = api.create_engagement(client.id, engagement or "Launch plan")
        except ApiError as exc:
            show_api_error(exc, what="create client")
            return
        state.choose(client.id, created.id)
        state.flash(
            SCOPE,
            "success",
            f"Created {client.name} with the engagement “{created.name}”. Fill in the brief.",
        )
        st.rerun()


def _new_engagement_form(api: ApiClient, client_id: str, key: str = "intake:new-engagement") -> None:
    with st.form(key, border=False):
        name = st.text_input("Engagement name *", key=f"{key}:name", placeholder="e.g. Q1 launch")
        start = st.date_input("Start date", value=None, key=f"{key}:start", format="YYYY-MM-DD")
        weeks = st.number_input("Duration (weeks)", 1, 104, 12, key=f"{key}:weeks")
        level = st.selectbox("Autonomy", [lvl.value for lvl in AutonomyLevel], key=f"{key}:level")
        submitted = st.form_submit_button("Create engagement", type="primary", key=f"{key}:submit")
    if submitted:
        try:
            created = api.create_engagement(
                client_id,
                name,
                start_date=start if isinstance(start, date) else None,
                duration_weeks=int(weeks),
                autonomy_level=level,
            )
        except ApiError as exc:
            show_api_error(exc, what="create engagement")
            return
        state.choose(client_id, created.id)
        state.flash(SCOPE, "success", f"Created the engagement “{created.name}”.")
        st.rerun()


# ---- the brief ------------------------------------------------------------------------------------
def _marker(artifact: ArtifactPublic | None) -> str:
    return f"{artifact.id}:v{artifact.version}" if artifact else "new"


def _status(artifact: ArtifactPublic | None, form: BriefForm) -> None:
    errors, warnings = form.issues()
    bits = []
    if artifact is None:
        bits.append(":gray[not saved yet]")
    else:
        bits.append(f"{status_badge(artifact.status.value)} version **{artifact.version}**")
        if artifact.status.value == "approved":
            bits.append(f":gray[approved by {artifact.approved_by} · {fmt_dt(artifact.approved_at)}]")
        else:
            bits.append(f":gray[saved {fmt_dt(artifact.updated_at)}]")
    if form.dirty():
        bits.append(":orange[unsaved changes]")
    if errors:
        bits.append(f":red[{len(errors)} error(s) to fix]")
    if warnings:
        bits.append(f":orange[{len(warnings)} warning(s)]")
    st.markdown(" &nbsp; ".join(bits))
    if errors:
        st.error(
            "**The brief has errors** — they are marked under each field: "
            + ", ".join(sorted({e.field or "brief" for e in errors})),
            icon=":material/error:",
        )


def _revalidate(api: ApiClient, form: BriefForm, *, review: bool = False) -> IntakeValidation:
    """Once the operator has checked the brief, keep the inline notes in step with every edit.

    The LLM review runs only when asked (it costs a call); its remarks stay beside the rules'
    warnings until the next review."""
    result = api.validate_intake(form.collect(), review=review)
    key = form.prefix + "_review"
    if review:
        st.session_state[key] = [w for w in result.warnings if w.code == REVIEW_CODE]
    kept = [] if review else st.session_state.get(key, [])
    form.set_issues(result.errors, result.warnings + kept)
    return result


def _review(api: ApiClient, form: BriefForm) -> None:
    st.session_state[form.prefix + "_live"] = True
    try:
        result = _revalidate(api, form, review=True)
    except ApiError as exc:
        show_api_error(exc, what="review the brief")
        return
    review = result.review
    if review is not None:
        kind: state.FlashKind = (
            "success" if review.state == "done" else "warning" if review.state == "failed" else "info"
        )
        by = f" ({review.provider} · {review.model})" if review.provider and review.state == "done" else ""
        state.flash(SCOPE, kind, review.detail + by)
    st.rerun()


def _actions(
    api: ApiClient, form: BriefForm, engagement: EngagementPublic, artifact: ArtifactPublic | None
) -> None:
    dirty = form.dirty()
    cols = st.columns([1, 1, 1.2, 1, 1.1, 1.6], vertical_alignment="center")
    if cols[0].button("Check brief", key="intake:validate", icon=":material/rule:"):
        st.session_state[form.prefix + "_live"] = True
        _revalidate(api, form)
        errors, warnings = form.issues()
        if not errors:
            state.flash(
                SCOPE,
                "success",
                "The brief is valid" + (f" ({len(warnings)} warning(s))." if warnings else "."),
            )
        st.rerun()
    if cols[1].button("Save draft", key="intake:save", type="primary", icon=":material/save:"):
        _save(api, form, engagement, artifact)
    status = artifact.status.value if artifact else None
    can_approve = artifact is not None and status in ("draft", "revised", "flagged_for_review") and not dirty
    approve_help = "Save the draft first" if dirty else None
    if cols[2].button(
        "Approve brief",
        key="intake:approve",
        disabled=not can_approve,
        help=approve_help,
        icon=":material/check:",
    ):
        _decide(api, artifact, "approve")
    if cols[3].button("Revoke", key="intake:revoke", disabled=status != "approved", icon=":material/undo:"):
        _decide(api, artifact, "revoke")
    if cols[4].button(
        "LLM review",
        key="intake:review",
        icon=":material/reviews:",
        help="Ask the configured LLM for remarks on the brief (warnings only, never blocking)",
    ):
        _review(api, form)
    if dirty and artifact is not None:
        cols[5].caption("You have unsaved changes: save the draft, then approve it.")


def _save(
    api: ApiClient, form: BriefForm, engagement: EngagementPublic, artifact: ArtifactPublic | None
) -> None:
    if artifact is not None and not form.dirty():
        st.info(f"Nothing changed since version {artifact.version}: edit the brief first.")
        return
    brief = form.collect()
    st.session_state[form.prefix + "_live"] = True
    try:
        validation = api.validate_intake(brief)
        warnings = validation.warnings
    except ApiError:
        warnings = []
    try:
        envelope = api.generate(
            "intake", engagement.id, intake=brief, expected_version=artifact.version if artifact else None
        )
    except ApiError as exc:
        state.remember(f"envelope:{engagement.id}:intake", exc.body)
        if exc.status_code == 422:
            errors = [
                IntakeIssue(field=d.field, message=d.message, code=d.code or "invalid") for d in exc.details
            ]
            form.set_issues(errors or [IntakeIssue(field="", message=exc.message, code="invalid")], warnings)
            state.flash(SCOPE, "error", "Not saved: fix the fields marked below. Your input is kept.")
        elif exc.status_code == 409:
            state.flash(
                SCOPE,
                "error",
                "Not saved: someone changed this brief since you opened it. Your input is kept; "
                "reload the page to see their version.",
            )
        else:
            show_api_error(exc, what="save draft")
            return
        st.rerun()
    state.remember(f"envelope:{engagement.id}:intake", envelope.model_dump(mode="json"))
    form.set_issues([], warnings)
    st.session_state[form.loaded_key] = RELOAD
    st.session_state.pop(form.snapshot_key, None)
    version = envelope.meta.get("version")
    note = f" {len(warnings)} warning(s) to consider." if warnings else ""
    state.flash(
        SCOPE, "success", f"Saved the brief as version {version} (draft). Approve it when it is ready.{note}"
    )
    st.rerun()


def _decide(api: ApiClient, artifact: ArtifactPublic | None, action: str) -> None:
    if artifact is None:
        return
    try:
        api.decide(artifact.id, action, expected_version=artifact.version)
    except ApiError as exc:
        show_api_error(exc, what=action)
        return
    if action == "approve":
        state.flash(
            SCOPE, "success", "Brief approved: Strategy is unlocked and the generation plan is below."
        )
    else:
        state.flash(
            SCOPE, "info", "Approval revoked: the brief is a draft again and downstream work is blocked."
        )
    st.rerun()


# ---- the generation plan --------------------------------------------------------------------------
def _plan(api: ApiClient, engagement: EngagementPublic, artifact: ArtifactPublic | None) -> None:
    st.markdown("#### Generation plan")
    plan = api.engagement_plan(engagement.id)
    if plan is None:
        if artifact is not None and artifact.status.value == "approved":
            st.info(
                "No generation plan for this engagement in this build yet; "
                "generate each module from its tab.",
                icon=":material/account_tree:",
            )
        else:
            st.info(
                "The plan appears here once the intake is approved: tick the jobs you want generated.",
                icon=":material/account_tree:",
            )
        return
    st.caption("Untick what this client does not need; the Autonomy tab runs the plan.")
    plan_view.progress(plan)
    plan_view.checklist(api, plan, key="intake:plan")
