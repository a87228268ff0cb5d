"""The compliance review over HTTP (issue 15): a law firm's approved content with a claim the bar
forbids, typed in by a person and approved by them, is caught by the review: the findings name the
asset, the rule and the words; auto-approval is refused; the delivery is held until a person
approves (or archives) the review."""

from __future__ import annotations

from fastapi.testclient import TestClient

from aicmo.bootstrap import App
from aicmo.domain.artifacts import Module
from tests.api.helpers import Api
from tests.integration.delivery.builders import approved_delivery, load_brief


def test_a_claim_a_person_let_through_is_caught_and_holds_the_delivery(
    client: TestClient, aicmo_app: App
) -> None:
    api = Api(client)
    made = approved_delivery(aicmo_app, load_brief("law_firm_services"), through=Module.EXECUTION)
    engagement = made.engagement_id
    assert api.get(f"/engagements/{engagement}/delivery/manifest", expect=200)["ready"] is True

    execution = api.artifact(made.artifact_ids["execution"])
    posts = execution["content"]["posts"]
    posts[0]["text"] = "We will win your case. " + posts[0]["text"]
    amended = api.amend(execution, content={"posts": posts})
    api.approve(amended)  # a person's decision: the review still reads what went out

    body = {"engagement_id": engagement, "auto_approve": True}
    envelope = api.post("/compliance/generate", body, expect=200)
    codes = {f["code"] for f in envelope["meta"]["findings"]}
    assert "compliance_blocking" in codes, envelope["meta"]["findings"]
    review = api.artifact(envelope["meta"]["artifact_id"])
    assert review["status"] == "draft"  # never approved automatically with a blocking finding
    blocking = [f for f in review["content"]["findings"] if f["severity"] == "blocking"]
    assert [(f["asset"], f["rule"]) for f in blocking] == [
        ("execution.posts.0", "forbidden claim (promised case outcome)"),
        ("execution.posts.0", "banned word 'win your case' (the brief's never-say list)"),
    ]
    assert "win your case" in blocking[0]["excerpt"] and "not ready" in review["content"]["verdict"]
    assert "## Blocking findings" in review["content_markdown"]

    manifest = api.get(f"/engagements/{engagement}/delivery/manifest", expect=200)
    assert manifest["ready"] is False
    assert any(r.startswith("compliance") for r in manifest["reasons"]), manifest["reasons"]
