"""The client's lead list (SPEC §7): CSV import in batches (listed, undone), search, filters,
CSV export, scores and tiers with reasons, status moves one by one or in bulk."""

from __future__ import annotations

import streamlit as st

from aicmo.domain.leads import MOVES, LeadStatus, Tier
from aicmo.domain.schemas.leads import LeadImportResult, LeadPublic
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import show_api_error

SCOPE = "leads"
ALL = "All"


def lead_list(api: ApiClient, client_id: str, engagement_id: str | None) -> None:
    st.markdown("#### Leads")
    state.show_flashes(SCOPE)
    _import(api, client_id, engagement_id)
    filters = _filters(client_id)
    try:
        leads = api.list_leads(client_id, **filters)
    except ApiError as exc:
        show_api_error(exc, what="load the leads")
        return
    if not leads:
        searching = any(filters.values())
        st.caption(
            "No lead matches these filters."
            if searching
            else "No leads yet for this client: import a CSV above."
        )
        return
    counts = {s.value: sum(1 for lead in leads if lead.status is s) for s in LeadStatus}
    tiers = {t.value: sum(1 for lead in leads if lead.tier is t) for t in Tier}
    st.caption(
        " · ".join(f"{name} {n}" for name, n in counts.items() if n)
        + " — "
        + " · ".join(f"{name} {n}" for name, n in tiers.items() if n)
        + " — best score first"
    )
    st.dataframe(
        [
            {
                "score": lead.score,
                "tier": lead.tier.value,
                "status": lead.status.value,
                "email": lead.email,
                "name": lead.name,
                "company": lead.company or lead.company_domain,
                "title": lead.title,
                "city": lead.city,
                "region": lead.region,
                "source": lead.source,
                "consent": "yes" if lead.consent else "no",
                "why": "; ".join(lead.score_reasons),
            }
            for lead in leads
        ],
        hide_index=True,
        width="stretch",
    )
    _export(api, client_id, filters)
    _move(api, leads)
    _bulk_move(api, client_id, leads)


def _filters(client_id: str) -> dict[str, str | None]:
    cols = st.columns([3, 2, 2])
    q = cols[0].text_input(
        "Search leads", key=f"leads:q:{client_id}", placeholder="e-mail, name, company, city, title"
    )
    status = cols[1].selectbox(
        "Status", [ALL, *(s.value for s in LeadStatus)], key=f"leads:status:{client_id}"
    )
    tier = cols[2].selectbox("Tier", [ALL, *(t.value for t in Tier)], key=f"leads:tier:{client_id}")
    return {
        "q": q.strip() or None,
        "status": None if status == ALL else status,
        "tier": None if tier == ALL else tier,
    }


def _export(api: ApiClient, client_id: str, filters: dict[str, str | None]) -> None:
    params = {"client_id": client_id, **{k: v for k, v in filters.items() if v}}
    try:
        data = api.download("/api/v1/leads/export", params=params)
    except ApiError as exc:
        show_api_error(exc, what="export the leads")
        return
    st.download_button(
        "Export CSV",
        data=data,
        file_name=f"leads-{client_id}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"leads:export:{client_id}",
    )


_SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}


def _summary(result: LeadImportResult) -> str:
    return (
        f"Imported {result.created} new lead(s); {result.already_known} already known, "
        f"{result.duplicates_in_file} repeated in the file, {len(result.skipped)} skipped. "
        f"Read as {result.encoding}, columns separated by "
        f"{_SEPARATORS.get(result.delimiter, result.delimiter)}."
    )


def _import(api: ApiClient, client_id: str, engagement_id: str | None) -> None:
    """The panel stays open with the last import's result (and its undo) until another import."""
    key = f"leads:last-import:{client_id}"
    last: LeadImportResult | None = state.recall(key)
    with st.expander("Import leads from a CSV", icon=":material/upload_file:", expanded=last is not None):
        st.caption(
            "A header row with at least `email`; also first/last name, company, title, city, region "
            "(state, county), time zone, source, campaign, notes, consent (yes/no), phone. Comma or "
            "semicolon separated, UTF-8 or Windows-1252 (as Excel saves it). E-mails already in the "
            "list are left as they are; each import is a batch you can undo."
        )
        upload = st.file_uploader("Leads CSV", type=["csv"], key=f"leads:csv:{client_id}")
        if st.button("Import", key="leads:import", disabled=upload is None, icon=":material/upload:"):
            assert upload is not None
            try:
                last = api.import_leads(client_id, upload.getvalue(), engagement_id, filename=upload.name)
            except ApiError as exc:
                show_api_error(exc, what="import the leads")
                return
            state.remember(key, last)
        if last is not None:
            (st.success if not last.skipped else st.warning)(_summary(last))
            for row in last.skipped[:20]:
                st.info(f"{row['field']}: {row['message']}")
            if len(last.skipped) > 20:
                st.caption(f"… and {len(last.skipped) - 20} more skipped rows (see the batch list).")
        _batches(api, client_id)


def _batches(api: ApiClient, client_id: str) -> None:
    try:
        batches = api.lead_batches(client_id)
    except ApiError as exc:
        show_api_error(exc, what="list the import batches")
        return
    if not batches:
        return
    st.markdown("**Import batches**")
    st.dataframe(
        [
            {
                "when": b.created_at.strftime("%Y-%m-%d %H:%M"),
                "file": b.filename or "—",
                "created": b.created,
                "skipped": len(b.skipped),
                "known": b.known,
                "undone": f"{b.removed} removed, {b.kept} kept" if b.undone_at else "",
            }
            for b in batches
        ],
        hide_index=True,
        width="stretch",
    )
    open_batches = {
        f"{b.created_at:%Y-%m-%d %H:%M} {b.filename or b.id} ({b.created})": b
        for b in batches
        if not b.undone_at
    }
    if not open_batches:
        return
    cols = st.columns([3, 1])
    label = cols[0].selectbox("Batch", list(open_batches), key=f"leads:batch:{client_id}")
    if cols[1].button("Undo import", key=f"leads:undo:{client_id}", icon=":material/undo:"):
        try:
            undone = api.undo_lead_batch(open_batches[label].id)
        except ApiError as exc:
            show_api_error(exc, what="undo the import")
            return
        state.flash(
            SCOPE,
            "success",
            f"Import undone: {undone.removed} lead(s) removed, {undone.kept} kept (already worked).",
        )
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


def _bulk_move(api: ApiClient, client_id: str, leads: list[LeadPublic]) -> None:
    with st.form("leads:bulk", border=True):
        st.markdown("**Move several leads**")
        by_label = {f"{lead.email} ({lead.status.value})": lead for lead in leads}
        chosen = st.multiselect("Leads", list(by_label), placeholder="the leads shown above")
        cols = st.columns([1, 2])
        target = cols[0].selectbox("New status", [s.value for s in LeadStatus])
        reason = cols[1].text_input("Reason", key="leads:bulk:reason")
        if st.form_submit_button("Move selected", icon=":material/low_priority:"):
            if not chosen:
                st.warning("Choose at least one lead.")
                return
            try:
                result = api.bulk_move_leads(client_id, [by_label[c].id for c in chosen], target, reason)
            except ApiError as exc:
                show_api_error(exc, what="move the leads")
                return
            state.flash(SCOPE, "success", f"{len(result.moved)} lead(s) moved to {target}.")
            for refused in result.refused[:20]:
                state.flash(SCOPE, "warning", f"{refused['lead_id']}: {refused['message']}")
            st.rerun()
