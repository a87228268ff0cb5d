"""One publishing attempt picks the campaign's own destination over the deployment's, fails
terminally saying what to set when there is neither (never a made-up success), and masks a webhook
URL quoted by an adapter's error before it is recorded."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from aicmo.domain.campaigns import Channel, Delivery, Outgoing, PublishFailed
from aicmo.services.publishing import _Claimed, _send

OWN = "https://hooks.client.example/catch/42/s3cr3t-t0ken-ab12"
DEFAULT = "https://hooks.agency.example/default/0ther-t0ken-cd34"
MESSAGE = Outgoing(
    item_id="ci_1",
    version=1,
    campaign_id="cp_1",
    campaign_name="Spring push",
    platform="linkedin",
    scheduled_at="2027-02-01T09:00:00+00:00",
    text="Hello",
    hashtags=(),
    cta="",
    image_prompt="",
    caption="Hello",
    idempotency_key="aicmo-ci_1-v1",
)


@dataclass
class FakePublisher:
    """Records where each message would go; raises `error` instead when given one."""

    default_destination: str = ""
    channel: Channel = Channel.WEBHOOK
    error: Exception | None = None
    sent_to: list[str] = field(default_factory=list)

    def publish(self, message: Outgoing, timeout_s: float) -> Delivery:
        if self.error is not None:
            raise self.error
        self.sent_to.append(message.destination or self.default_destination)
        return Delivery(provider_id="p-1")


def claimed(destination: str = "", channel: Channel = Channel.WEBHOOK) -> _Claimed:
    return _Claimed("claim_1", channel, replace(MESSAGE, destination=destination), 1)


def test_the_campaigns_own_destination_wins_over_the_default() -> None:
    publisher = FakePublisher(DEFAULT)
    assert isinstance(_send(publisher, claimed(OWN), 5), Delivery)
    assert isinstance(_send(publisher, claimed(), 5), Delivery)
    assert publisher.sent_to == [OWN, DEFAULT]


def test_a_campaign_with_its_own_destination_needs_no_default() -> None:
    publisher = FakePublisher("")
    assert isinstance(_send(publisher, claimed(OWN), 5), Delivery) and publisher.sent_to == [OWN]


def test_no_destination_at_all_fails_terminally_saying_what_to_set() -> None:
    for publisher in (None, FakePublisher("")):
        failure = _send(publisher, claimed(), 5)
        assert isinstance(failure, PublishFailed) and failure.terminal
        assert str(failure) == (
            "no webhook publisher is configured "
            "(set AICMO_PUBLISH_WEBHOOK_URL and AICMO_PUBLISH_WEBHOOK_SECRET)"
        )
    own = _send(None, claimed(OWN), 5)  # the secret is missing: the URL alone cannot sign
    assert isinstance(own, PublishFailed) and own.terminal
    assert "(set AICMO_PUBLISH_WEBHOOK_SECRET)" in str(own) and OWN not in str(own)
    mail = _send(None, claimed("posts@client.example", Channel.EMAIL), 5)
    assert "(set AICMO_SMTP_HOST and AICMO_MAIL_FROM)" in str(mail)


def test_an_error_quoting_a_url_is_recorded_masked() -> None:
    for url, destination in ((OWN, OWN), (DEFAULT, "")):
        publisher = FakePublisher(DEFAULT, error=ValueError(f"cannot post to {url}"))
        failure = _send(publisher, claimed(destination), 5)
        assert isinstance(failure, PublishFailed) and not failure.terminal
        assert "t0ken" not in str(failure) and "/…" in str(failure)
    refused = PublishFailed(f"refused {OWN}", terminal=True, status=400, retry_after=3.0)
    failure = _send(FakePublisher(error=refused), claimed(OWN), 5)
    assert isinstance(failure, PublishFailed)
    assert (failure.terminal, failure.status, failure.retry_after) == (True, 400, 3.0)
    assert str(failure) == "refused https://hooks.client.example/…ab12"
