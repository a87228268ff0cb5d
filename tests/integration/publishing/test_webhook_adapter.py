"""The webhook adapter against a real HTTP receiver: a signed POST the receiver verifies on its own,
the provider's id read back, and every way a send can fail reported as such, never as a success."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from aicmo.adapters.email.smtp import SmtpSender
from aicmo.adapters.publishing.email import EmailPublisher
from aicmo.adapters.publishing.webhook import WebhookPublisher
from aicmo.domain.campaigns import Outgoing, PublishFailed, idempotency_key
from tests.integration.publishing.receiver import Receiver
from tests.smtp_server import LocalSmtp

SECRET = "whsec-adapter-test"


def message(item_id: str = "ci_a", version: int = 1) -> Outgoing:
    return Outgoing(
        item_id=item_id,
        version=version,
        campaign_id="cp_1",
        campaign_name="Spring",
        platform="linkedin",
        scheduled_at="2027-02-02T08:30:00+00:00",
        text="Fixed fees from £350.",
        hashtags=("#law",),
        cta="Book a call",
        image_prompt="",
        caption="Fixed fees from £350.\n\n#law",
        idempotency_key=idempotency_key(item_id, version),
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver(SECRET.encode()).start()
    yield server
    server.stop()


def test_a_signed_post_and_the_providers_id(receiver: Receiver) -> None:
    delivery = WebhookPublisher(receiver.url, SECRET).publish(message(), timeout_s=5)
    key = idempotency_key("ci_a", 1)
    assert delivery.provider_id == receiver.provider_id(key) and delivery.url.endswith(delivery.provider_id)
    assert receiver.bad_signatures == 0 and receiver.posts[key]["caption"].endswith("#law")


def test_a_wrong_key_is_refused_by_the_receiver_and_terminal(receiver: Receiver) -> None:
    with pytest.raises(PublishFailed) as failed:
        WebhookPublisher(receiver.url, "not-the-secret").publish(message(), timeout_s=5)
    assert failed.value.terminal and failed.value.status == 401 and receiver.bad_signatures == 1
    assert receiver.posts == {}


def test_a_clients_receiver_checks_the_public_key_signature_and_holds_no_secret() -> None:
    """A receiver given only the public key accepts the deployment's posts and refuses one signed
    by any other deployment (another secret, another key); the key is stable for one secret."""
    public_key = WebhookPublisher("", SECRET).public_key  # as the API shows it
    client = Receiver(public_key=public_key).start()
    try:
        ours = WebhookPublisher(client.url, SECRET)
        ours.publish(message(), timeout_s=5)
        forger = WebhookPublisher(client.url, "another-deployments-secret")
        with pytest.raises(PublishFailed) as failed:
            forger.publish(message("ci_b"), timeout_s=5)
    finally:
        client.stop()
    assert failed.value.status == 401 and client.bad_signatures == 1
    assert set(client.posts) == {idempotency_key("ci_a", 1)}
    assert ours.public_key == public_key != forger.public_key
    assert SECRET not in repr(ours) and SECRET not in repr(ours._signer)


def test_a_request_cut_off_by_a_dying_sender_is_no_delivery(receiver: Receiver) -> None:
    """What a SIGKILLed worker leaves behind: headers and half a body, then a closed socket."""
    host, port = receiver.server.server_address[:2]  # type: ignore[union-attr]
    with socket.create_connection((host, port)) as conn:
        conn.sendall(b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n\r\n" + b'{"item_id": "ci_a"')
    deadline = time.monotonic() + 5
    while receiver.cut_off == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert receiver.cut_off == 1 and receiver.bad_signatures == 0 and receiver.posts == {}


def test_retryable_and_terminal_answers(receiver: Receiver) -> None:
    publisher = WebhookPublisher(receiver.url, SECRET)
    receiver.script["ci_a"] = [(503, {"Retry-After": "3"}, "busy"), (429, {}, "slow down"), (400, {}, "bad")]
    outcomes = []
    for _ in range(3):
        with pytest.raises(PublishFailed) as failed:
            publisher.publish(message(), timeout_s=5)
        outcomes.append((failed.value.status, failed.value.terminal, failed.value.retry_after))
    assert outcomes == [(503, False, 3.0), (429, False, None), (400, True, None)]
    assert publisher.publish(message(), timeout_s=5).provider_id  # then it goes through


class _Odd(BaseHTTPRequestHandler):
    """A provider that answers 200 without an id, or too late."""

    def log_message(self, *_args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/slow":
            threading.Event().wait(2)
        body = json.dumps({"ok": True}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_success_without_an_id_or_too_late_is_not_a_success() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Odd)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with pytest.raises(PublishFailed, match="without the post's id"):
            WebhookPublisher(f"{base}/no-id", SECRET).publish(message(), timeout_s=5)
        with pytest.raises(PublishFailed, match=r"did not answer within 0\.5 s") as late:
            WebhookPublisher(f"{base}/slow", SECRET).publish(message(), timeout_s=0.5)
        assert not late.value.terminal
    finally:
        server.shutdown()
        server.server_close()


def test_the_secret_never_shows() -> None:
    publisher = WebhookPublisher("http://127.0.0.1:9/hook", SECRET)
    assert SECRET not in repr(publisher)
    with pytest.raises(PublishFailed) as failed:
        publisher.publish(message(), timeout_s=1)
    assert SECRET not in str(failed.value) and not failed.value.terminal


def test_a_campaigns_own_url_replaces_the_default_which_may_be_unset(receiver: Receiver) -> None:
    own = f"{receiver.url}/catch/T0KEN-1234abcd"
    publisher = WebhookPublisher("", SECRET, private_destinations=True)  # the receiver is on 127.0.0.1
    delivery = publisher.publish(replace(message(), destination=own), timeout_s=5)
    assert delivery.provider_id == receiver.provider_id(idempotency_key("ci_a", 1))
    assert receiver.bad_signatures == 0 and "T0KEN" not in repr(publisher)
    assert "T0KEN" not in repr(replace(message(), destination=own))  # nor in the message's repr
    assert "T0KEN" not in repr(WebhookPublisher(own, SECRET))
    with pytest.raises(PublishFailed) as failed:
        publisher.publish(message(), timeout_s=5)  # neither its own nor a default: nothing sent
    assert failed.value.terminal and len(receiver.posts) == 1


def test_the_email_publisher_sends_to_the_campaigns_own_address() -> None:
    with LocalSmtp() as smtp:
        publisher = EmailPublisher(SmtpSender(smtp.config()), "posts@agency.example")
        publisher.publish(replace(message(), destination="editor@client.example"), timeout_s=5)
        with pytest.raises(PublishFailed) as failed:
            publisher.publish(message(), timeout_s=5)
        assert failed.value.terminal
        EmailPublisher(SmtpSender(smtp.config()), "posts@agency.example", "default@agency.example").publish(
            message("ci_b"), timeout_s=5
        )
        assert [m.rcpt_tos for m in smtp.messages] == [
            ("editor@client.example",),
            ("default@agency.example",),
        ]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "169.254.169.254", "10.1.2.3"])
def test_a_campaigns_own_url_may_not_reach_a_private_address(receiver: Receiver, host: str) -> None:
    """An operator's URL must not reach the deployment's own services or a cloud metadata endpoint:
    refused before anything is sent, terminally, saying which setting allows a receiver on the
    agency's own network. The deployment's default URL is trusted as configured."""
    port = receiver.url.rsplit(":", 1)[1].split("/", 1)[0]
    publisher = WebhookPublisher(receiver.url, SECRET)
    with pytest.raises(PublishFailed) as failed:
        publisher.publish(replace(message(), destination=f"http://{host}:{port}/hook/T0KEN"), timeout_s=2)
    assert failed.value.terminal and "AICMO_PUBLISH_PRIVATE_DESTINATIONS" in str(failed.value)
    assert "T0KEN" not in str(failed.value) and not receiver.posts
    publisher.publish(message(), timeout_s=5)  # the default URL, also on 127.0.0.1, is the deployment's
    assert len(receiver.posts) == 1
