"""Every tab renders on its own, against a real API, with and without a selected engagement."""

from __future__ import annotations

import pytest
from tests.console.conftest import Console, LiveApi, assert_clean, free_port, sample_brief, texts

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
    strategy,
    system,
)

LABELS = [
    "Lead Gen",
    "Campaigns",
    "Client Intake",
    "Strategy",
    "Creatives",
    "Execution",
    "Monitoring",
    "Delivery",
    "Autonomy",
    "Learn",
    "System",
]


def test_the_console_has_the_eleven_tabs_in_spec_order(console: Console) -> None:
    at = console.open("Lead Gen")
    assert [tab.label for tab in at.tabs[:11]] == LABELS
    modules = [
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
    ]
    assert [m.LABEL for m in modules] == LABELS


@pytest.mark.parametrize("label", LABELS)
def test_every_tab_renders_with_the_status_banner_when_nothing_is_selected(
    console: Console, label: str
) -> None:
    at = console.open(label)
    assert_clean(at)
    page = texts(at)
    assert "API reachable" in page
    assert "database sqlite" in page
    assert "provider offline" in page
    assert "build v" in page  # the header: version, git revision, start time


@pytest.fixture(scope="module")
def full_engagement(live_api: LiveApi) -> tuple[str, str]:
    """An engagement with every module generated and the main chain approved."""
    client_id, engagement_id = live_api.new_engagement("Full Flow Ltd")
    live_api.approved(engagement_id, "intake", "strategy", "creatives", "execution", brief=sample_brief())
    for module in ("monitoring", "leadgen", "learn", "delivery", "autonomy"):
        live_api.generate(engagement_id, module)
    return client_id, engagement_id


@pytest.mark.parametrize("label", LABELS)
def test_every_tab_renders_a_full_engagement_without_exception(
    console: Console, full_engagement: tuple[str, str], label: str
) -> None:
    client_id, engagement_id = full_engagement
    at = console.open(label, client_id, engagement_id)
    assert_clean(at)
    assert not [e.value for e in at.error], f"{label} shows an error panel"
    assert "does not match the current schema" not in texts(at)  # every structured preview renders
    assert at.selectbox(key="sel_client").value == client_id
    assert at.selectbox(key="sel_engagement").value == engagement_id


@pytest.mark.parametrize("label", LABELS)
def test_every_tab_says_the_api_is_unreachable_with_the_fix_when_it_is_down(
    console: Console, monkeypatch: pytest.MonkeyPatch, label: str
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("AICMO_BACKEND_URL", dead)
    at = console.open(label, "cl_whatever", "en_whatever")
    assert_clean(at)
    errors = "\n".join(e.value for e in at.error)
    assert f"API unreachable at {dead}" in errors
    assert "aicmo serve" in errors and "AICMO_BACKEND_URL" in errors
    assert at.query_params.get("client") == "cl_whatever"  # the URL keeps the selection for later


def test_a_wrong_token_is_explained_on_every_tab(console: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AICMO_API_TOKEN", "not-a-valid-token")
    at = console.open("Strategy")
    assert_clean(at)
    assert "refused the console's token" in "\n".join(e.value for e in at.error)
