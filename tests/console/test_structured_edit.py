"""The Edit view edits content as structure: a KPI table cell and a pillar field change exactly those
fields of a new version; content that breaks the model is refused before it is sent; the execution
plan is edited one post at a time."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest
from tests.console.conftest import Console, LiveApi, assert_clean, button, sample_brief, texts


def widget(at: AppTest, kind: str, label: str) -> Any:
    matches = [w for w in getattr(at, kind) if w.label == label]
    assert matches, f"no {kind} {label!r}"
    return matches[0]


def test_a_kpi_cell_and_a_pillar_field_become_a_new_version(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Structured Ltd")
    live_api.approved(engagement_id, "intake", brief=sample_brief("law_firm_services"))
    before = live_api.generate(engagement_id, "strategy")
    at = console.open("Strategy", client_id, engagement_id)
    widget(at, "text_input", "Target · KPI 2").input("≤ £90 per lead by week 6")
    widget(at, "text_area", "Description · Pillar 1").input(
        "Fear of tribunal claims, answered in plain English."
    )
    at.run()
    assert "Changed: Pillars, Measurement" in texts(at)
    button(at, "Save changes as a new version").click().run()
    assert_clean(at)
    assert "Saved your edit of Pillars, Measurement as version 2" in texts(at)
    after = live_api.artifact(engagement_id, "strategy")
    assert after["version"] == 2
    assert after["content"]["measurement"]["kpis"][1]["target"] == "≤ £90 per lead by week 6"
    assert after["content"]["pillars"][0]["description"].startswith("Fear of tribunal claims")
    untouched = {k: v for k, v in before["content"].items() if k not in ("pillars", "measurement")}
    assert {k: after["content"][k] for k in untouched} == untouched


def test_content_that_breaks_the_model_is_refused_before_sending(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Refused Ltd")
    live_api.approved(engagement_id, "intake", brief=sample_brief("coffee_ecommerce"))
    live_api.generate(engagement_id, "strategy")
    at = console.open("Strategy", client_id, engagement_id)
    for _ in range(5):  # a strategy needs at least three pillars
        remove = [b for b in at.button if b.label == "Remove the last pillar" and not b.disabled]
        if remove:
            remove[0].click().run()
    button(at, "Save changes as a new version").click().run()
    assert "Not saved: fix these first." in "\n".join(e.value for e in at.error)
    assert "pillars" in "\n".join(e.value for e in at.error)
    assert live_api.artifact(engagement_id, "strategy")["version"] == 1


def test_one_post_is_edited_and_approved_without_touching_the_others(
    console: Console, live_api: LiveApi
) -> None:
    client_id, engagement_id = live_api.new_engagement("Posts Ltd")
    live_api.approved(
        engagement_id, "intake", "strategy", "creatives", brief=sample_brief("coffee_ecommerce")
    )
    before = live_api.generate(engagement_id, "execution")
    first = min(before["content"]["posts"], key=lambda p: p["scheduled_at"])
    at = console.open("Execution", client_id, engagement_id)
    assert_clean(at)
    widget(at, "text_area", f"Text · post {first['id']}").input("Roasted Monday, at your door Wednesday.")
    at.run()
    approve = next(b for b in at.button if b.label == "Approve post" and not b.disabled)
    approve.click().run()
    assert_clean(at)
    posts = {p["id"]: p for p in live_api.artifact(engagement_id, "execution")["content"]["posts"]}
    assert posts[first["id"]]["text"] == "Roasted Monday, at your door Wednesday."
    assert posts[first["id"]]["status"] == "approved"
    others = [p for p in before["content"]["posts"] if p["id"] != first["id"]]
    assert all(posts[p["id"]]["text"] == p["text"] and posts[p["id"]]["status"] == "draft" for p in others)
