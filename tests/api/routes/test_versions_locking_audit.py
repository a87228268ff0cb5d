"""Optimistic locking (409, nothing overwritten), version history and diffs, and the audit trail."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from tests.api.helpers import Api


def test_stale_expected_version_gets_409_and_the_stored_content_is_unchanged(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    artifact = api.new_artifact(engagement, "intake", {"primary_offer": "original"})
    api.amend(artifact, content={"primary_offer": "operator A"})
    before = api.artifact(artifact["id"])

    answer = api.post(
        f"/artifacts/{artifact['id']}/amend",
        {"expected_version": 1, "content": {"primary_offer": "operator B, working from v1"}},
        expect=409,
    )
    assert answer["error"]["type"] == "CONFLICT"
    assert answer["error"]["details"][0]["current_version"] == 2
    after = api.artifact(artifact["id"])
    assert after == before
    assert after["content"]["primary_offer"] == "operator A"
    assert len(api.get(f"/artifacts/{artifact['id']}/versions", expect=200)) == 2


def test_two_simultaneous_amends_of_the_same_version_store_exactly_one(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    artifact = api.new_artifact(engagement, "intake")
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def amend(n: int) -> None:
        barrier.wait()
        response = client.post(
            f"/api/v1/artifacts/{artifact['id']}/amend",
            json={"expected_version": 1, "notes": f"edit {n}"},
            headers=api.headers,
        )
        codes.append(response.status_code)

    threads = [threading.Thread(target=amend, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 409, 409, 409]
    assert api.artifact(artifact["id"])["version"] == 2


def test_every_amendment_is_a_version_and_any_two_can_be_diffed(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    artifact = api.new_artifact(
        engagement, "intake", {"primary_offer": "Onboarding software", "tone_voice": "crisp"}
    )
    v2 = api.amend(
        artifact, content={"primary_offer": "Onboarding software for HR teams", "tone_voice": "crisp"}
    )
    v3 = api.amend(v2, notes="Checked with client")

    versions = api.get(f"/artifacts/{artifact['id']}/versions", expect=200)
    assert [(v["version"], v["action"]) for v in versions] == [(1, "create"), (2, "amend"), (3, "amend")]
    assert versions[1]["content"]["primary_offer"] == "Onboarding software for HR teams"
    assert api.get(f"/artifacts/{artifact['id']}/versions/1", expect=200)["content"]["primary_offer"] == (
        "Onboarding software"
    )

    diff = api.get(f"/artifacts/{artifact['id']}/diff", expect=200, **{"from": 1, "to": 2})
    assert diff["changed_fields"] == ["primary_offer"]
    assert '-  "primary_offer": "Onboarding software",' in diff["content_diff"]
    assert '+  "primary_offer": "Onboarding software for HR teams",' in diff["content_diff"]

    diff = api.get(f"/artifacts/{artifact['id']}/diff", expect=200, **{"from": 1, "to": 3})
    assert "+| primary_offer | Onboarding software for HR teams |" in diff["unified_diff"]  # rendered
    assert "+Checked with client" in diff["unified_diff"]
    assert set(diff["changed_fields"]) == {"notes", "primary_offer"}
    assert v3["version"] == 3

    missing = api.get(f"/artifacts/{artifact['id']}/diff", expect=404, **{"from": 1, "to": 9})
    assert missing["error"]["details"] == [{"field": "to", "message": "no version 9"}]


def test_each_action_leaves_an_audit_entry_with_actor_versions_and_statuses(client: TestClient) -> None:
    api = Api(client)
    client_id, engagement = api.new_engagement()
    artifact = api.new_artifact(engagement, "intake")
    api.approve(artifact)
    api.post(f"/artifacts/{artifact['id']}/revoke", {"expected_version": 1}, expect=200)
    api.amend(api.artifact(artifact["id"]), notes="More proof points")
    api.post(
        f"/artifacts/{artifact['id']}/reject",
        {"expected_version": 2, "comment": "Cite the award"},
        expect=200,
    )
    api.post(f"/artifacts/{artifact['id']}/archive", {"expected_version": 2}, expect=200)

    entries = api.get("/audit", expect=200, artifact_id=artifact["id"], limit=50)["data"]
    trail = [
        (e["action"], e["from_version"], e["to_version"], e["from_status"], e["to_status"])
        for e in entries
        if e["action"].startswith("artifact.")  # saving a brief also syncs the client (brief.sync)
    ]
    assert list(reversed(trail)) == [
        ("artifact.create", None, 1, None, "draft"),
        ("artifact.approve", 1, 1, "draft", "approved"),
        ("artifact.revoke", 1, 1, "approved", "draft"),
        ("artifact.amend", 1, 2, "draft", "revised"),
        ("artifact.reject", 2, 2, "revised", "draft"),
        ("artifact.archive", 2, 2, "draft", "archived"),
    ]
    assert all(e["actor"] == "admin:bootstrap-admin" for e in entries)
    assert all(e["trace_id"] for e in entries)
    assert next(e for e in entries if e["action"] == "artifact.reject")["comment"] == "Cite the award"

    client_actions = {e["action"] for e in api.get("/audit", expect=200, client_id=client_id)["data"]}
    assert {"client.create", "engagement.create"} <= client_actions


def test_listing_filters_and_paginates(client: TestClient) -> None:
    api = Api(client)
    _, first = api.new_engagement("First")
    _, second = api.new_engagement("Second")
    api.approve(api.new_artifact(first, "intake"))
    api.new_artifact(second, "intake")
    api.new_artifact(first, "strategy")

    assert api.get("/artifacts", expect=200)["count"] == 3
    assert api.get("/artifacts", expect=200, engagement_id=first)["count"] == 2
    assert api.get("/artifacts", expect=200, status="approved")["count"] == 1
    assert api.get("/artifacts", expect=200, type="strategy")["data"][0]["engagement_id"] == first
    page = api.get("/artifacts", expect=200, limit=2, offset=2)
    assert (page["count"], len(page["data"])) == (3, 1)
    bad = api.get("/artifacts", expect=422, limit=0)
    assert bad["error"]["details"][0]["field"] == "limit"


def test_bad_input_names_the_field_and_is_never_a_5xx(client: TestClient) -> None:
    api = Api(client)
    answer = api.post("/clients", {"name": "", "colour": "red"}, expect=422)
    assert {d["field"] for d in answer["error"]["details"]} == {"name", "colour"}
    answer = api.post("/engagements", {"client_id": "cl_nope", "name": "X"}, expect=422)
    assert answer["error"]["details"][0]["field"] == "client_id"
    answer = api.post("/engagements", {"client_id": "x", "name": "X", "duration_weeks": 500}, expect=422)
    assert answer["error"]["details"][0]["field"] == "duration_weeks"
    response = client.post(
        "/api/v1/clients", content=b"{not json", headers={**api.headers, "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert api.get("/artifacts/does-not-exist", expect=404)["error"]["type"] == "NOT_FOUND"
