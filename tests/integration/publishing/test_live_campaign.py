"""Must-show 1, live mode: a campaign walks create -> generate -> reject one item -> revise ->
approve all -> publish through the webhook adapter, over the real API with the job engine running
in the process, against a real HTTP receiver that verifies every signature (SQLite and PostgreSQL).

An injected receiver failure (503 with Retry-After, then success) is retried and ends published;
a terminal 400 is reported on the job and the item stays approved, never published, until a person
retries it. Only an approval of the exact item version publishes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aicmo.entrypoints.api.main import create_app
from tests.api.helpers import Api
from tests.conftest import SAMPLES
from tests.integration.engine.conftest import engine_app
from tests.integration.publishing.receiver import Receiver
from tests.smtp_server import LocalSmtp

SECRET = "whsec-test-signing-key-0123456789"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver(SECRET.encode()).start()
    yield server
    server.stop()


def wait_until(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def live_api(backend_url: str, tmp_path: Path, receiver: Receiver) -> Iterator[Api]:
    app = engine_app(
        tmp_path,
        backend_url,
        publish_webhook_url=receiver.url,
        publish_webhook_secret=SECRET,
        publish_private_destinations=True,  # campaigns' own receivers listen on 127.0.0.1 too
        publish_retry_base_s=0.05,
        publish_timeout_s=5,
        publish_lease_s=30,
    )
    with TestClient(create_app(app)) as client:
        api = Api(client)
        wait_until(lambda: app.runtime is not None and hasattr(app.runtime, "worker_id"))
        yield api
    app.close()


def walk_to_approved(api: Api, channel: str = "webhook", destination: str = "") -> tuple[str, list[dict]]:
    _, engagement_id = api.new_engagement("Calder & Finch Solicitors")
    brief = json.loads((SAMPLES / "law_firm_services.json").read_text())
    for module, body in (("intake", {"intake": brief}), ("strategy", {}), ("creatives", {})):
        envelope = api.post(
            f"/{module}/generate", {"engagement_id": engagement_id, "auto_approve": True, **body}
        )
        assert envelope["status"] == "SUCCESS", envelope
    campaign = api.post(
        "/campaigns",
        {
            "engagement_id": engagement_id,
            "name": "Spring consultations push",
            "objective": "Booked consultations",
            "platforms": ["linkedin"],
            "cadence": {"linkedin": 2},
            "start_date": brief["start_date"],
            "end_date": "2027-02-14",
            "mode": "live",
            "channel": channel,
            "destination": destination,
        },
        expect=201,
    )
    items = api.post(f"/campaigns/{campaign['id']}/generate", expect=200)
    first = items[0]
    api.post(
        f"/campaign-items/{first['id']}/reject", {"expected_version": 1, "reason": "Name the fee"}, expect=200
    )
    api.post(
        f"/campaign-items/{first['id']}/revise",
        {"expected_version": 1, "text": "Fixed fees agreed upfront. " + first["text"]},
        expect=200,
    )
    # Not approved at its current version: nothing may go out.
    api.post(f"/campaigns/{campaign['id']}/publish", {"item_ids": [first["id"]]}, expect=409)
    api.post(f"/campaigns/{campaign['id']}/approve", {"item_ids": [i["id"] for i in items]}, expect=200)
    return campaign["id"], items


def learning_events(api: Api, campaign_id: str, kind: str) -> list[dict]:
    client_id = api.get(f"/campaigns/{campaign_id}", expect=200)["client_id"]
    return api.get(f"/clients/{client_id}/learning-events", expect=200, kind=kind)["events"]


def test_live_mode_publishes_signed_posts_and_reports_failures(live_api: Api, receiver: Receiver) -> None:
    api = live_api
    receiver.public_key = api.get("/publishing/webhook-key", expect=200)["public_key"]  # both signatures
    campaign_id, items = walk_to_approved(api)
    flaky, refused = items[1]["id"], items[2]["id"]
    receiver.script[flaky] = [(503, {"Retry-After": "1"}, '{"error":"busy"}')]
    receiver.script[refused] = [(400, {}, '{"error":"caption rejected"}')]

    jobs = api.post(f"/campaigns/{campaign_id}/publish", {}, expect=200)
    assert len(jobs) == len(items) and {j["status"] for j in jobs} == {"queued"}
    revised = next(j for j in jobs if j["item_id"] == items[0]["id"])
    assert (revised["version"], revised["idempotency_key"]) == (2, f"aicmo-{items[0]['id']}-v2")

    def settled() -> bool:
        states = {j["status"] for j in api.get(f"/campaigns/{campaign_id}/publish-jobs", expect=200)}
        return states <= {"published", "failed"}

    wait_until(settled)
    by_item = {j["item_id"]: j for j in api.get(f"/campaigns/{campaign_id}/publish-jobs", expect=200)}
    assert receiver.bad_signatures == 0
    assert receiver.duplicate_posts == 0 and receiver.repeats == 0
    # every published job carries the receiver's own id for that key, read back from its answer
    for job in by_item.values():
        if job["status"] == "published":
            assert job["provider_id"] == receiver.provider_id(job["idempotency_key"])
    assert by_item[flaky]["status"] == "published" and by_item[flaky]["attempts"] == 2
    retry = next(e for e in by_item[flaky]["log"] if e["event"] == "retry")
    assert retry["after_s"] >= 1  # the receiver's Retry-After, not the 0.05 s back-off
    assert by_item[refused]["status"] == "failed" and by_item[refused]["attempts"] == 1
    assert "HTTP 400" in by_item[refused]["error"]
    assert len(receiver.posts) == len(items) - 1
    # the revised item went out as its approved version 2
    assert receiver.posts[f"aicmo-{items[0]['id']}-v2"]["version"] == 2

    listed = {i["id"]: i for i in api.get(f"/campaigns/{campaign_id}/items", expect=200)}
    assert listed[refused]["status"] == "approved"  # reported, never marked published
    assert all(listed[i]["status"] == "published" for i in listed if i != refused)
    assert listed[flaky]["history"][-1]["provider_id"] == by_item[flaky]["provider_id"]
    assert not api.get(f"/campaigns/{campaign_id}", expect=200)["completed"]

    # the failure is retryable by a person: same version, same key
    api.post(f"/publish-jobs/{by_item[flaky]['id']}/retry", expect=409)  # only a failed job
    again = api.post(f"/publish-jobs/{by_item[refused]['id']}/retry", expect=200)
    assert again["status"] == "queued" and again["idempotency_key"] == by_item[refused]["idempotency_key"]
    wait_until(settled)
    assert api.get(f"/campaigns/{campaign_id}/items", expect=200)[2]["status"] == "published"
    assert api.get(f"/campaigns/{campaign_id}", expect=200)["completed"]
    assert receiver.duplicate_posts == 0 and receiver.repeats == 0 and len(receiver.posts) == len(items)
    # every publication is a learning event naming the provider's post id; the rejection too
    published = {e["data"]["item_id"]: e["data"] for e in learning_events(api, campaign_id, "publication")}
    assert set(published) == {i["id"] for i in items}
    assert published[flaky]["post_id"] == by_item[flaky]["provider_id"]
    assert [e["reason"] for e in learning_events(api, campaign_id, "rejection")] == ["Name the fee"]
    # the signing key never appears in what the API returns
    assert SECRET not in json.dumps(api.get(f"/campaigns/{campaign_id}/publish-jobs", expect=200))


def test_live_mode_over_email_stores_the_smtp_servers_queue_id(
    backend_url: str, tmp_path: Path, receiver: Receiver
) -> None:
    """The e-mail channel: each approved post goes to a real local SMTP server, carrying its
    idempotency key; the server's own queue id is read back as the provider id."""
    with LocalSmtp() as smtp:
        app = engine_app(
            tmp_path,
            backend_url,
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_tls="none",
            mail_from="posts@agency.example",
            publish_email_to="post-by-mail@social.example",
            publish_retry_base_s=0.05,
        )
        with TestClient(create_app(app)) as client:
            api = Api(client)
            campaign_id, items = walk_to_approved(api, channel="email")
            api.post(f"/campaigns/{campaign_id}/publish", {}, expect=200)

            def settled() -> bool:
                jobs = api.get(f"/campaigns/{campaign_id}/publish-jobs", expect=200)
                return {j["status"] for j in jobs} == {"published"}

            wait_until(settled)
            jobs = api.get(f"/campaigns/{campaign_id}/publish-jobs", expect=200)
            # another client's campaign names its own inbox: its posts go there, and only there
            own_id, own_items = walk_to_approved(api, channel="email", destination="Editor@Client.example")
            own_jobs = publish_all(api, own_id)[own_id]
        app.close()
        received = smtp.to("post-by-mail@social.example")
        to_own = smtp.to("Editor@client.example")
    assert {j["status"] for j in own_jobs} == {"published"} and len(to_own) == len(own_items)
    assert {m.message["X-AICMO-Item"].split()[0] for m in to_own} == {i["id"] for i in own_items}
    assert len(received) == len(items)
    by_key = {m.message["X-AICMO-Idempotency-Key"]: m for m in received}
    queue_ids = {f"LOCAL{n:06d}" for n in range(1, len(items) + 1)}
    assert {j["provider_id"] for j in jobs} == queue_ids
    for job in jobs:
        mail = by_key[job["idempotency_key"]]
        assert mail.message["X-AICMO-Item"] == f"{job['item_id']} v{job['version']}"
    revised = next(j for j in jobs if j["item_id"] == items[0]["id"])
    assert by_key[revised["idempotency_key"]].body.startswith("Fixed fees agreed upfront.")


def test_a_post_changed_before_its_time_is_never_sent(live_api: Api, receiver: Receiver) -> None:
    """Held until their scheduled time, the posts wait; rejecting or editing one cancels its job
    (its approved version is no longer the text), and publishing again needs a new approval."""
    api = live_api
    campaign_id, items = walk_to_approved(api)
    jobs = api.post(f"/campaigns/{campaign_id}/publish", {"at_schedule": True}, expect=200)
    assert {j["status"] for j in jobs} == {"queued"}
    assert all(j["not_before"][:10] >= "2027-02-01" for j in jobs)  # their scheduled days
    rejected, edited = items[1], items[2]
    api.post(f"/campaign-items/{rejected['id']}/reject", {"expected_version": 1, "reason": "Off-brand"})
    api.post(
        f"/campaign-items/{edited['id']}/revise",
        {"expected_version": 1, "text": "Fixed fees, agreed upfront. " + edited["text"]},
    )
    by_item = {j["item_id"]: j for j in api.get(f"/campaigns/{campaign_id}/publish-jobs", expect=200)}
    assert by_item[rejected["id"]]["status"] == by_item[edited["id"]]["status"] == "cancelled"
    assert by_item[items[3]["id"]]["status"] == "queued"
    api.post(f"/campaigns/{campaign_id}/publish", {"item_ids": [edited["id"]]}, expect=409)  # v2 unapproved
    api.post(f"/campaign-items/{edited['id']}/approve", {"expected_version": 2}, expect=200)
    again = api.post(f"/campaigns/{campaign_id}/publish", {"item_ids": [edited["id"]]}, expect=200)
    assert (again[0]["version"], again[0]["idempotency_key"]) == (2, f"aicmo-{edited['id']}-v2")
    wait_until(
        lambda: api.get(f"/campaigns/{campaign_id}/publish-jobs", expect=200)[-1]["status"] == "published"
    )
    assert list(receiver.posts) == [f"aicmo-{edited['id']}-v2"]  # nothing else went out


# ---- a campaign's own destination -------------------------------------------------------------------
TOKEN = "zap-T0KEN-7c1e9a2b4d"


def own_hook(server: Receiver) -> str:
    """The second receiver's URL with a secret token in its path (the receiver takes any path)."""
    return f"{server.url}/catch/{TOKEN}"


def publish_all(api: Api, *campaign_ids: str) -> dict[str, list[dict]]:
    """Publish every approved item of each campaign and wait until no job is queued or sending."""
    for campaign_id in campaign_ids:
        api.post(f"/campaigns/{campaign_id}/publish", {}, expect=200)

    def jobs() -> dict[str, list[dict]]:
        return {c: api.get(f"/campaigns/{c}/publish-jobs", expect=200) for c in campaign_ids}

    wait_until(lambda: all(j["status"] in {"published", "failed"} for js in jobs().values() for j in js))
    return jobs()


def item_ids(posts: dict[str, dict]) -> set[str]:
    return {p["item_id"] for p in posts.values()}


def test_each_campaign_publishes_to_its_own_destination_or_the_default(
    live_api: Api, receiver: Receiver
) -> None:
    """Two campaigns: one on the deployment's URL, one on its own (a second receiver, a token in the
    path) that, as a client's own endpoint, holds no secret: it checks the Ed25519 signature with the
    deployment's public key. Each receiver gets only its campaign's posts; the token shows nowhere the
    API answers, not in a job's error or log even when the receiver quotes the URL."""
    api = live_api
    key = api.get("/publishing/webhook-key", expect=200)
    assert (key["algorithm"], key["header"]) == ("Ed25519", "X-AICMO-Signature-Ed25519")
    assert SECRET not in json.dumps(key)
    own_receiver = Receiver(public_key=key["public_key"]).start()
    try:
        default_id, default_items = walk_to_approved(api)
        own_id, own_items = walk_to_approved(api, destination=own_hook(own_receiver))
        quoted = f'{{"error":"busy at {own_hook(own_receiver)}"}}'
        own_receiver.script[own_items[0]["id"]] = [(503, {"Retry-After": "0"}, quoted)]
        jobs = publish_all(api, default_id, own_id)
    finally:
        own_receiver.stop()
    assert {j["status"] for js in jobs.values() for j in js} == {"published"}
    assert item_ids(receiver.posts) == {i["id"] for i in default_items}
    assert item_ids(own_receiver.posts) == {i["id"] for i in own_items}
    assert receiver.bad_signatures == own_receiver.bad_signatures == 0
    assert own_receiver.duplicate_posts == 0 and own_receiver.repeats == 0
    retried = next(j for j in jobs[own_id] if j["item_id"] == own_items[0]["id"])
    retry = next(e for e in retried["log"] if e["event"] == "retry")
    assert retried["attempts"] == 2 and "busy at http://127.0.0.1:" in retry["detail"]
    campaign = api.get(f"/campaigns/{own_id}", expect=200)
    host = own_receiver.url.removesuffix("/hook")
    assert campaign["own_destination"] and campaign["destination"] == f"{host}/…2b4d"
    assert not api.get(f"/campaigns/{default_id}", expect=200)["own_destination"]
    assert TOKEN not in json.dumps([jobs, campaign, api.get(f"/campaigns/{own_id}/items", expect=200)])


def test_a_campaign_with_its_own_destination_needs_no_default_url(
    backend_url: str, tmp_path: Path, receiver: Receiver
) -> None:
    """Only the secret is set: the campaign with its own URL publishes; the one without fails
    terminally saying what to set, its items still approved (never a made-up success)."""
    app = engine_app(
        tmp_path,
        backend_url,
        publish_webhook_secret=SECRET,
        publish_private_destinations=True,
        publish_retry_base_s=0.05,
    )
    with TestClient(create_app(app)) as client:
        api = Api(client)
        wait_until(lambda: app.runtime is not None and hasattr(app.runtime, "worker_id"))
        own_id, own_items = walk_to_approved(api, destination=own_hook(receiver))
        default_id, _ = walk_to_approved(api)
        jobs = publish_all(api, own_id, default_id)
        left = api.get(f"/campaigns/{default_id}/items", expect=200)
    app.close()
    assert {j["status"] for j in jobs[own_id]} == {"published"}
    assert item_ids(receiver.posts) == {i["id"] for i in own_items} and receiver.bad_signatures == 0
    assert {(j["status"], j["attempts"]) for j in jobs[default_id]} == {("failed", 1)}
    assert {j["error"] for j in jobs[default_id]} == {
        "no webhook publisher is configured (set AICMO_PUBLISH_WEBHOOK_URL and AICMO_PUBLISH_WEBHOOK_SECRET)"
    }
    assert {i["status"] for i in left} == {"approved"}
