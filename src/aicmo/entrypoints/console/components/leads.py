"""The client's lead list (SPEC §7): CSV import with dedupe, scores with reasons, status moves."""

from __future__ import annotations

import streamlit as st

from aicmo.domain.leads import MOVES, LeadStatus
from aicmo.domain.schemas.leads import LeadPublic
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import show_api_error

SCOPE = "leads"


def lead_list(api: ApiClient, client_id: str, engagement_id: str | None) -> None:
    st.markdown("#### Leads")
    state.show_flashes(SCOPE)
    _import(api, client_id, engagement_id)
    try:
        leads = api.list_leads(client_id)
    except ApiError as exc:
        show_api_error(exc, what="load the leads")
        return
    if not leads:
        st.caption("No leads yet for this client: import a CSV above.")
        return
    counts = {s.value: sum(1 for lead in leads if lead.status is s) for s in LeadStatus}
    st.caption(" · ".join(f"{name} {n}" for name, n in counts.items() if n) + " — best score first")
    st.dataframe(
        [
            {
                "score": lead.score,
                "status": lead.status.value,
                "email": lead.email,
                "name": lead.name,
                "company": lead.company,
                "title": lead.title,
                "source": lead.source,
                "consent": "yes" if lead.consent else "no",
                "why": "; ".join(lead.score_reasons),
            }
            for lead in leads
        ],
        hide_index=True,
        width="stretch",
    )
    _move(api, leads)


_SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}


def _import(api: ApiClient, client_id: str, engagement_id: str | None) -> None:
    with st.expander("Import leads from a CSV", icon=":material/upload_file:"):
        st.caption(
            "A header row with at least `email`; also name, company, title, source, campaign, notes, "
            "consent (yes/no), phone. Comma or semicolon separated, UTF-8 or Windows-1252 (as Excel "
            "saves it). E-mails already in the list are left as they are."
        )
        upload = st.file_uploader("Leads CSV", type=["csv"], key=f"leads:csv:{client_id}")
        if st.button("Import", key="leads:import", disabled=upload is None, icon=":material/upload:"):
            assert upload is not None
            try:
                result = api.import_leads(client_id, upload.getvalue(), engagement_id)
            except ApiError as exc:
                show_api_error(exc, what="import the leads")
                return
            summary = (
                f"Imported {result.created} new lead(s); {result.already_known} already known, "
                f"{result.duplicates_in_file} repeated in the file, {len(result.skipped)} skipped. "
                f"Read as {result.encoding}, columns separated by "
                f"{_SEPARATORS.get(result.delimiter, result.delimiter)}."
            )
            state.flash(SCOPE, "success" if not result.skipped else "warning", summary)
            for row in result.skipped[:20]:
                state.flash(SCOPE, "info", f"{row['field']}: {row['message']}")
            st.rerun()


def _move(api: ApiClient, leads: list[LeadPublic]) -> None:
    movable = [lead for lead in leads if MOVES[lead.status]]
    if not movable:
        return
    with st.form("leads:move", border=True):
        st.markdown("**Move a lead**")
        cols = st.columns([2, 1, 2])
        by_label = {f"{lead.email} ({lead.status.value})": lead for lead in movable}
        label = cols[0].selectbox("Lead", list(by_label))
        lead = by_label[label]
        target = cols[1].selectbox("To", sorted(s.value for s in MOVES[lead.status]))
        reason = cols[2].text_input("Reason (optional)")
        if st.form_submit_button("Move", icon=":material/arrow_forward:"):
            try:
                moved = api.move_lead(lead.id, target, lead.version, reason)
            except ApiError as exc:
                show_api_error(exc, what="move the lead")
                return
            state.flash(SCOPE, "success", f"{moved.email} is now {moved.status.value} (score {moved.score}).")
            st.rerun()
