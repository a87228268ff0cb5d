"""The Campaigns tab over the real API: a campaign's review queue shows each post with its platform
length, a rejection needs a reason, and manual mode shows numbered posting steps (SPEC §6)."""

from __future__ import annotations

import json

from tests.conftest import SAMPLES
from tests.console.conftest import Console, LiveApi, assert_clean, button, texts

from aicmo.services import publishing


def test_the_review_queue_and_manual_steps(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement()
    brief = json.loads((SAMPLES / "law_firm_services.json").read_text())
    for module, body in (("intake", {"intake": brief}), ("strategy", {}), ("creatives", {})):
        live_api.call(
            "POST", f"/{module}/generate", {"engagement_id": engagement_id, "auto_approve": True, **body}
        )
    campaign = live_api.call(
        "POST",
        "/campaigns",
        {
            "engagement_id": engagement_id,
            "name": "Spring push",
            "objective": "Booked consultations",
            "platforms": ["linkedin"],
            "start_date": brief["start_date"],
            "end_date": "2027-02-14",
            "mode": "manual",
        },
        201,
    )
    items = live_api.call("POST", f"/campaigns/{campaign['id']}/generate")
    live_api.call("POST", f"/campaign-items/{items[0]['id']}/approve", {"expected_version": 1})

    at = console.open("Campaigns", client_id, engagement_id)
    assert_clean(at)
    queue = at.dataframe[0].value
    assert list(queue["status"]).count("approved") == 1 and "length" in queue.columns
    assert "Open LinkedIn on the client's account" in texts(at)
    next(b for b in at.button if b.label == "Reject").click().run()
    assert "reason" in texts(at).lower()


def _live_campaign(live_api: LiveApi) -> tuple[str, str, str, list[dict]]:
    client_id, engagement_id = live_api.new_engagement()
    brief = json.loads((SAMPLES / "law_firm_services.json").read_text())
    for module, body in (("intake", {"intake": brief}), ("strategy", {}), ("creatives", {})):
        live_api.call(
            "POST", f"/{module}/generate", {"engagement_id": engagement_id, "auto_approve": True, **body}
        )
    campaign = live_api.call(
        "POST",
        "/campaigns",
        {
            "engagement_id": engagement_id,
            "name": "Live push",
            "objective": "Booked consultations",
            "platforms": ["linkedin"],
            "start_date": brief["start_date"],
            "end_date": "2027-02-07",
            "mode": "live",
        },
        201,
    )
    items = live_api.call("POST", f"/campaigns/{campaign['id']}/generate")
    return client_id, engagement_id, campaign["id"], items


def test_regenerate_a_rejected_item_and_see_its_history(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id, _campaign_id, items = _live_campaign(live_api)
    live_api.call(
        "POST", f"/campaign-items/{items[0]['id']}/reject", {"expected_version": 1, "reason": "Too generic"}
    )
    at = console.open("Campaigns", client_id, engagement_id)
    assert_clean(at)
    assert "History (2 entries)" in [e.label for e in at.expander]
    button(at, "Regenerate").click().run()
    assert_clean(at)
    assert "Item regenerated" in texts(at)
    assert live_api.call("GET", f"/campaigns/{_campaign_id}/items")[0]["version"] == 2


def test_live_mode_publishes_and_shows_a_failure_to_retry(console: Console, live_api: LiveApi) -> None:
    """No webhook is configured on this API: the job fails terminally, visibly, and is never marked
    published; the operator can retry it."""
    client_id, engagement_id, campaign_id, items = _live_campaign(live_api)
    live_api.call("POST", f"/campaigns/{campaign_id}/approve", {"item_ids": [items[0]["id"]]})
    at = console.open("Campaigns", client_id, engagement_id)
    assert_clean(at)
    button(at, "Publish 1 approved posts").click().run()
    assert_clean(at)
    jobs = live_api.call("GET", f"/campaigns/{campaign_id}/publish-jobs")
    assert [j["status"] for j in jobs] == ["queued"]
    # the worker's step, run here: no publisher is configured, so the attempt fails terminally
    assert (
        publishing.run_job(live_api.app.uow, live_api.app.publishing, jobs[0]["id"], "w1")["result"]
        == "failed"
    )
    at = console.open("Campaigns", client_id, engagement_id)
    assert_clean(at)
    page = texts(at)
    assert "1 post(s) failed to publish and are not marked published." in page
    assert "no webhook publisher is configured" in str(at.dataframe[-2].value["error"].iloc[0])
    button(at, "Retry").click().run()
    assert_clean(at)
    assert live_api.call("GET", f"/campaigns/{campaign_id}/publish-jobs")[0]["status"] == "queued"
    assert live_api.call("GET", f"/campaigns/{campaign_id}/items")[0]["status"] == "approved"


def test_a_campaign_created_with_its_own_destination_shows_it_masked(
    console: Console, live_api: LiveApi
) -> None:
    client_id, engagement_id = live_api.new_engagement()
    at = console.open("Campaigns", client_id, engagement_id)
    destination = next(w for w in at.text_input if w.label == "Destination")
    assert "empty" in (destination.help or "").lower() and "default" in destination.help
    next(w for w in at.text_input if w.label == "Name").input("Client hook push")
    next(w for w in at.text_input if w.label == "Objective").input("Booked consultations")
    next(w for w in at.multiselect if w.label == "Platforms").set_value(["LinkedIn"])
    next(w for w in at.radio if w.label == "Execution").set_value("live")
    destination.input("hooks.client.example/no-scheme")
    button(at, "Create campaign").click().run()
    assert_clean(at)
    assert "destination" in texts(at) and not live_api.call(
        "GET", f"/campaigns?engagement_id={engagement_id}"
    )

    at.text_input(key="campaigns:destination").input("https://hooks.client.example/catch/T0KEN-abcd1234")
    button(at, "Create campaign").click().run()
    assert_clean(at)
    [campaign] = live_api.call("GET", f"/campaigns?engagement_id={engagement_id}")
    assert campaign["destination"] == "https://hooks.client.example/…1234"
    page = texts(at)
    assert "https://hooks.client.example/…1234" in page and "T0KEN" not in page

    # a URL typed wrong: changed in place, the next posts go to the new one; a bad one names the field
    new = next(w for w in at.text_input if w.label == "New destination")
    new.input("ftp://hooks.client.example/x")
    button(at, "Save destination").click().run()
    assert_clean(at)
    assert "destination" in texts(at)
    assert live_api.call("GET", f"/campaigns/{campaign['id']}")["version"] == 1
    next(w for w in at.text_input if w.label == "New destination").input(
        "https://hooks.client.example/catch/NEW-T0KEN-9f8e7d6c"
    )
    button(at, "Save destination").click().run()
    assert_clean(at)
    changed = live_api.call("GET", f"/campaigns/{campaign['id']}")
    assert (changed["destination"], changed["version"]) == ("https://hooks.client.example/…7d6c", 2)
    page = texts(at)
    assert "https://hooks.client.example/…7d6c" in page and "NEW-T0KEN" not in page
