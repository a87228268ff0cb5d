"""The console in headless Chromium over the real stack (`aicmo api` + `aicmo ui` subprocesses).

1. brief → field error → fix → approve → strategy → amend → approve → creatives and execution →
   approve → download Markdown; then amend the intake and see the downstream flagged with the cause.
   Every tab is screenshotted (test-output/screenshots/) and shows no exception text.
2. Reloading the browser keeps the selected client, engagement, tab and all work.
3. With the API stopped, every tab says "API unreachable at <url>" with the fix, and no traceback;
   started again, the console reconnects by itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.console.conftest import sample_brief
from tests.e2e.conftest import Stack
from tests.e2e.console_page import ConsolePage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TABS = [
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


def slug(label: str) -> str:
    return label.lower().replace(" ", "-")


@pytest.fixture
def console(stack: Stack, page: Any, screenshots: Path) -> ConsolePage:
    return ConsolePage(page, stack.ui_url, screenshots)


def fill_brief(ui: ConsolePage, brief: dict[str, Any]) -> None:
    """Type the required parts of a brief the way an operator would."""
    for label, field in [
        ("Geography *", "geography"),
        ("Primary offer *", "primary_offer"),
        ("Differentiators *", "differentiators"),
        ("Target audience *", "target_audience"),
        ("Pain points *", "pain_points"),
        ("Desired outcomes *", "desired_outcomes"),
        ("KPI targets", "kpi_targets"),
        ("Tone of voice *", "tone_voice"),
        ("Banned words", "banned_words"),
        ("Required disclaimers", "required_disclaimers"),
    ]:
        value = brief[field]
        ui.fill(label, "\n".join(value) if isinstance(value, list) else value)
    ui.choose("Objective *", brief["objective"])


def test_brief_to_approved_execution_then_a_stale_cascade(stack: Stack, console: ConsolePage) -> None:
    ui = console
    brief = sample_brief("law_firm_services")
    ui.open()
    ui.assert_clean()

    # create the client (and its first engagement)
    ui.fill("Client name *", brief["client_name"])
    ui.fill("Industry", brief["industry"])
    ui.click("Create client")
    ui.see(f"Created {brief['client_name']}")
    assert "client=" in ui.page.url and "engagement=" in ui.page.url

    # fill the brief with a malformed website: the field error shows under the field, input is kept
    ui.fill("Website *", "calderfinch dot example")
    fill_brief(ui, brief)
    ui.click("Save draft")
    ui.see("Not saved: fix the fields marked below")
    error = ui.see("website: not a valid URL")
    error.scroll_into_view_if_needed()
    ui.page.mouse.wheel(0, -250)  # show the section heading above the field too
    ui.shot("intake-field-error")
    expect(ui.page.get_by_label("Primary offer *", exact=True)).to_have_value(brief["primary_offer"])

    # fix it, save, approve (the optional LLM review says it is off on the offline default)
    ui.fill("Website *", brief["website"])
    ui.click("LLM review")
    ui.see("The LLM review is off: no LLM provider is configured")
    ui.click("Save draft")
    ui.see("Saved the brief as version 1")
    ui.click("Approve brief")
    ui.see("Brief approved")
    ui.assert_clean()

    # strategy: generate, amend, approve
    ui.tab("Strategy")
    ui.click("Generate strategy")
    ui.see("Generated version 1 as a draft")
    ui.see("Downloads unlock once approved")
    ui.subtab("Edit")  # the content as fields, lists and tables
    positioning = ui.page.get_by_label("Positioning statement", exact=True)
    positioning.fill("Operator amendment: lead with the fixed-fee promise.")
    positioning.blur()
    ui.settle()
    ui.click("Save changes as a new version")
    ui.see("Saved your edit of Positioning statement as version 2 (revised)")
    ui.click("Approve")
    ui.see("Approved version 2")
    ui.shot("strategy-approved")
    ui.subtab("History & diff")
    ui.page.get_by_text("Structured content diff").click()
    ui.page.locator("code").filter(
        has_text="Operator amendment: lead with the fixed-fee promise."
    ).last.wait_for()
    ui.shot("strategy-history-diff")

    # creatives and execution: generate and approve
    for label, button in (("Creatives", "Generate creatives"), ("Execution", "Generate execution plan")):
        ui.tab(label)
        ui.click(button)
        ui.see("Generated version 1")
        ui.click("Approve")
        ui.see("Approved version 1")
        ui.assert_clean()

    # download the approved execution plan as Markdown
    with ui.page.expect_download() as download_info:
        ui.click("Markdown")
    download = download_info.value
    assert download.suggested_filename.endswith("-execution-v1.md")
    text = Path(download.path()).read_text()
    assert brief["client_name"] in text and "Approved" in text and "Content calendar" in text

    # amend the intake: strategy and everything built on it are flagged, with the cause
    ui.tab("Client Intake")
    ui.fill("KPI targets", "50 consultations per month")
    ui.click("Save draft")
    ui.see("Saved the brief as version 2")
    strategy_now = stack.artifact(_engagement_of(ui), "strategy")["status"]
    assert strategy_now == "approved"  # a draft brief flags nothing: staleness follows approvals
    ui.click("Approve brief")
    ui.see("Brief approved")
    ui.tab("Strategy")
    ui.see("Flagged for review")
    ui.see("intake changed from v1 to v2")
    ui.shot("strategy-stale")
    ui.tab("Execution")
    ui.see("intake changed from v1 to v2 (via")
    assert "Downloads unlock once approved" in ui.body()

    # every tab renders without exception text, and is screenshotted
    for number, label in enumerate(TABS, 1):
        ui.tab(label)
        ui.assert_clean()
        ui.shot(f"{number:02d}-{slug(label)}")
    assert stack.artifact(_engagement_of(ui), "strategy")["status"] == "flagged_for_review"


def _engagement_of(ui: ConsolePage) -> str:
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(ui.page.url).query)["engagement"][0]


def test_a_reload_keeps_the_client_engagement_tab_and_work(stack: Stack, console: ConsolePage) -> None:
    ui = console
    brief = sample_brief("coffee_ecommerce")
    client = stack.call("POST", "/clients", {"name": "Saltmarsh Coffee Roasters"}, expect=201)
    engagement = stack.call("POST", "/engagements", {"client_id": client["id"], "name": "Summer push"}, 201)
    eid = engagement["id"]
    stack.call("POST", "/intake/generate", {"engagement_id": eid, "intake": brief})
    intake = stack.artifact(eid, "intake")
    stack.call("POST", f"/artifacts/{intake['id']}/approve", {"expected_version": 1})
    stack.call("POST", "/strategy/generate", {"engagement_id": eid})

    ui.open()
    ui.choose("Client", "Saltmarsh Coffee Roasters")
    ui.choose("Engagement", "Summer push")
    ui.tab("Strategy")
    ui.see("version 1")
    assert f"client={client['id']}" in ui.page.url and f"engagement={eid}" in ui.page.url

    ui.page.reload()
    ui.page.get_by_role("tab", name="Strategy", exact=True).wait_for()
    ui.idle()
    ui.see("Regenerate")
    expect(ui.page.get_by_label("Client", exact=True)).to_have_value("Saltmarsh Coffee Roasters")
    expect(ui.page.get_by_label("Engagement", exact=True)).to_have_value("Summer push")
    assert ui.page.get_by_role("tab", name="Strategy", exact=True).get_attribute("aria-selected") == "true"
    ui.see("version 1")
    ui.tab("Client Intake")
    expect(ui.page.get_by_label("Website *", exact=True)).to_have_value(brief["website"])
    ui.assert_clean()
    ui.shot("reload-keeps-selection")


def test_autonomy_runs_the_plan_with_live_progress(stack: Stack, console: ConsolePage) -> None:
    ui = console
    client = stack.call("POST", "/clients", {"name": "St. Brigid Community Hospital"}, expect=201)
    engagement = stack.call("POST", "/engagements", {"client_id": client["id"], "name": "Nurse hiring"}, 201)
    eid = engagement["id"]
    stack.call("POST", "/intake/generate", {"engagement_id": eid, "intake": sample_brief("hospital_hiring")})
    stack.call("POST", f"/artifacts/{stack.artifact(eid, 'intake')['id']}/approve", {"expected_version": 1})
    total = len(stack.call("GET", f"/engagements/{eid}/plan")["jobs"])

    ui.open(f"?client={client['id']}&engagement={eid}&tab=Autonomy")
    ui.see(f"0 of {total} jobs completed")
    ui.click("Run all ready (1)")
    # no click after this: the progress bar and the job table refresh by themselves while jobs run
    expect(ui.page.get_by_text(re.compile(rf"^6 of {total} jobs completed$"))).to_be_visible(timeout=60_000)
    ui.see("waiting on")
    plan = stack.call("GET", f"/engagements/{eid}/plan")
    assert plan["progress"]["completed"] == 6  # the strategy jobs; creatives wait for its approval
    ui.subtab("DAG")
    ui.assert_clean()
    ui.shot("autonomy-progress")


def test_every_tab_says_the_api_is_unreachable_with_the_fix(stack: Stack, console: ConsolePage) -> None:
    ui = console
    ui.open()
    stack.stop_api()
    try:
        for label in TABS:
            ui.tab(label, expect="API unreachable")
            banner = ui.see(f"API unreachable at {stack.api_url}")
            assert banner.is_visible()
            body = ui.body()
            assert "aicmo serve" in body and "AICMO_BACKEND_URL" in body
            ui.assert_clean()
        ui.shot("api-unreachable")
    finally:
        stack.start_api()
    ui.see("API reachable", timeout=15_000)  # the page reconnects by itself
    ui.assert_clean()


def test_a_leads_csv_uploads_in_the_browser_and_a_lead_moves(
    stack: Stack, console: ConsolePage, tmp_path: Path
) -> None:
    ui = console
    stack.call("POST", "/clients", {"name": "Harbour Logistics"}, expect=201)
    csv_file = tmp_path / "leads.csv"
    csv_file.write_text(
        "E-mail,Full Name,Organisation,Job Title,Lead Source,Consent\n"
        "dana@harbour.example,Dana Ruiz,Harbour Logistics,Head of Talent,Referral,yes\n"
        "eli@gmail.com,Eli Moss,,Recruiter,Instagram,no\n"
        "not-an-email,Nobody,,,,\n"
    )
    ui.open()
    ui.choose("Client", "Harbour Logistics")
    ui.tab("Lead Gen")
    ui.page.get_by_text("Import leads from a CSV").click()
    ui.page.locator("input[type=file]").set_input_files(str(csv_file))
    ui.idle()
    ui.click("Import")
    ui.see("Imported 2 new lead(s); 0 already known, 0 repeated in the file, 1 skipped.")
    ui.see("row 4.email: not an e-mail address: not-an-email")
    ui.page.wait_for_timeout(2000)
    ui.shot("lead-gen-imported")
    ui.choose("Lead", "eli@gmail.com (NEW)")
    ui.choose("To", "CONTACTED")
    ui.click("Move")
    ui.see("eli@gmail.com is now CONTACTED")
    ui.assert_clean()
