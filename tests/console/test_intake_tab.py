"""Client Intake: create a client, fill the brief, see field errors inline, save, approve, reload it."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest
from tests.console.conftest import Console, LiveApi, assert_clean, button, sample_brief, texts


def fill(at: AppTest, engagement_id: str, brief: dict[str, Any]) -> None:
    """Type a brief into the form, field by field, as an operator would."""
    prefix = f"brief:{engagement_id}:"
    text_fields = [
        "client_name",
        "website",
        "industry",
        "geography",
        "primary_offer",
        "pricing",
        "differentiators",
        "target_audience",
        "pain_points",
        "desired_outcomes",
        "kpi_targets",
        "budget_range",
        "constraints",
        "tone_voice",
    ]
    for name in text_fields:
        if name in brief:
            text_widget(at, prefix + name).input(brief[name])
    at.text_area(key=prefix + "banned_words").input("\n".join(brief.get("banned_words", [])))
    at.text_area(key=prefix + "required_disclaimers").input("\n".join(brief.get("required_disclaimers", [])))
    at.selectbox(key=prefix + "objective").set_value(brief["objective"])
    at.multiselect(key=prefix + "platforms").set_value(brief.get("platforms", []))
    at.selectbox(key=prefix + "timezone").set_value(brief.get("timezone", "UTC"))
    at.run()


def text_widget(at: AppTest, key: str):
    """The text input or text area with this key."""
    if any(w.key == key for w in at.text_input):
        return at.text_input(key=key)
    return at.text_area(key=key)


def create_client(console: Console, name: str) -> tuple[AppTest, str, str]:
    at = console.open("Client Intake")
    at.text_input(key="intake:first-client:name").input(name)
    at.text_input(key="intake:first-client:industry").input("Legal Services")
    button(at, "Create client").click().run()
    assert_clean(at)
    client_id, engagement_id = at.query_params.get("client"), at.query_params.get("engagement")
    assert client_id and engagement_id, at.query_params
    assert f"Created {name}" in texts(at)
    return at, client_id, engagement_id


def test_creating_a_client_selects_it_and_its_first_engagement_in_the_url(console: Console) -> None:
    at, client_id, engagement_id = create_client(console, "Brightwater Dental")
    assert at.selectbox(key="sel_client").value == client_id
    assert at.selectbox(key="sel_engagement").value == engagement_id
    # the brief starts from what we know about the client
    assert at.text_input(key=f"brief:{engagement_id}:client_name").value == "Brightwater Dental"
    assert "A. Identity" in texts(at) and "G. Delivery & platforms" in texts(at)


def test_a_field_error_shows_under_its_field_and_keeps_the_input(console: Console, live_api: LiveApi) -> None:
    brief = sample_brief("law_firm_services")
    at, _, engagement_id = create_client(console, brief["client_name"])
    fill(at, engagement_id, {**brief, "website": "calderfinch dot example"})
    button(at, "Save draft").click().run()
    assert_clean(at)
    page = texts(at)
    assert "website: not a valid URL" in page
    assert "Not saved: fix the fields marked below" in page
    assert ":orange[:material/warning:" in page  # warnings (non-blocking) show inline too
    assert live_api.artifact(engagement_id, "intake") is None  # nothing stored
    prefix = f"brief:{engagement_id}:"
    assert text_widget(at, prefix + "primary_offer").value == brief["primary_offer"]
    assert at.text_input(key=prefix + "website").value == "calderfinch dot example"

    at.text_input(key=prefix + "website").input(brief["website"]).run()
    assert "website: not a valid URL" not in texts(at)  # live re-validation clears it
    button(at, "Save draft").click().run()
    assert "Saved the brief as version 1" in texts(at)
    saved = live_api.artifact(engagement_id, "intake")
    assert saved["status"] == "draft"
    assert saved["content"]["website"] == brief["website"]

    button(at, "Approve brief").click().run()
    assert_clean(at)
    assert "Brief approved" in texts(at)
    assert live_api.artifact(engagement_id, "intake")["status"] == "approved"


def test_context_fields_appear_for_hiring_ecommerce_and_services(console: Console) -> None:
    at, _, engagement_id = create_client(console, "Context Case Co")
    prefix = f"brief:{engagement_id}:"
    page = texts(at)
    assert "Hiring context" not in page
    at.selectbox(key=prefix + "objective").set_value("Hiring").run()
    assert "Hiring context" in texts(at)
    at.text_input(key=prefix + "industry").input("E-commerce").run()
    assert "E-commerce context" in texts(at)
    at.text_input(key=prefix + "industry").input("Accounting services").run()
    page = texts(at)
    assert "Services context" in page and "E-commerce context" not in page


def test_a_hiring_brief_without_an_evp_is_refused_with_the_field_named(console: Console) -> None:
    brief = sample_brief("hospital_hiring")
    at, _, engagement_id = create_client(console, brief["client_name"])
    fill(at, engagement_id, brief)
    button(at, "Check brief").click().run()
    assert "context.hiring.evp" in texts(at) or "employee value proposition" in texts(at)


def test_the_saved_brief_loads_back_into_the_form(console: Console, live_api: LiveApi) -> None:
    brief = sample_brief("coffee_ecommerce")
    client_id, engagement_id = live_api.new_engagement(brief["client_name"])
    live_api.generate(engagement_id, "intake", brief)
    at = console.open("Client Intake", client_id, engagement_id)
    assert_clean(at)
    prefix = f"brief:{engagement_id}:"
    assert at.text_input(key=prefix + "website").value == brief["website"]
    assert at.selectbox(key=prefix + "objective").value == "Sales"
    assert at.multiselect(key=prefix + "platforms").value == brief["platforms"]
    assert "Saltmarsh" in at.text_input(key=prefix + "client_name").value
    assert (
        at.text_area(key=prefix + "context.ecommerce.top_skus").value.splitlines()
        == brief["context"]["ecommerce"]["top_skus"]
    )
    assert "E-commerce context" in texts(at)
    assert "version **1**" in texts(at)


def test_the_plan_checklist_appears_once_the_intake_is_approved(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Plan Checklist Co")
    at = console.open("Client Intake", client_id, engagement_id)
    assert "The plan appears here once the intake is approved" in texts(at)
    live_api.approved(engagement_id, "intake", brief=sample_brief("saas_hr_leads"))
    at = console.open("Client Intake", client_id, engagement_id)
    assert_clean(at)
    labels = [c.label for c in at.checkbox]
    assert "ICP definition" in labels
    icp = next(c for c in at.checkbox if c.label == "ICP definition")
    icp.uncheck().run()
    assert_clean(at)
    plan = live_api.call("GET", f"/engagements/{engagement_id}/plan")
    assert not next(j for j in plan["jobs"] if j["title"] == "ICP definition")["enabled"]


def test_saving_an_unchanged_brief_stores_no_new_version(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Unchanged Brief Co")
    live_api.generate(engagement_id, "intake", sample_brief("saas_hr_leads"))
    at = console.open("Client Intake", client_id, engagement_id)
    button(at, "Save draft").click().run()
    assert_clean(at)
    assert "Nothing changed since version 1" in texts(at)
    assert live_api.artifact(engagement_id, "intake")["version"] == 1
