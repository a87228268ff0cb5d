"""Draft → amend → approve → export on the generating tabs (SPEC §2, §4), against a real API."""

from __future__ import annotations

import json

import pytest
from tests.console.conftest import Console, LiveApi, assert_clean, button, sample_brief, texts


@pytest.fixture
def approved_intake(live_api: LiveApi) -> tuple[str, str]:
    client_id, engagement_id = live_api.new_engagement("Calder & Finch Solicitors")
    live_api.approved(engagement_id, "intake", brief=sample_brief("law_firm_services"))
    return client_id, engagement_id


def test_generate_is_disabled_with_the_named_reasons_while_gated(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Gated Co")
    live_api.generate(engagement_id, "intake", sample_brief("law_firm_services"))  # a draft, not approved
    at = console.open("Strategy", client_id, engagement_id)
    assert_clean(at)
    assert "intake (draft - must be approved)" in "\n".join(w.value for w in at.warning)
    assert button(at, "Generate strategy").disabled
    at = console.open("Execution", client_id, engagement_id)
    warning = "\n".join(w.value for w in at.warning)
    assert "strategy (missing)" in warning and "creatives (missing)" in warning
    assert button(at, "Generate execution plan").disabled


def test_generate_preview_amend_approve_and_download(
    console: Console, live_api: LiveApi, approved_intake: tuple[str, str]
) -> None:
    client_id, engagement_id = approved_intake
    at = console.open("Strategy", client_id, engagement_id)
    assert "No strategy yet" in texts(at)
    button(at, "Generate strategy").click().run()
    assert_clean(at)
    assert "Generated version 1 as a draft" in texts(at)
    strategy = live_api.artifact(engagement_id, "strategy")
    assert strategy["status"] == "draft"
    # preview: the Markdown as generated, plus the structured view
    assert strategy["content_markdown"].splitlines()[0] in texts(at)
    assert "Content pillars" in texts(at)
    # not approved: no downloads, and the page says why
    assert not at.get("download_button")
    assert "Downloads unlock once approved" in texts(at)

    editor = at.text_area(key=f"ed_content:{strategy['id']}")
    content = json.loads(editor.value)
    content["executive_summary"] = "Amended by the operator: lead with fixed fees."
    editor.input(json.dumps(content, indent=2))
    at.text_area(key=f"ed_notes:{strategy['id']}").input("Client asked for a fee-first message.")
    button(at, "Save as new version").click().run()
    assert_clean(at)
    assert "Saved your edit as version 2 (revised)" in texts(at)
    strategy = live_api.artifact(engagement_id, "strategy")
    assert strategy["version"] == 2 and strategy["status"] == "revised"
    assert strategy["content"]["executive_summary"] == "Amended by the operator: lead with fixed fees."
    assert "lead with fixed fees" in strategy["content_markdown"]  # rendered from the content
    # the notes are the Markdown's closing "Operator notes" section, so every export carries them
    assert strategy["content_markdown"].count("## Operator notes") == 1
    assert strategy["content_markdown"].rstrip().endswith("_Amended by the agency team: executive summary._")
    assert "Client asked for a fee-first message." in strategy["content_markdown"]
    assert "Operator notes" in texts(at)  # the preview shows the notes section

    button(at, "Approve").click().run()
    assert_clean(at)
    assert live_api.artifact(engagement_id, "strategy")["status"] == "approved"
    downloads = {d.label: d for d in at.get("download_button")}
    assert set(downloads) == {"Markdown", "JSON"}

    button(at, "Revoke").click().run()
    assert live_api.artifact(engagement_id, "strategy")["status"] == "draft"
    assert not at.get("download_button")


def test_a_concurrent_edit_is_refused_and_the_text_is_kept(
    console: Console, live_api: LiveApi, approved_intake: tuple[str, str]
) -> None:
    client_id, engagement_id = approved_intake
    strategy = live_api.generate(engagement_id, "strategy")
    at = console.open("Strategy", client_id, engagement_id)
    mine = json.dumps(strategy["content"] | {"executive_summary": "My careful edit."}, indent=2)
    at.text_area(key=f"ed_content:{strategy['id']}").input(mine)
    live_api.amend(strategy, notes="someone else got there first")  # now version 2
    button(at, "Save as new version").click().run()
    assert_clean(at)
    assert "Someone changed this since you opened it" in "\n".join(e.value for e in at.error)
    assert at.text_area(key=f"ed_content:{strategy['id']}").value == mine
    assert live_api.artifact(engagement_id, "strategy")["notes"] == "someone else got there first"
    at.run()  # after a rerun the edit is still there, with the way out
    assert at.text_area(key=f"ed_content:{strategy['id']}").value == mine
    assert "moved on to version 2" in "\n".join(w.value for w in at.warning)


def test_reset_to_generated_and_diff_between_versions(
    console: Console, live_api: LiveApi, approved_intake: tuple[str, str]
) -> None:
    client_id, engagement_id = approved_intake
    strategy = live_api.generate(engagement_id, "strategy")
    generated = strategy["content"]
    live_api.amend(strategy, content={"executive_summary": "A line the client disliked."})
    at = console.open("Strategy", client_id, engagement_id)
    code = "\n".join(c.value for c in at.code)
    assert "+A line the client disliked." in code  # history: v1 → v2 diff
    button(at, "Reset to generated").click().run()
    assert_clean(at)
    after = live_api.artifact(engagement_id, "strategy")
    assert after["version"] == 3 and after["content"] == generated
    assert button(at, "Reset to generated").disabled
    assert "Reset to the content generated in version 1" in texts(at)


def test_a_stale_artifact_shows_its_cause_and_can_be_reapproved(console: Console, live_api: LiveApi) -> None:
    brief = sample_brief("law_firm_services")
    client_id, engagement_id = live_api.new_engagement("Stale Cause Ltd")
    done = live_api.approved(engagement_id, "intake", "strategy", "creatives", brief=brief)
    intake = live_api.amend(done["intake"], notes="the client changed the budget")
    live_api.approve(intake)
    at = console.open("Strategy", client_id, engagement_id)
    assert_clean(at)
    warning = "\n".join(w.value for w in at.warning)
    assert "Flagged for review" in warning and "intake changed from v1 to v2" in warning
    assert "Downloads unlock once approved — now it is flagged for review" in texts(at)
    at_creatives = console.open("Creatives", client_id, engagement_id)
    assert "intake changed from v1 to v2 (via strategy)" in "\n".join(w.value for w in at_creatives.warning)

    button(at, "Re-approve as is").click().run()
    assert_clean(at)
    assert live_api.artifact(engagement_id, "strategy")["status"] == "approved"
    activity = next(m.value for m in at.markdown if m.value.startswith("**Activity**"))
    assert "flag" in activity and "intake changed from v1 to v2" in activity and "approve" in activity


def test_a_stale_artifact_regenerates_in_one_click(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Regenerate Ltd")
    done = live_api.approved(engagement_id, "intake", "strategy", brief=sample_brief("saas_hr_leads"))
    live_api.approve(live_api.amend(done["intake"], notes="new KPI"))
    at = console.open("Strategy", client_id, engagement_id)
    assert at.button(key="strategy:approve").label == "Re-approve as is"
    at.button(key="strategy:generate").click().run()
    assert_clean(at)
    strategy = live_api.artifact(engagement_id, "strategy")
    assert strategy["status"] == "draft" and strategy["version"] == 2 and not strategy["stale_causes"]


@pytest.mark.parametrize(
    ("label", "module", "upstream"),
    [
        ("Lead Gen", "leadgen", ("intake", "strategy")),
        ("Monitoring", "monitoring", ("intake", "strategy", "creatives", "execution")),
        ("Learn", "learn", ("intake", "strategy")),
        ("Delivery", "delivery", ("intake", "strategy", "creatives", "execution")),
        ("Creatives", "creatives", ("intake", "strategy")),
        ("Execution", "execution", ("intake", "strategy", "creatives")),
    ],
)
def test_each_generating_tab_generates_its_module(
    console: Console, live_api: LiveApi, label: str, module: str, upstream: tuple[str, ...]
) -> None:
    client_id, engagement_id = live_api.new_engagement(f"{label} Co")
    live_api.approved(engagement_id, *upstream, brief=sample_brief("coffee_ecommerce"))
    at = console.open(label, client_id, engagement_id)
    generate = at.button(key=f"{module}:generate")
    assert not generate.disabled
    generate.click().run()
    assert_clean(at)
    assert live_api.artifact(engagement_id, module)["version"] == 1
    assert "Generated version 1" in texts(at)
    if label == "Lead Gen":  # Learn and Monitoring have no "not built" notice any more
        assert "Not built yet" in "\n".join(i.value for i in at.info)
