"""The AICMO operator console: 11 tabs over the API (SPEC §1). Run with `aicmo ui` (or `aicmo serve`).

The console is an HTTP client: every tab reads and writes through `client.ApiClient`. The selected
client, engagement and tab live in the URL, so a reload comes back to the same place; the work
itself lives in the API. Only the open tab renders, inside its own error boundary.
"""

from __future__ import annotations

import logging

import streamlit as st

from aicmo.entrypoints.console.client import ApiClient, ApiConfig, make_http_client
from aicmo.entrypoints.console.components import boundary, safe_markdown, shell
from aicmo.entrypoints.console.tabs import (
    autonomy,
    campaigns,
    creatives,
    delivery,
    execution,
    intake,
    lead_gen,
    learn,
    monitoring,
    projects,
    strategy,
    system,
)

TABS = [
    lead_gen,
    campaigns,
    intake,
    strategy,
    creatives,
    execution,
    monitoring,
    delivery,
    autonomy,
    learn,
    system,
    projects,  # operator views (SPEC §7), after the eleven module tabs
]
TAB_KEY = "tab"
DEFAULT_TAB = intake.LABEL

log = logging.getLogger("aicmo.console")


@st.cache_resource(show_spinner=False)
def _http():
    """One connection pool for every session of this console process."""
    return make_http_client()


_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
[data-testid="stSidebarUserContent"] { padding-top: 1rem; }
</style>"""


def main() -> None:
    safe_markdown.install()  # no remote images from brief, model or client text
    st.set_page_config(page_title="AICMO", page_icon=":material/campaign:", layout="wide")
    st.html(_CSS)
    api = ApiClient(ApiConfig.from_env(), _http())
    probe = shell.probe(api)
    shell.header(probe)
    shell.sidebar(api, probe)
    if not probe.reachable:
        shell.watch_reconnect(api)
    containers = st.tabs([tab.LABEL for tab in TABS], key=TAB_KEY, bind="query-params", default=DEFAULT_TAB)
    for tab, container in zip(TABS, containers, strict=True):
        if container.open is False:
            continue  # only the open tab renders: fast, and a failure stays where it happened
        with container:
            shell.banner(probe)
            if probe.usable:
                boundary.render_safely(tab.LABEL, tab.render, api)


main()
