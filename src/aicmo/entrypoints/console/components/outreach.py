"""Outreach for the selected client (SPEC §7), over the API only: sequences with their steps and
send counts, a new sequence (the API's refusals shown naming the field), enrolment by tier or
filter, a run now that lists what was sent and what was not and why, the sends log, and the
suppression list with an add form."""

from __future__ import annotations

from collections import Counter
from typing import Any

import streamlit as st

from aicmo.domain.leads import LeadStatus, Tier
from aicmo.domain.outreach import VARIABLES, Channel, Suppression
from aicmo.domain.schemas.outreach import RunResult, SequencePublic
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import fmt_dt, lines_to_list, show_api_error

SCOPE = "outreach"
ANY = "Any"
MAX_STEPS = 5


def outreach_panel(api: ApiClient, client_id: str) -> None:
    st.markdown("#### Outreach")
    state.show_flashes(SCOPE)
    try:
        sequences = api.list_sequences(client_id)
    except ApiError as exc:
        show_api_error(exc, what="load the outreach sequences")
        return
    _create(api, client_id)
    if not sequences:
        st.caption("No outreach sequence yet for this client: create one above.")
    else:
        by_label = {f"{s.name} ({s.id})": s for s in sequences}
        _overview(api, sequences)
        label = st.selectbox("Sequence", list(by_label), key=f"outreach:sequence:{client_id}")
        sequence = by_label[label]
        _steps(sequence)
        _enrol(api, sequence)
        _run(api, sequence)
        _sends(api, sequence)
    _suppressions(api, client_id)


def _overview(api: ApiClient, sequences: list[SequencePublic]) -> None:
    rows = []
    for s in sequences:
        try:
            counts = Counter(row["status"] for row in api.outreach_sends(s.id))
        except ApiError as exc:
            show_api_error(exc, what=f"count the sends of {s.name}")
            counts = Counter()
        rows.append(
            {
                "sequence": s.name,
                "steps": len(s.steps),
                "channels": ", ".join(dict.fromkeys(str(step.get("channel", "email")) for step in s.steps)),
                "sent": counts.get("SENT", 0),
                "tasks": counts.get("TASK", 0),
                "not delivered": sum(n for k, n in counts.items() if k not in {"SENT", "TASK"}),
                "enrolled": sum(s.enrolments.values()),
                "active": s.enrolments.get("ACTIVE", 0),
                "stopped": s.enrolments.get("STOPPED", 0) + s.enrolments.get("BLOCKED", 0),
                "today / daily cap": ", ".join(
                    f"{c} {s.sent_today.get(c, 0)}/{n}" for c, n in s.daily_caps.items()
                ),
                "quiet hours": (
                    f"{s.quiet_start:02d}:00–{s.quiet_end:02d}:00 (lead's zone, else {s.default_timezone})"
                    if s.quiet_start != s.quiet_end
                    else "none"
                ),
                "sender": s.sender,
                "created": fmt_dt(s.created_at),
            }
        )
    st.dataframe(rows, hide_index=True, width="stretch")


def _steps(sequence: SequencePublic) -> None:
    st.markdown(f"**Steps of {sequence.name}**")
    st.dataframe(
        [
            {
                "step": n,
                "channel": str(step.get("channel", "email")),
                "wait (days)": int(step.get("wait_days", 0)),
                "subject": str(step.get("subject", "")),
                "template": str(step.get("body", "")),
                "required": ", ".join(step.get("required", [])),
            }
            for n, step in enumerate(sequence.steps, start=1)
        ],
        hide_index=True,
        width="stretch",
    )


def _create(api: ApiClient, client_id: str) -> None:
    with st.expander("New outreach sequence", icon=":material/add:"):
        st.caption(
            "Templates may use " + ", ".join(f"`{{{{{v}}}}}`" for v in VARIABLES) + ". Every e-mail carries "
            "the postal address and an unsubscribe link; nothing goes out in the recipient's quiet hours "
            "or past the daily cap."
        )
        count = int(
            st.number_input("Number of steps", 1, MAX_STEPS, 1, key=f"outreach:new:count:{client_id}")
        )
        with st.form(f"outreach:new:{client_id}", border=False):
            cols = st.columns(2)
            name = cols[0].text_input("Sequence name")
            sender = cols[1].text_input("Sender e-mail", placeholder="hello@agency.example")
            postal = st.text_input("Postal address", placeholder="1 Quay Street, Bristol BS1 4DJ")
            cols = st.columns(4)
            cap = cols[0].number_input("Daily e-mail cap", 0, 100_000, 50)
            quiet_start = cols[1].number_input("Quiet from (hour)", 0, 23, 20)
            quiet_end = cols[2].number_input("Quiet until (hour)", 0, 23, 8)
            zone = cols[3].text_input("Default time zone", value="UTC")
            steps = [_step_fields(n) for n in range(1, count + 1)]
            if st.form_submit_button("Create sequence", icon=":material/add:"):
                caps: dict[str, int] = {Channel.EMAIL.value: int(cap)}
                for step in steps:
                    caps.setdefault(step["channel"], int(cap))
                body = {
                    "client_id": client_id,
                    "name": name,
                    "steps": steps,
                    "daily_caps": caps,
                    "quiet_start": int(quiet_start),
                    "quiet_end": int(quiet_end),
                    "default_timezone": zone.strip() or "UTC",
                    "sender": sender.strip(),
                    "postal_address": postal,
                }
                try:
                    created = api.create_sequence(body)
                except ApiError as exc:
                    show_api_error(exc, what="create the sequence")
                    return
                state.flash(
                    SCOPE, "success", f"Sequence {created.name} created with {len(created.steps)} step(s)."
                )
                st.session_state[f"outreach:sequence:{client_id}"] = f"{created.name} ({created.id})"
                st.rerun()


def _step_fields(n: int) -> dict[str, Any]:
    st.markdown(f"**Step {n}**")
    cols = st.columns([1, 1, 3])
    channel = cols[0].selectbox(f"Step {n} channel", [c.value for c in Channel])
    wait = cols[1].number_input(f"Step {n} wait (days)", 0, 90, 0 if n == 1 else 3)
    subject = cols[2].text_input(f"Step {n} subject")
    body = st.text_area(f"Step {n} template", height=100)
    return {"channel": channel, "wait_days": int(wait), "subject": subject, "body": body}


def _enrol(api: ApiClient, sequence: SequencePublic) -> None:
    with st.form(f"outreach:enrol:{sequence.id}", border=True):
        st.markdown("**Enrol leads**")
        cols = st.columns([2, 2, 2, 1])
        tiers = cols[0].multiselect("Tiers", [t.value for t in Tier], placeholder="any tier")
        status = cols[1].selectbox("Lead status", [ANY, *(s.value for s in LeadStatus)])
        q = cols[2].text_input("Search", placeholder="e-mail, name, company, city, title")
        min_score = cols[3].number_input("Min score", 0, 100, 0)
        if st.form_submit_button("Enrol", icon=":material/group_add:"):
            body: dict[str, Any] = {"tiers": tiers, "q": q.strip()}
            if status != ANY:
                body["status"] = status
            if min_score:
                body["min_score"] = int(min_score)
            try:
                result = api.enrol(sequence.id, body)
            except ApiError as exc:
                show_api_error(exc, what="enrol the leads")
                return
            state.flash(
                SCOPE,
                "success",
                f"Enrolled {result.enrolled} lead(s) in {sequence.name}; {result.already} already enrolled, "
                f"{len(result.skipped)} not enrolled.",
            )
            for row in result.skipped[:20]:
                state.flash(SCOPE, "warning", f"{row.get('email', row.get('lead_id', ''))}: {row['reason']}")
            st.rerun()


def _run(api: ApiClient, sequence: SequencePublic) -> None:
    key = f"outreach:last-run:{sequence.id}"
    if st.button("Run now", key=f"outreach:run:{sequence.id}", icon=":material/send:"):
        try:
            state.remember(key, api.run_sequence(sequence.id))
        except ApiError as exc:
            show_api_error(exc, what="run the sequence")
            return
        st.rerun()  # the counts above were drawn before this run
    last: RunResult | None = state.recall(key)
    if last is None:
        return
    st.markdown("**Last run**")
    st.caption(
        f"{len(last.sent)} sent · {len(last.tasks)} task(s) · {len(last.skipped)} skipped · "
        f"{len(last.stopped)} stopped · {len(last.failed)} failed"
    )
    rows = (
        [{"outcome": "sent", "lead": r["email"], "why": f"message id {r['message_id']}"} for r in last.sent]
        + [{"outcome": f"{r['channel']} task", "lead": r["email"], "why": r["script"]} for r in last.tasks]
        + [{"outcome": "skipped", "lead": r["email"], "why": r["reason"]} for r in last.skipped]
        + [{"outcome": "stopped", "lead": r["email"], "why": r["reason"]} for r in last.stopped]
        + [{"outcome": "failed", "lead": r["email"], "why": r["reason"]} for r in last.failed]
    )
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.info("Nothing was due: no enrolled lead has a step waiting.")


def _sends(api: ApiClient, sequence: SequencePublic) -> None:
    try:
        sends = api.outreach_sends(sequence.id)
    except ApiError as exc:
        show_api_error(exc, what="load the sends log")
        return
    st.markdown("**Sends log**")
    if not sends:
        st.caption("Nothing sent yet from this sequence.")
        return
    st.dataframe(
        [
            {
                "to": r["to"],
                "step": r["step"],
                "channel": r["channel"],
                "status": r["status"],
                "day": r["sent_on"],
                "server reply": r["server_reply"] or r["error"],
            }
            for r in sends
        ],
        hide_index=True,
        width="stretch",
    )


def _suppressions(api: ApiClient, client_id: str) -> None:
    st.markdown("**Suppression list**")
    try:
        rows = api.suppressions(client_id)
    except ApiError as exc:
        show_api_error(exc, what="load the suppression list")
        return
    if rows:
        st.dataframe(
            [
                {"email": r.email, "reason": r.reason, "note": r.note, "since": fmt_dt(r.created_at)}
                for r in rows
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("No suppressed address for this client.")
    with st.form(f"outreach:suppress:{client_id}", border=True):
        cols = st.columns([3, 1, 2])
        emails = cols[0].text_area("Addresses to suppress", placeholder="one e-mail per line", height=80)
        reason = cols[1].selectbox("Suppression reason", [r.value for r in Suppression])
        note = cols[2].text_input("Note", key=f"outreach:suppress:note:{client_id}")
        if st.form_submit_button("Add to suppression list", icon=":material/block:"):
            try:
                listed = api.add_suppressions(client_id, lines_to_list(emails), reason, note)
            except ApiError as exc:
                show_api_error(exc, what="add to the suppression list")
                return
            state.flash(SCOPE, "success", f"Suppression list now holds {len(listed)} address(es).")
            st.rerun()
