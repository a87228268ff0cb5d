"""Autonomy (plan DAG, levels, controls), System (status, masked settings, operations) and the error
boundary that keeps a failing tab from breaking the others."""

from __future__ import annotations

import pytest
from tests.console.conftest import Console, LiveApi, assert_clean, button, sample_brief, texts

from aicmo.entrypoints.console.tabs import strategy


@pytest.fixture(scope="module")
def planned(live_api: LiveApi) -> tuple[str, str]:
    client_id, engagement_id = live_api.new_engagement("Saltmarsh Coffee Roasters")
    live_api.approved(engagement_id, "intake", brief=sample_brief("coffee_ecommerce"))
    return client_id, engagement_id


def test_autonomy_shows_the_plan_as_jobs_by_module_and_a_dag(
    console: Console, planned: tuple[str, str]
) -> None:
    at = console.open("Autonomy", *planned)
    assert_clean(at)
    progress = at.get("progress")
    assert progress and "jobs completed" in progress[0].proto.text
    page = texts(at)
    assert "ICP definition" in page and "Content calendar" in page  # the per-module job tables
    dag = at.get("graphviz_chart")
    assert dag, "the DAG chart is drawn"
    assert '"strategy.icp" -> "strategy.positioning"' in dag[0].proto.spec
    assert button(at, "Pause").label == "Pause"


def test_autonomy_level_is_saved_on_the_engagement(
    console: Console, live_api: LiveApi, planned: tuple[str, str]
) -> None:
    client_id, engagement_id = planned
    at = console.open("Autonomy", client_id, engagement_id)
    level = at.get("button_group")[0]
    level.set_value("assisted").run()
    assert_clean(at)
    assert live_api.call("GET", f"/engagements/{engagement_id}")["autonomy_level"] == "assisted"
    assert "Autonomy level set to assisted" in texts(at)
    live_api.call("PATCH", f"/engagements/{engagement_id}", {"autonomy_level": "manual"})


def test_pause_and_resume_the_plan(console: Console, live_api: LiveApi, planned: tuple[str, str]) -> None:
    client_id, engagement_id = planned
    at = console.open("Autonomy", client_id, engagement_id)
    button(at, "Pause").click().run()
    assert_clean(at)
    assert live_api.call("GET", f"/engagements/{engagement_id}/plan")["state"] == "paused"
    assert "The plan is paused" in texts(at)
    assert button(at, "Run next").disabled
    button(at, "Resume").click().run()
    assert live_api.call("GET", f"/engagements/{engagement_id}/plan")["state"] == "active"


def test_autonomy_without_a_plan_says_when_it_appears(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("No Plan Yet")
    at = console.open("Autonomy", client_id, engagement_id)
    assert_clean(at)
    assert "it appears once the intake is approved" in "\n".join(i.value for i in at.info)


def test_system_shows_build_database_provider_and_masked_settings(console: Console) -> None:
    at = console.open("System")
    assert_clean(at)
    page = texts(at)
    assert "0.1.0" in page and "Git revision" in page
    assert "sqlite" in page and "at head" in page
    settings = next(df for df in at.dataframe if "setting" in df.value.columns)
    values = dict(zip(settings.value["setting"], settings.value["value"], strict=True))
    assert values["admin_token"] == "set"  # secrets are never shown, only whether they are set
    assert not any("test-admin-token" in str(v) for v in values.values())


def test_system_sentinels_and_self_test_call_the_operations_endpoints(
    console: Console, live_api: LiveApi
) -> None:
    at = console.open("System")
    available = live_api.http.get("/system/sentinels").status_code == 200
    page = texts(at)
    if not available:
        assert "Not available in this build" in page
        return
    sentinels = next(df for df in at.dataframe if "status" in df.value.columns)
    assert {"pass"} <= set(sentinels.value["status"])
    button(at, "Run self-test").click().run()
    assert_clean(at)
    assert len(at.dataframe) > 2  # the self-test's steps
    button(at, "Bootstrap schema").click().run()
    assert_clean(at)
    assert not at.error  # the admin token may bootstrap; the schema was already at head


def test_a_failing_tab_shows_a_friendly_panel_and_the_others_still_work(
    console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(api: object) -> None:
        raise RuntimeError("secret internals: /srv/db password=hunter2")

    monkeypatch.setattr(strategy, "render", broken)
    at = console.open("Strategy")
    assert_clean(at)
    panel = "\n".join(e.value for e in at.error)
    assert "Strategy could not finish loading" in panel and "The other tabs still work" in panel
    assert "hunter2" not in texts(at) and "RuntimeError" not in texts(at)
    at = console.open("Creatives")
    assert_clean(at)
    assert not at.error
    assert "API reachable" in texts(at)


def test_delivery_is_refused_with_reasons_until_everything_is_approved(
    console: Console, live_api: LiveApi
) -> None:
    client_id, engagement_id = live_api.new_engagement("Delivery Checks Ltd")
    live_api.approved(engagement_id, "intake", "strategy", brief=sample_brief("law_firm_services"))
    at = console.open("Delivery", client_id, engagement_id)
    assert_clean(at)
    assert "Delivery is blocked" in "\n".join(w.value for w in at.warning)
    assert button(at, "Export PDF report ★").disabled

    live_api.approved(engagement_id, "creatives", "execution", "delivery")
    at = console.open("Delivery", client_id, engagement_id)
    assert_clean(at)
    assert "ready to deliver" in texts(at)
    button(at, "Export Markdown").click().run()
    assert_clean(at)
    assert "Exported" in texts(at)
    exports = live_api.call("GET", f"/engagements/{engagement_id}/exports")["data"]
    assert [e["format"] for e in exports] == ["MD"]
    assert [d.label for d in at.get("download_button")].count("Download") == 1

    button(at, "Export Markdown").click().run()  # the first Markdown export is now superseded
    assert_clean(at)
    assert "superseded" in texts(at)
    exports = live_api.call("GET", f"/engagements/{engagement_id}/exports")["data"]
    assert [e["superseded"] for e in exports] == [False, True]
