"""One truth per version (issue 16): an amend changes the structured content, checked against the
module's content model; the Markdown is rendered from it. Issue 18's repros stay fixed."""

from __future__ import annotations

from fastapi.testclient import TestClient

from aicmo.bootstrap import App
from aicmo.domain.artifacts import Module
from aicmo.services import artifacts
from tests.api.helpers import Api
from tests.integration.delivery.builders import approved_delivery, load_brief
from tests.sample_content import sample_content


def _deep(levels: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(levels):
        value = {"x": value}
    return value


def test_an_amend_of_named_fields_changes_the_content_and_the_rendered_markdown(
    client: TestClient, aicmo_app: App
) -> None:
    delivered = approved_delivery(aicmo_app, load_brief("saas_hr_leads"), through=Module.STRATEGY)
    api = Api(client)
    strategy = api.artifact(delivered.artifact_ids["strategy"])
    measurement = strategy["content"]["measurement"]
    measurement["kpis"][0]["target"] = "240 MQLs per month by week 10"
    pillars = strategy["content"]["pillars"]
    pillars[0]["description"] = "Day-one readiness stories told by HR managers themselves."

    amended = api.amend(strategy, content={"measurement": measurement, "pillars": pillars})

    assert amended["version"] == strategy["version"] + 1 and amended["status"] == "revised"
    assert amended["content"]["measurement"]["kpis"][0]["target"] == "240 MQLs per month by week 10"
    assert amended["content"]["icp"] == strategy["content"]["icp"]  # fields not named stay
    assert "240 MQLs per month by week 10" in amended["content_markdown"]
    assert "Day-one readiness stories told by HR managers themselves." in amended["content_markdown"]
    assert "_No amendments yet._" not in amended["content_markdown"]
    assert "_Amended by the agency team: measurement, pillars._" in amended["content_markdown"]
    assert amended["provenance"]["amended_fields"] == ["measurement", "pillars"]
    assert amended["provenance"]["amended_by"].startswith("admin:")
    assert api.artifact(strategy["id"])["content_markdown"] == amended["content_markdown"]


def test_markdown_sent_as_an_amend_is_refused_and_says_to_send_content(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    intake = api.new_artifact(engagement, "intake")
    refused = api.post(
        f"/artifacts/{intake['id']}/amend",
        {"expected_version": 1, "content_markdown": "# Intake\n\nRewritten by hand.\n"},
        expect=422,
    )
    detail = refused["error"]["details"][0]
    assert detail["field"] == "content_markdown"
    assert "send the fields to change in `content`" in detail["message"]
    assert api.artifact(intake["id"])["version"] == 1


def test_content_that_does_not_fit_the_model_is_a_422_naming_the_field(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    intake = api.new_artifact(engagement, "intake")
    wrong_type = api.post(
        f"/artifacts/{intake['id']}/amend",
        {"expected_version": 1, "content": {"duration_weeks": "sixteen"}},
        expect=422,
    )
    assert [d["field"] for d in wrong_type["error"]["details"]] == ["content.duration_weeks"]
    unknown = api.post(
        f"/artifacts/{intake['id']}/amend", {"expected_version": 1, "content": {"offer": "x"}}, expect=422
    )
    assert unknown["error"]["details"] == [{"field": "content.offer", "message": "not a field of Intake"}]
    assert api.artifact(intake["id"])["version"] == 1


def test_content_nested_256_deep_is_refused_and_every_read_still_answers(client: TestClient) -> None:
    """Issue 18: such content was saved, then the artifact, its versions, its export and the
    unfiltered list answered 500."""
    api = Api(client)
    _, engagement = api.new_engagement()
    intake = api.approve(api.new_artifact(engagement, "intake"))
    refused = api.post(
        f"/artifacts/{intake['id']}/amend",
        {"expected_version": intake["version"], "content": {"context": _deep(256)}},
    )
    assert refused["error"]["type"] == "VALIDATION_ERROR"
    assert refused["error"]["details"][0]["field"].startswith("content.context")
    # shallow enough for the request guard, still deeper than any content model nests
    refused = api.post(
        f"/artifacts/{intake['id']}/amend",
        {"expected_version": intake["version"], "content": {"context": _deep(20)}},
        expect=422,
    )
    assert refused["error"]["details"] == [{"field": "content", "message": "nested more than 16 levels deep"}]
    api.get(f"/artifacts/{intake['id']}", expect=200)
    api.get(f"/artifacts/{intake['id']}/versions", expect=200)
    api.get("/artifacts", expect=200)
    response = client.get(
        f"/api/v1/artifacts/{intake['id']}/export", params={"format": "json"}, headers=api.headers
    )
    assert response.status_code == 200


def test_creatives_amended_to_garbage_are_refused_and_execution_still_generates(
    client: TestClient, aicmo_app: App
) -> None:
    """Issue 18: creatives amended to {"garbage": 1} and approved made POST /execution/generate 500."""
    delivered = approved_delivery(aicmo_app, load_brief("saas_hr_leads"), through=Module.CREATIVES)
    api = Api(client)
    creatives = api.artifact(delivered.artifact_ids["creatives"])
    refused = api.post(
        f"/artifacts/{creatives['id']}/amend",
        {"expected_version": creatives["version"], "content": {"garbage": 1}},
        expect=422,
    )
    assert [d["field"] for d in refused["error"]["details"]] == ["content.garbage"]
    assert api.artifact(creatives["id"])["status"] == "approved"
    envelope = api.post("/execution/generate", {"engagement_id": delivered.engagement_id}, expect=200)
    assert envelope["status"] in ("SUCCESS", "PARTIAL")


def test_a_half_made_module_cannot_be_approved_and_the_answer_names_the_missing_parts(
    client: TestClient, aicmo_app: App
) -> None:
    delivered = approved_delivery(aicmo_app, load_brief("saas_hr_leads"), through=Module.EXECUTION)
    with aicmo_app.uow() as uow:  # what a plan run leaves after one of monitoring's two parts
        row = artifacts.store_generated(
            uow,
            "system:job monitoring.kpis",
            delivered.engagement_id,
            Module.MONITORING,
            artifacts.NewContent(content={"brand": "Brightlane HR", "data_status": "no_data"}),
        )
        uow.commit()
        monitoring_id = row.id
    api = Api(client)
    monitoring = api.artifact(monitoring_id)
    assert "_Incomplete:" in monitoring["content_markdown"]
    refused = api.post(
        f"/artifacts/{monitoring_id}/approve", {"expected_version": monitoring["version"]}, expect=409
    )
    assert "is incomplete and cannot be approved" in refused["error"]["message"]
    missing = {d["field"] for d in refused["error"]["details"]}
    assert missing == {
        "content.data_note",
        "content.tracking_checklist",
        "content.kpis",
        "content.review_cadence",
    }
    assert api.artifact(monitoring_id)["status"] == "draft"


def test_a_row_stored_before_validation_still_reads_with_its_markdown_rendered(
    client: TestClient, aicmo_app: App
) -> None:
    """Keep existing artifacts readable: a row with hand-typed content and a hand-edited Markdown
    (the old two truths) reads as its content rendered, the missing parts named, and can be fixed."""
    api = Api(client)
    _, engagement = api.new_engagement()
    strategy_id = api.new_artifact(engagement, "strategy")["id"]
    with aicmo_app.uow() as uow:
        row = uow.artifacts.get(strategy_id)
        row.content = {"brand": "Northwind", "summary": "typed by hand"}
        row.content_markdown = "# Strategy\n\nA hand edit that drifted from the content.\n"
        uow.commit()
    legacy = api.artifact(strategy_id)
    assert "A hand edit that drifted" not in legacy["content_markdown"]
    assert legacy["content_markdown"].startswith("# Strategy\n\n_Incomplete: ")
    assert "executive_summary" in legacy["content_markdown"]
    api.get(f"/artifacts/{strategy_id}/versions", expect=200)
    fixed = api.amend(legacy, content=sample_content("strategy"))  # the unknown `summary` is dropped
    assert "summary" not in fixed["content"] and "_Incomplete" not in fixed["content_markdown"]


def test_generating_on_an_approved_upstream_that_does_not_fit_its_model_is_a_409_naming_it(
    client: TestClient, aicmo_app: App
) -> None:
    """Issue 18's second repro through a row stored before validation: creatives {"garbage": 1},
    approved, then POST /execution/generate was a 500."""
    delivered = approved_delivery(aicmo_app, load_brief("saas_hr_leads"), through=Module.CREATIVES)
    with aicmo_app.uow() as uow:
        uow.artifacts.get(delivered.artifact_ids["creatives"]).content = {"garbage": 1}
        uow.commit()
    api = Api(client)
    refused = api.post("/execution/generate", {"engagement_id": delivered.engagement_id}, expect=409)
    assert refused["error"]["type"] == "GATING_ERROR"
    assert "creatives (approved but incomplete: " in refused["error"]["message"]
    assert (
        api.get("/artifacts", expect=200, engagement_id=delivered.engagement_id, type="execution")["count"]
        == 0
    )
