"""The Campaigns tab over the real API: a campaign's review queue shows each post with its platform
length, a rejection needs a reason, and manual mode shows numbered posting steps (SPEC §6)."""

from __future__ import annotations

import json

from tests.conftest import SAMPLES
from tests.console.conftest import Console, LiveApi, assert_clean, texts


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
