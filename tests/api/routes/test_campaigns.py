"""Campaigns over the real routes (SQLite, and PostgreSQL when configured): create with validated
dates, generate items from the approved strategy and creatives, reject one with a reason, revise it,
approve all, then execute in proof mode (simulated, labelled) and in manual mode (live URLs checked
per platform) until the checklist closes (SPEC §6)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.api.helpers import Api
from tests.conftest import SAMPLES


def approved_engagement(api: Api) -> tuple[str, dict]:
    _, engagement_id = api.new_engagement("Calder & Finch Solicitors")
    brief = json.loads((SAMPLES / "law_firm_services.json").read_text())
    for module, body in (("intake", {"intake": brief}), ("strategy", {}), ("creatives", {})):
        envelope = api.post(
            f"/{module}/generate", {"engagement_id": engagement_id, "auto_approve": True, **body}
        )
        assert envelope["status"] == "SUCCESS", envelope
    return engagement_id, brief


def campaign_body(engagement_id: str, brief: dict, mode: str) -> dict:
    return {
        "engagement_id": engagement_id,
        "name": "Spring consultations push",
        "objective": "Booked consultations",
        "platforms": ["linkedin", "google_business"],
        "cadence": {"linkedin": 3},
        "start_date": brief["start_date"],
        "end_date": "2027-02-21",
        "mode": mode,
        "audience": 5000,
    }


def test_a_campaign_walks_from_create_to_a_simulated_proof(client: TestClient) -> None:
    api = Api(client)
    engagement_id, brief = approved_engagement(api)
    bad = api.post(
        "/campaigns", campaign_body(engagement_id, brief, "proof") | {"end_date": "2029-01-01"}, expect=422
    )
    assert bad["error"]["details"][0]["field"] == "end_date"
    campaign = api.post("/campaigns", campaign_body(engagement_id, brief, "proof"), expect=201)
    assert campaign["cadence"] == {"linkedin": 3, "google_business": 2}

    items = api.post(f"/campaigns/{campaign['id']}/generate", expect=200)
    assert {i["platform"] for i in items} == {"linkedin", "google_business"}
    assert sum(i["platform"] == "linkedin" for i in items) == 9  # three weeks at three a week
    assert all(i["status"] == "pending" and not i["findings"] for i in items)
    assert all(brief["required_disclaimers"][0] in i["text"] for i in items)
    assert all(i["length"] <= i["limit"] for i in items)
    api.post(f"/campaigns/{campaign['id']}/generate", expect=409)  # reviewed work is never replaced

    first = items[0]
    api.post(f"/campaign-items/{first['id']}/reject", {"expected_version": 1, "reason": ""}, expect=422)
    rejected = api.post(
        f"/campaign-items/{first['id']}/reject",
        {"expected_version": 1, "reason": "Lead with the fixed fee"},
        expect=200,
    )
    assert rejected["status"] == "rejected" and rejected["reason"] == "Lead with the fixed fee"
    text = "Fixed fees agreed upfront, from £350. " + first["text"]
    api.post(f"/campaign-items/{first['id']}/revise", {"expected_version": 2, "text": text}, expect=409)
    revised = api.post(
        f"/campaign-items/{first['id']}/revise", {"expected_version": 1, "text": text}, expect=200
    )
    assert (revised["status"], revised["version"]) == ("pending", 2)
    assert [h["action"] for h in revised["history"]] == ["generated", "rejected", "pending"]

    approved = api.post(
        f"/campaigns/{campaign['id']}/approve", {"item_ids": [i["id"] for i in items]}, expect=200
    )
    assert {i["status"] for i in approved} == {"approved"}
    assert next(i for i in approved if i["id"] == first["id"])["approved_version"] == 2

    checklist = api.post(f"/campaigns/{campaign['id']}/proof", expect=200)
    assert checklist["completed"] and all(line["done"] for line in checklist["lines"])
    assert checklist["simulated_reach"] > 0
    after = api.get(f"/campaigns/{campaign['id']}/items", expect=200)
    assert all(i["status"] == "published" and i["simulated"]["model"].startswith("simulated") for i in after)
    # each simulated publication is a learning event, labelled simulated with the model's numbers
    events = api.get(f"/clients/{campaign['client_id']}/learning-events", expect=200, kind="publication")
    learned = {e["data"]["item_id"]: e["data"] for e in events["events"]}
    assert set(learned) == {i["id"] for i in after}
    for item in after:
        assert learned[item["id"]]["mode"] == "proof"
        assert learned[item["id"]]["simulated"] == item["simulated"]


def test_manual_mode_records_live_urls_checked_per_platform(client: TestClient) -> None:
    api = Api(client)
    engagement_id, brief = approved_engagement(api)
    campaign = api.post("/campaigns", campaign_body(engagement_id, brief, "manual"), expect=201)
    items = api.post(f"/campaigns/{campaign['id']}/generate", expect=200)
    item = next(i for i in items if i["platform"] == "linkedin")
    assert item["posting_steps"][0].startswith("Open LinkedIn") and len(item["posting_steps"]) >= 4
    api.post(
        f"/campaign-items/{item['id']}/published", {"url": "https://www.linkedin.com/posts/x"}, expect=409
    )
    api.post(f"/campaign-items/{item['id']}/approve", {"expected_version": 1}, expect=200)
    wrong = api.post(
        f"/campaign-items/{item['id']}/published", {"url": "https://evil.example/p/1"}, expect=422
    )
    assert (
        wrong["error"]["details"][0]["field"] == "url"
        and "linkedin.com" in wrong["error"]["details"][0]["message"]
    )
    api.post(
        f"/campaign-items/{item['id']}/published", {"url": "http://www.linkedin.com/posts/x"}, expect=422
    )
    done = api.post(
        f"/campaign-items/{item['id']}/published",
        {"url": "https://www.linkedin.com/posts/calder-finch_123"},
        expect=200,
    )
    assert done["status"] == "published" and done["published_url"].endswith("_123")
    checklist = api.get(f"/campaigns/{campaign['id']}/checklist", expect=200)
    linkedin = next(line for line in checklist["lines"] if line["platform"] == "linkedin")
    assert (linkedin["published"], linkedin["urls_recorded"], linkedin["done"]) == (1, 1, False)
    assert checklist["simulated_reach"] is None and not checklist["completed"]
    api.post(f"/campaigns/{campaign['id']}/proof", expect=409)  # not a proof campaign


def test_items_wait_for_an_approved_strategy(client: TestClient) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement()
    brief = json.loads((SAMPLES / "law_firm_services.json").read_text())
    api.post("/intake/generate", {"engagement_id": engagement_id, "intake": brief, "auto_approve": True})
    campaign = api.post("/campaigns", campaign_body(engagement_id, brief, "manual"), expect=201)
    gated = api.post(f"/campaigns/{campaign['id']}/generate", expect=409)
    assert gated["error"]["type"] == "GATING_ERROR"


def test_a_rejected_item_is_regenerated_by_the_same_writer_keeping_its_history(client: TestClient) -> None:
    api = Api(client)
    engagement_id, brief = approved_engagement(api)
    campaign = api.post("/campaigns", campaign_body(engagement_id, brief, "manual"), expect=201)
    items = api.post(f"/campaigns/{campaign['id']}/generate", expect=200)
    item = next(i for i in items if i["platform"] == "linkedin")
    api.post(f"/campaign-items/{item['id']}/regenerate", {"expected_version": 1}, expect=409)  # not rejected
    api.post(
        f"/campaign-items/{item['id']}/reject",
        {"expected_version": 1, "reason": "Too generic: lead with a client question"},
        expect=200,
    )
    api.post(f"/campaign-items/{item['id']}/regenerate", {"expected_version": 2}, expect=409)  # stale
    again = api.post(f"/campaign-items/{item['id']}/regenerate", {"expected_version": 1}, expect=200)
    assert (again["status"], again["version"], again["approved_version"]) == ("pending", 2, None)
    assert again["text"] != item["text"] and not again["findings"]  # the same gates, passed
    assert brief["required_disclaimers"][0] in again["text"]
    assert again["length"] <= again["limit"] and again["scheduled_at"] == item["scheduled_at"]
    others = [i["text"] for i in items if i["id"] != item["id"]]
    assert again["text"] not in others
    assert [h["action"] for h in again["history"]] == ["generated", "rejected", "regenerated", "pending"]
    regenerated = again["history"][2]
    assert regenerated["previous_text"] == item["text"] and regenerated["reason"].startswith("Too generic")
    # a second rejection and regeneration gives yet another wording
    api.post(f"/campaign-items/{item['id']}/reject", {"expected_version": 2, "reason": "Shorter"}, expect=200)
    third = api.post(f"/campaign-items/{item['id']}/regenerate", {"expected_version": 2}, expect=200)
    assert third["version"] == 3 and third["text"] not in {item["text"], again["text"]}
    approved = api.post(f"/campaign-items/{item['id']}/approve", {"expected_version": 3}, expect=200)
    assert approved["approved_version"] == 3


HOOK_TOKEN = "T0KEN-s3cr3t-9f8e7d6c5b4aab12"
HOOK = f"https://hooks.client.example/catch/{HOOK_TOKEN}"


def live_campaign_body(engagement_id: str) -> dict:
    return {
        "engagement_id": engagement_id,
        "name": "Client hook",
        "objective": "Booked consultations",
        "platforms": ["linkedin"],
        "start_date": "2027-02-01",
        "end_date": "2027-02-14",
        "mode": "live",
    }


def test_a_campaigns_own_destination_is_checked_per_channel_and_only_shown_masked(
    client: TestClient,
) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement("Calder & Finch Solicitors")
    body = live_campaign_body(engagement_id)
    for bad in (body | {"destination": "ftp://hooks.client.example/x"},
                body | {"destination": f"hooks.client.example/catch/{HOOK_TOKEN}"},
                body | {"channel": "email", "destination": HOOK}):  # fmt: skip
        refused = api.post("/campaigns", bad, expect=422)
        assert [d["field"] for d in refused["error"]["details"]] == ["destination"]
        assert HOOK_TOKEN not in json.dumps(refused)

    default = api.post("/campaigns", body, expect=201)
    assert (default["destination"], default["own_destination"]) == ("", False)
    own = api.post("/campaigns", body | {"destination": HOOK}, expect=201)
    assert (own["destination"], own["own_destination"]) == ("https://hooks.client.example/…ab12", True)
    mail = api.post(
        "/campaigns", body | {"channel": "email", "destination": "Posts@Client.example"}, expect=201
    )
    assert mail["destination"] == "Posts@client.example"
    # neither the campaign nor the list nor the audit trail ever returns the token
    seen = [
        api.get(f"/campaigns/{own['id']}", expect=200),
        api.get("/campaigns", expect=200, engagement_id=engagement_id),
        api.get("/audit", expect=200, engagement_id=engagement_id),
    ]
    assert HOOK_TOKEN not in json.dumps(seen) and HOOK_TOKEN not in json.dumps(own)


def test_a_campaigns_name_and_destination_can_be_changed_checked_like_at_creation(client: TestClient) -> None:
    """A URL typed wrong or a client's new hook: PATCH with the version read; a bad destination is a
    422 on `destination` and changes nothing; a stale version is a 409; the token never comes back."""
    api = Api(client)
    _, engagement_id = api.new_engagement("Calder & Finch Solicitors")
    body = live_campaign_body(engagement_id)
    campaign = api.post("/campaigns", body, expect=201)
    path = f"/campaigns/{campaign['id']}"

    refused = api.patch(path, {"expected_version": 1, "destination": "mailto:x@client.example"}, expect=422)
    assert [d["field"] for d in refused["error"]["details"]] == ["destination"]
    assert api.get(path, expect=200)["version"] == 1  # nothing changed

    moved = api.patch(
        path, {"expected_version": 1, "destination": HOOK, "name": "Client hook v2"}, expect=200
    )
    assert (moved["name"], moved["own_destination"], moved["version"]) == ("Client hook v2", True, 2)
    assert moved["destination"] == "https://hooks.client.example/…ab12"
    stale = api.patch(path, {"expected_version": 1, "name": "Lost update"}, expect=409)
    assert [d["field"] for d in stale["error"]["details"]] == ["expected_version"]

    back = api.patch(path, {"expected_version": 2, "destination": ""}, expect=200)
    assert (back["destination"], back["own_destination"], back["name"]) == ("", False, "Client hook v2")
    trail = api.get("/audit", expect=200, engagement_id=engagement_id)
    assert HOOK_TOKEN not in json.dumps([moved, back, trail])
    assert any(e["action"] == "campaign.update" for e in trail["data"])


def test_the_webhook_key_names_the_setting_while_webhooks_are_not_set_up(client: TestClient) -> None:
    answer = Api(client).get("/publishing/webhook-key", expect=404)
    assert "AICMO_PUBLISH_WEBHOOK_SECRET" in json.dumps(answer)
    assert client.get("/api/v1/publishing/webhook-key").status_code == 401
