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


MENTIONS = Path(__file__).parents[1] / "fixtures" / "listening" / "harbour_mentions.csv"


def test_imported_mentions_show_sentiment_topics_and_what_to_answer(
    console: Console, live_api: LiveApi
) -> None:
    client_id, engagement_id = live_api.new_engagement("Harbour Street Physio")
    live_api.call(
        "POST", "/listening/import", {"engagement_id": engagement_id, "csv": MENTIONS.read_text()}, 201
    )
    at = console.open("Monitoring", client_id, engagement_id)
    assert_clean(at)
    shown = texts(at)
    assert "7 mentions from 1 import(s); 4 sentiments were scored from the text" in shown
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Mentions"] == "7" and metrics["Reach"] == "9,650"
    answer_first = at.dataframe[-1].value
    assert set(answer_first["CSV line"]) <= {3, 7} and len(answer_first) == 2
