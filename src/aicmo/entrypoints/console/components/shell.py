"""The frame around the tabs: build header, status banner, API-unreachable banner, workspace sidebar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import streamlit as st

from aicmo.domain.modules import PROGRESS_LIST
from aicmo.domain.schemas.resources import EngagementPublic
from aicmo.domain.schemas.system import SystemStatus
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError, ApiUnreachable
from aicmo.entrypoints.console.components.common import (
    MODULE_TITLES,
    REVIEW,
    badge,
    fmt_dt,
    reviewed,
    status_badge,
)

PIPELINE = [m.value for m in PROGRESS_LIST]


@dataclass(frozen=True)
class Probe:
    """What the console knows about the API at the start of a run."""

    url: str
    reachable: bool
    reason: str = ""
    status: SystemStatus | None = None
    error: ApiError | None = None

    @property
    def usable(self) -> bool:
        return self.reachable and self.error is None


def probe(api: ApiClient) -> Probe:
    try:
        return Probe(api.base_url, True, status=api.system_status())
    except ApiUnreachable as exc:
        return Probe(api.base_url, False, reason=exc.reason)
    except ApiError as exc:
        return Probe(api.base_url, True, error=exc)


# ---- header ------------------------------------------------------------------------------------
def header(p: Probe) -> None:
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        st.markdown("## AICMO &nbsp;·&nbsp; :gray[operator console]")
    with right:
        if p.status is not None:
            build = p.status.build
            st.markdown(
                f"<div style='text-align:right;color:#666;font-size:0.85rem'>build v{build.version} · "
                f"rev <code>{build.git_revision}</code> · API started {fmt_dt(build.started_at)}</div>",
                unsafe_allow_html=True,
            )
        else:
            st.markdown(
                "<div style='text-align:right;color:#999;font-size:0.85rem'>"
                "build unknown (API not connected)</div>",
                unsafe_allow_html=True,
            )


# ---- status banner (on every tab) ----------------------------------------------------------------
def unreachable(url: str, reason: str = "") -> None:
    why = f" ({reason})" if reason else ""
    st.error(
        f"**API unreachable at {url}**{why}.\n\n"
        "Start it with `aicmo serve` (API and console together) or `aicmo api`, "
        "or point the console at a running API with `AICMO_BACKEND_URL`. "
        "This page reconnects by itself once the API answers again.",
        icon=":material/cloud_off:",
    )


def watch_reconnect(api: ApiClient, every_s: float = 3.0) -> None:
    """While the API is down, check it quietly and reload the page as soon as it answers."""

    @st.fragment(run_every=every_s)
    def _watch() -> None:
        try:
            api.clear_cache()
            api.healthz()
        except (ApiUnreachable, ApiError):
            return
        st.rerun(scope="app")

    _watch()


def banner(p: Probe) -> None:
    if not p.reachable:
        unreachable(p.url, p.reason)
        return
    if p.error is not None:
        if p.error.type == "UNAUTHORIZED":
            st.error(
                f"**The API at {p.url} refused the console's token.** Set `AICMO_API_TOKEN` to a valid "
                "token (`aicmo token create --role operator`); `aicmo serve` sets it for you.",
                icon=":material/key_off:",
            )
        else:
            st.error(f"**The API at {p.url} answered with an error:** {p.error.message}")
        return
    status = p.status or SystemStatus()
    db, provider = status.database, status.provider
    parts = [badge("API reachable", "green", "check_circle")]
    if db.ok and db.at_head:
        parts.append(badge(f"database {db.dialect} · at head", "green", "database"))
    elif db.ok:
        parts.append(badge(f"database {db.dialect} · migrations pending", "orange", "database"))
    else:
        parts.append(badge("database unreachable", "red", "database"))
    colour = {"offline": "blue", "reachable": "green", "configured": "green"}.get(provider.state, "orange")
    label = provider.provider or "unknown"
    if provider.model:
        label += f" · {provider.model}"
    parts.append(badge(f"provider {label} ({provider.state or 'unknown'})", colour, "smart_toy"))
    st.markdown(" &nbsp; ".join(parts))
    if not db.ok or not db.at_head:
        st.warning(f"Database: {db.error or 'not at the migration head'} — run `aicmo db upgrade`.")
    if provider.state in ("disabled", "unreachable"):
        st.warning(f"Generator provider {provider.provider}: {provider.detail or provider.state}.")


# ---- workspace selector (sidebar) ----------------------------------------------------------------
def sidebar(api: ApiClient, p: Probe) -> state.Selection:
    """Client and engagement pickers; the choice is mirrored in the URL so a reload keeps it."""
    with st.sidebar:
        st.markdown("### Workspace")
        if not p.usable:
            st.caption("Not connected to the API.")
            return _keep_url_selection()
        try:
            clients = api.list_clients()
        except (ApiUnreachable, ApiError):
            st.caption("Could not load clients.")
            return _keep_url_selection()
        if not clients:
            st.info("No clients yet. Create the first one in **Client Intake**.")
            selection = state.Selection()
            state.set_current(selection)
            return selection
        names = unique_labels([(c.id, c.name) for c in clients])
        ids = list(names)
        preselect = state.wanted(state.CLIENT_PARAM, state.CLIENT_KEY, ids)
        st.session_state[state.CLIENT_KEY] = preselect
        client_id = st.selectbox(
            "Client",
            ids,
            key=state.CLIENT_KEY,
            format_func=lambda i: names.get(i, i),
            index=None,
            placeholder="Choose a client",
        )
        client = next((c for c in clients if c.id == client_id), None)
        engagement = None
        if client is not None:
            engagement = _engagement_picker(api, client.id)
        selection = state.Selection(client, engagement)
        state.set_current(selection)
        state.consume_pending()
        if engagement is not None:
            _pipeline(api, engagement.id)
        st.divider()
        st.caption("Your selection is kept in the page address, so reloading keeps it.")
        return selection


def _engagement_picker(api: ApiClient, client_id: str):
    engagements = api.list_engagements(client_id)
    if not engagements:
        st.caption("This client has no engagement yet. Create one in **Client Intake**.")
        st.session_state.pop(state.ENGAGEMENT_KEY, None)
        return None
    labels = unique_labels([(e.id, e.name) for e in engagements])
    ids = list(labels)
    preselect = state.wanted(state.ENGAGEMENT_PARAM, state.ENGAGEMENT_KEY, ids) or ids[0]
    st.session_state[state.ENGAGEMENT_KEY] = preselect
    engagement_id = st.selectbox(
        "Engagement",
        ids,
        key=state.ENGAGEMENT_KEY,
        format_func=lambda i: labels.get(i, i),
        index=None,
        placeholder="Choose an engagement",
    )
    engagement = next((e for e in engagements if e.id == engagement_id), None)
    if engagement is not None:
        st.caption(f"{window_text(engagement)} · autonomy **{engagement.autonomy_level.value}**")
    return engagement


def window_text(engagement: EngagementPublic) -> str:
    """The engagement's window as the brief states it (the API copies it from each saved brief)."""
    weeks = f"{engagement.duration_weeks} week{'s' if engagement.duration_weeks != 1 else ''}"
    if engagement.start_date is None:
        return f"{weeks}, start not set in the brief"
    end = engagement.start_date + timedelta(weeks=engagement.duration_weeks, days=-1)
    return f"{engagement.start_date:%d %b %Y} – {end:%d %b %Y} · {weeks}".lstrip("0")


def _pipeline(api: ApiClient, engagement_id: str) -> None:
    artifacts = {a.type.value: a for a in api.list_artifacts(engagement_id)}
    st.markdown("**Artifacts**")
    rows = []
    for module in PIPELINE:
        artifact = artifacts.get(module)
        if module == REVIEW and not reviewed(artifacts):
            continue  # no compliance review for a brief in no regulated sector
        title = MODULE_TITLES[module]
        if artifact is None:
            rows.append(f"{title}: :gray[not started]")
        else:
            rows.append(f"{title}: {status_badge(artifact.status.value)} :gray[v{artifact.version}]")
    st.markdown("  \n".join(rows))


def unique_labels(items: list[tuple[str, str]]) -> dict[str, str]:
    """Display names for a picker, made unique (Streamlit identifies a picked option by its label)."""
    counts: dict[str, int] = {}
    for _, name in items:
        counts[name] = counts.get(name, 0) + 1
    return {id_: (f"{name} · {id_[-6:]}" if counts[name] > 1 else name) for id_, name in items}


def _keep_url_selection() -> state.Selection:
    """API down: leave the URL alone so reconnecting restores the same client and engagement."""
    selection = state.Selection()
    st.session_state["_selection"] = selection
    return selection
