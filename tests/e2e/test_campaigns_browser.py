"""Campaigns in headless Chromium over the real stack (`aicmo api` with its job engine, `aicmo ui`),
publishing to a real webhook receiver (issue 19, must-show 1 and 4).

The review queue: an operator rejects a post with a reason and regenerates it, then approves the
lot; manual mode shows numbered posting steps with the caption to copy; live mode publishes the
approved posts through the signed webhook, and a post the receiver refuses shows as failed (never
published) with a Retry. Screenshots in test-output/screenshots/: campaigns-review-queue.png,
campaigns-manual-steps.png, campaigns-live-publishing.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.console.conftest import sample_brief
from tests.e2e.conftest import Stack, require_chromium
from tests.e2e.console_page import ConsolePage
from tests.integration.publishing.receiver import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET = "whsec-browser-test-key"


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver(SECRET.encode()).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, receiver: Receiver) -> Iterator[Stack]:
    require_chromium()
    running = Stack(tmp_path_factory.mktemp("e2e-campaigns"))
    running.env |= {
        "AICMO_PUBLISH_WEBHOOK_URL": receiver.url,
        "AICMO_PUBLISH_WEBHOOK_SECRET": SECRET,
        "AICMO_PUBLISH_RETRY_BASE_S": "0.1",
    }
    running.start()
    yield running
    running.stop()


def campaign(stack: Stack, eid: str, brief: dict, name: str, mode: str) -> tuple[dict, list[dict]]:
    created = stack.call(
        "POST",
        "/campaigns",
        {
            "engagement_id": eid,
            "name": name,
            "objective": "Booked consultations",
            "platforms": ["linkedin"],
            "cadence": {"linkedin": 2},
            "start_date": brief["start_date"],
            "end_date": "2027-02-14",
            "mode": mode,
        },
        201,
    )
    return created, stack.call("POST", f"/campaigns/{created['id']}/generate")


def test_review_queue_manual_steps_and_live_publishing(
    stack: Stack, page: Any, screenshots: Path, receiver: Receiver
) -> None:
    brief = sample_brief("law_firm_services")
    client = stack.call("POST", "/clients", {"name": brief["client_name"]}, expect=201)
    eid = stack.call("POST", "/engagements", {"client_id": client["id"], "name": "Spring"}, 201)["id"]
    for module, body in (("intake", {"intake": brief}), ("strategy", {}), ("creatives", {})):
        stack.call("POST", f"/{module}/generate", {"engagement_id": eid, "auto_approve": True, **body})
    manual, items = campaign(stack, eid, brief, "Consultations by hand", "manual")

    ui = ConsolePage(page, stack.ui_url, screenshots)
    ui.open(f"?client={client['id']}&engagement={eid}&tab=Campaigns")
    ui.see("Review queue")
    ui.fill("Reason (required to reject)", "Too generic: open with a client question")
    ui.click("Reject")
    ui.see("Item rejected.")
    ui.click("Regenerate")
    ui.see("Item regenerated: a new version waits for review.")
    ui.see("History (4 entries)").click()
    ui.idle()
    ui.assert_clean()
    ui.scroll_to("Review queue")
    ui.shot("campaigns-review-queue")
    first = stack.call("GET", f"/campaigns/{manual['id']}/items")[0]
    assert (first["version"], first["status"]) == (2, "pending") and first["text"] != items[0]["text"]

    ui.click(f"Approve all {len(items)} pending")
    ui.see("Approved.")
    ui.scroll_to("Post by hand")
    ui.see("Open LinkedIn on the client's account")
    ui.assert_clean()
    ui.shot("campaigns-manual-steps")

    live, live_items = campaign(stack, eid, brief, "Consultations live", "live")
    receiver.script[live_items[1]["id"]] = [(400, {}, '{"error":"caption rejected"}')] * 5
    stack.call("POST", f"/campaigns/{live['id']}/approve", {"item_ids": [i["id"] for i in live_items]})
    ui.open(f"?client={client['id']}&engagement={eid}&tab=Campaigns")  # the newest campaign first
    ui.see("Live publishing (webhook)")
    # what the client's developer is given: the public key, never the secret
    ui.see("How the receiver checks a post came from us").click()
    ui.see(stack.call("GET", "/publishing/webhook-key")["public_key"])
    assert SECRET not in ui.body()
    ui.click(f"Publish {len(live_items)} approved posts")
    ui.see("Queued for publishing.")

    def settled() -> bool:
        jobs = stack.call("GET", f"/campaigns/{live['id']}/publish-jobs")
        return {j["status"] for j in jobs} <= {"published", "failed"}

    deadline = 120
    while not settled() and deadline:
        page.wait_for_timeout(250)
        deadline -= 1
    assert settled()
    ui.open(f"?client={client['id']}&engagement={eid}&tab=Campaigns")
    ui.see("1 post(s) failed to publish and are not marked published.")
    ui.scroll_to("Live publishing (webhook)")
    ui.assert_clean()
    ui.shot("campaigns-live-publishing")
    assert len(receiver.posts) == len(live_items) - 1 and receiver.bad_signatures == 0
    statuses = [i["status"] for i in stack.call("GET", f"/campaigns/{live['id']}/items")]
    assert statuses.count("published") == len(live_items) - 1 and statuses[1] == "approved"
