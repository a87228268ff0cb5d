"""The Monitoring tab's performance data over the real API: imported rows show as KPIs per platform
with the rows behind each figure, missing data as "no data", and the weekly trend (SPEC §7)."""

from __future__ import annotations

from pathlib import Path

from tests.console.conftest import Console, LiveApi, assert_clean, texts

FIXTURE = Path(__file__).parents[1] / "fixtures" / "metrics" / "harbour_march.csv"


def test_imported_metrics_show_as_kpis_with_their_row_counts(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Harbour Street Physio")
    live_api.call(
        "POST", "/metrics/import", {"engagement_id": engagement_id, "csv": FIXTURE.read_text()}, 201
    )

    at = console.open("Monitoring", client_id, engagement_id)
    assert_clean(at)
    assert "5 rows from 1 import(s)" in texts(at)
    table = at.dataframe[0].value
    kpis = dict(zip(table["KPI"], table["All platforms"], strict=True))
    assert kpis["Impressions"] == "37,500 (5 rows)"
    assert kpis["Engagement rate"] == "4.49% (4 rows)"
    assert kpis["ROAS"] == "no data (0 rows)"
    assert list(table.columns) == ["KPI", "All platforms", "Facebook", "Google Business Profile", "Instagram"]


def test_without_imports_the_tab_says_nothing_is_reported(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Quiet Client")
    at = console.open("Monitoring", client_id, engagement_id)
    assert_clean(at)
    assert "No performance data imported yet" in texts(at)


def test_the_learn_tab_shows_what_measured_posts_teach(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Quiet Client")
    at = console.open("Learn", client_id, engagement_id)
    assert_clean(at)
    assert "No measured posts yet" in texts(at)
