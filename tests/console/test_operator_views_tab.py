"""The Projects tab's operator views over the real API (SPEC §7): the PM view lists the plan's tasks
with owners and due dates, the dashboard shows headline metrics and goal progress, the engagement
view shows every module's state."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SAMPLES
from tests.console.conftest import Console, LiveApi, assert_clean, texts

FIXTURE = Path(__file__).parents[1] / "fixtures" / "metrics" / "harbour_march.csv"


def test_pm_dashboard_and_engagement_views(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Calder & Finch Solicitors")
    brief = json.loads((SAMPLES / "law_firm_services.json").read_text())
    live_api.call(
        "POST",
        "/intake/generate",
        {"engagement_id": engagement_id, "intake": brief, "auto_approve": True},
        200,
    )
    live_api.call(
        "POST", "/metrics/import", {"engagement_id": engagement_id, "csv": FIXTURE.read_text()}, 201
    )

    at = console.open("Projects", client_id, engagement_id)
    assert_clean(at)
    shown = texts(at)
    tasks = next(d.value for d in at.dataframe if "owner" in d.value.columns)
    assert "Strategist" in set(tasks["owner"]) and "Account manager" in set(tasks["owner"])
    assert "Each role can take 5 open tasks a week" in shown
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Impressions"] == "37,500" and metrics["ROAS"] == "no data"
    goals = next(d.value for d in at.dataframe if "target (brief)" in d.value.columns)
    assert list(goals["target (brief)"]) == ["35 consultations per month"]
    assert goals["actual"][0] == "16 (4 rows)"
    assert "Calder & Finch Solicitors · Q1 launch" in shown
    assert metrics["Plan"].endswith("jobs")


def test_without_an_engagement_the_views_ask_for_one(console: Console, live_api: LiveApi) -> None:
    at = console.open("Projects")
    assert_clean(at)
    assert "Choose a client and engagement in the sidebar" in texts(at)
