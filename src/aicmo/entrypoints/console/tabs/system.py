"""System (SPEC §1 tab 11, §10): build, database, migrations, provider, configuration, operations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import streamlit as st

from aicmo.entrypoints.console.client import ApiClient, ApiError, NotAvailable
from aicmo.entrypoints.console.components.common import badge, fmt_dt, intro, show_api_error

LABEL = "System"
SECRET_HINTS = ("key", "token", "password", "secret")


def render(api: ApiClient) -> None:
    intro(
        "Health of the API, database and generator provider; configuration with secrets masked; operations."
    )
    status = api.system_status()
    build, db, provider = status.build, status.database, status.provider
    cols = st.columns(4)
    cols[0].metric("Version", build.version)
    cols[1].metric("Git revision", build.git_revision)
    cols[2].metric("API started", _short_dt(build.started_at))
    cols[3].metric("Provider", provider.provider or "unknown")

    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("**Database** " + (badge("connected", "green") if db.ok else badge("unreachable", "red")))
        st.markdown(
            f"URL `{db.url}`  \nDialect {db.dialect or '—'}  \n"
            f"Migrations: at `{db.revision or 'none'}`, head `{db.head or '—'}` "
            + (badge("at head", "green") if db.at_head else badge("upgrade needed", "orange"))
        )
        if db.error:
            st.caption(db.error)
    with right, st.container(border=True):
        colour = {"offline": "blue", "configured": "green", "reachable": "green"}.get(
            provider.state, "orange"
        )
        st.markdown(f"**Generator provider** {badge(provider.state or 'unknown', colour)}")
        st.markdown(
            f"Provider `{provider.provider or '—'}` · model `{provider.model or '—'}`  \n"
            f"Endpoint `{provider.base_url or '—'}`  \n{provider.detail}"
        )

    st.markdown("##### Configuration")
    st.dataframe(_settings_rows(status.settings), hide_index=True, width="stretch")
    me = api.whoami()
    st.caption(
        f"This console talks to `{api.base_url}` as **{me.name}** (role {me.role}), with the token from "
        "`AICMO_API_TOKEN`."
    )

    st.markdown("##### Sentinels")
    _optional_panel(api, "sentinels")
    st.markdown("##### Cost ledger")
    _optional_panel(api, "costs")
    st.markdown("##### Operations")
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown(
            "**Self-test** — intake → gating → approval → unlock → stale cascade on a throwaway database."
        )
        if st.button("Run self-test", key="system:selftest"):
            _action(api, "selftest")
    with right, st.container(border=True):
        st.markdown("**Bootstrap schema** — apply migrations (admin only) and list tables before and after.")
        if st.button("Bootstrap schema", key="system:bootstrap"):
            _action(api, "bootstrap")


def _short_dt(value: str) -> str:
    try:
        return datetime.fromisoformat(value).strftime("%d %b %H:%M")
    except (TypeError, ValueError):
        return fmt_dt(value)


def _settings_rows(settings: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for name, value in sorted(settings.items()):
        shown = "" if value is None else str(value)
        if any(hint in name.lower() for hint in SECRET_HINTS) and shown not in ("set", "unset", ""):
            shown = "***"  # the API already masks; never show anything that looks like a secret
        rows.append({"setting": name, "value": shown})
    return rows


def _optional_panel(api: ApiClient, name: str) -> None:
    try:
        body = api.ops(name)
    except NotAvailable:
        st.caption(f"Not available in this build (no `/api/v1/system/{name}` endpoint yet).")
        return
    except ApiError as exc:
        show_api_error(exc, what=name)
        return
    _show(body)


def _action(api: ApiClient, name: str) -> None:
    try:
        with st.spinner(f"Running {name}…"):
            body = api.ops(name, method="POST", body={})
    except NotAvailable:
        st.info(f"Not available in this build (no `/api/v1/system/{name}` endpoint yet).")
        return
    except ApiError as exc:
        show_api_error(exc, what=name)
        return
    _show(body)


def _show(body: Any) -> None:
    """Render an operations answer: a list of checks as a table, anything else as data."""
    rows = body
    if isinstance(body, dict):
        rows = next((v for v in body.values() if isinstance(v, list) and v and isinstance(v[0], dict)), None)
        summary = {k: v for k, v in body.items() if not isinstance(v, list | dict)}
        if summary:
            st.markdown(" · ".join(f"{k}: **{v}**" for k, v in summary.items()))
    if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
        st.dataframe(
            [
                {
                    k: (v if isinstance(v, str | int | float | bool) or v is None else str(v))
                    for k, v in r.items()
                }
                for r in rows
            ],
            hide_index=True,
            width="stretch",
        )
    elif body not in (None, {}, []):
        st.json(body, expanded=1)
    else:
        st.caption("Nothing to show.")
