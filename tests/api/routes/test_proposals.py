"""Proposals over HTTP (issue 16): list, read with its diff, accept whole, merge fields, discard."""

from __future__ import annotations

from fastapi.testclient import TestClient

from aicmo.bootstrap import App
from aicmo.services import artifacts, proposals
from tests.api.helpers import Api


def _proposed(app: App, artifact_id: str, content: dict) -> str:
    """A proposal beside the artifact, as a plan job writes one when the module was amended."""
    with app.uow() as uow:
        row = uow.artifacts.get(artifact_id)
        made = artifacts.NewContent(content=content)
        proposal = proposals.propose(uow, "system:job strategy.icp", row, made, [])
        uow.commit()
        return proposal.id


def _amended_strategy(api: Api) -> tuple[str, dict]:
    _client, engagement = api.new_engagement()
    created = api.new_artifact(
        engagement, "strategy", {"executive_summary": "Generated.", "positioning_statement": "A."}
    )
    amended = api.amend(
        created, content={"executive_summary": "Ours, typed by hand.", "positioning_statement": "A."}
    )
    return engagement, amended


def test_a_proposal_shows_its_diff_and_is_accepted_whole(client: TestClient, aicmo_app: App) -> None:
    api = Api(client)
    engagement, amended = _amended_strategy(api)
    proposal_id = _proposed(
        aicmo_app,
        amended["id"],
        amended["content"] | {"executive_summary": "Regenerated.", "positioning_statement": "B."},
    )

    listed = api.get(f"/engagements/{engagement}/proposals", expect=200, status="open")
    assert [p["id"] for p in listed] == [proposal_id]
    detail = api.get(f"/proposals/{proposal_id}", expect=200)
    assert detail["base_version"] == detail["current_version"] == amended["version"]
    assert detail["changed_fields"] == ["executive_summary", "positioning_statement"]
    assert '-  "executive_summary": "Ours, typed by hand."' in detail["content_diff"]

    stale = api.post(f"/proposals/{proposal_id}/accept", {"expected_version": 1}, expect=409)
    assert stale["error"]["type"] == "CONFLICT"
    accepted = api.post(
        f"/proposals/{proposal_id}/accept", {"expected_version": amended["version"]}, expect=200
    )
    assert accepted["status"] == "accepted"
    strategy = api.artifact(amended["id"])
    assert strategy["version"] == amended["version"] + 1
    assert strategy["content"] == amended["content"] | {
        "executive_summary": "Regenerated.",
        "positioning_statement": "B.",
    }
    api.post(f"/proposals/{proposal_id}/discard", {}, expect=409)  # decided already


def test_merging_fields_keeps_the_rest_of_the_persons_edit(client: TestClient, aicmo_app: App) -> None:
    api = Api(client)
    _engagement, amended = _amended_strategy(api)
    proposal_id = _proposed(
        aicmo_app,
        amended["id"],
        amended["content"] | {"executive_summary": "Regenerated.", "positioning_statement": "B."},
    )

    api.post(
        f"/proposals/{proposal_id}/accept",
        {"expected_version": amended["version"], "fields": ["nope"]},
        expect=422,
    )
    merged = api.post(
        f"/proposals/{proposal_id}/accept",
        {"expected_version": amended["version"], "fields": ["positioning_statement"]},
        expect=200,
    )
    assert merged["status"] == "merged"
    strategy = api.artifact(amended["id"])
    assert strategy["content"] == amended["content"] | {"positioning_statement": "B."}
    assert strategy["status"] == "revised"  # a merge is the person's amendment


def test_discarding_keeps_the_artifact_and_a_newer_proposal_supersedes(
    client: TestClient, aicmo_app: App
) -> None:
    api = Api(client)
    engagement, amended = _amended_strategy(api)
    first = _proposed(aicmo_app, amended["id"], amended["content"] | {"executive_summary": "One."})
    second = _proposed(aicmo_app, amended["id"], amended["content"] | {"executive_summary": "Two."})
    assert api.get(f"/proposals/{first}", expect=200)["status"] == "superseded"

    discarded = api.post(f"/proposals/{second}/discard", {}, expect=200)
    assert discarded["status"] == "discarded"
    assert api.artifact(amended["id"])["version"] == amended["version"]
    assert api.get(f"/engagements/{engagement}/proposals", expect=200, status="open") == []
    api.get("/proposals/pr_unknown", expect=404)
