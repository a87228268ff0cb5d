"""What the console remembers between reruns, and where.

The work itself lives in the API. The browser only remembers *what is selected*, and it keeps that
in the URL (`?client=…&engagement=…&tab=…`) so a reload, a bookmark or a shared link opens the same
client and engagement. Session state holds only short-lived UI things: unsaved form input, the
last generation envelope (for the debug expander) and one-shot messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

from aicmo.domain.schemas.resources import ClientPublic, EngagementPublic

CLIENT_PARAM = "client"
ENGAGEMENT_PARAM = "engagement"
CLIENT_KEY = "sel_client"
ENGAGEMENT_KEY = "sel_engagement"
_FLASH = "_flash"
_PENDING = "_pending_selection"


@dataclass(frozen=True)
class Selection:
    client: ClientPublic | None = None
    engagement: EngagementPublic | None = None

    @property
    def client_id(self) -> str | None:
        return self.client.id if self.client else None

    @property
    def engagement_id(self) -> str | None:
        return self.engagement.id if self.engagement else None


def current() -> Selection:
    """The selection resolved by the sidebar in this run."""
    return st.session_state.get("_selection") or Selection()


def set_current(selection: Selection) -> None:
    st.session_state["_selection"] = selection
    _sync_url(CLIENT_PARAM, selection.client_id)
    _sync_url(ENGAGEMENT_PARAM, selection.engagement_id)


def wanted(param: str, key: str, valid: list[str]) -> str | None:
    """The id to preselect: one just chosen by an action, this session's choice, else the URL's
    (after a reload), as long as it is still valid."""
    pending = st.session_state.get(_PENDING, {}).get(param)
    if pending in valid:
        return pending
    chosen = st.session_state.get(key)
    if chosen in valid:
        return chosen
    from_url = st.query_params.get(param)
    if from_url in valid:
        return from_url
    return None


def choose(client_id: str | None = None, engagement_id: str | None = None) -> None:
    """Select a client (and engagement) from an action, e.g. right after creating one.

    The pickers were already drawn in this run, so the choice is applied at the next run.
    """
    pending = {CLIENT_PARAM: client_id or current().client_id, ENGAGEMENT_PARAM: engagement_id}
    st.session_state[_PENDING] = pending


def consume_pending() -> None:
    st.session_state.pop(_PENDING, None)


def _sync_url(param: str, value: str | None) -> None:
    if value is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value


# ---- one-shot messages (survive the rerun that follows an action) ---------------------------------
FlashKind = Literal["success", "info", "warning", "error"]


def flash(scope: str, kind: FlashKind, text: str) -> None:
    st.session_state.setdefault(_FLASH, {}).setdefault(scope, []).append((kind, text))


def show_flashes(scope: str) -> None:
    for kind, text in st.session_state.get(_FLASH, {}).pop(scope, []):
        getattr(st, kind)(text)


# ---- small keyed stores -------------------------------------------------------------------------
def remember(key: str, value: Any) -> None:
    st.session_state[key] = value


def recall(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)
