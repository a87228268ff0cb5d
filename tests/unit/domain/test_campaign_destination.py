"""A campaign's own publishing destination: a webhook channel takes an absolute http(s) URL with a
host, an e-mail channel an address (the leads' rule); a bad value is an error on `destination`. A
webhook URL is only ever shown masked (scheme, host, the last 4 characters of a long rest), and an
error quoting it is scrubbed before it reaches a job's log."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from aicmo.domain.campaigns import (
    MASK,
    Channel,
    destination_problem,
    mask_destination,
    scrub_destination,
)
from aicmo.domain.schemas.campaigns import CampaignCreate

W, E = Channel.WEBHOOK, Channel.EMAIL
HOOK = "https://hooks.example.com/hooks/catch/123456/tok3n5ecretab12"


def create(channel: str, destination: str) -> CampaignCreate:
    return CampaignCreate.model_validate(
        {
            "engagement_id": "en_1",
            "name": "Spring push",
            "objective": "Bookings",
            "platforms": ["linkedin"],
            "start_date": "2027-02-01",
            "end_date": "2027-02-14",
            "mode": "live",
            "channel": channel,
            "destination": destination,
        }
    )


@pytest.mark.parametrize(
    "url", [HOOK, "http://127.0.0.1:8080/hook", "https://cms.client.example/api/posts?key=abc", "http://h"]
)
def test_a_webhook_destination_is_an_absolute_http_url(url: str) -> None:
    assert destination_problem(W, url) == ""
    assert create("webhook", f"  {url} ").destination == url


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/x",
        "hooks.example.com/hook",
        "/hook",
        "https://",
        "https:///path-only",
        "https://hooks.example.com:99999/x",
        "https://hooks.example.com/a b",
        "posts@client.example",
        "javascript:alert(1)",
    ],
)
def test_anything_else_is_refused_on_the_destination_field(url: str) -> None:
    assert destination_problem(W, url)
    with pytest.raises(ValidationError) as caught:
        create("webhook", url)
    assert [e["loc"] for e in caught.value.errors()] == [("destination",)]


def test_an_email_destination_is_an_address_in_normal_form() -> None:
    assert create("email", "Posts@Client.EXAMPLE").destination == "Posts@client.example"
    for bad in ("https://hooks.example.com/x", "posts@", "not an address"):
        with pytest.raises(ValidationError) as caught:
            create("email", bad)
        assert caught.value.errors()[0]["loc"] == ("destination",)


def test_empty_means_the_default_and_a_bad_channel_is_reported_alone() -> None:
    assert create("webhook", "").destination == create("email", "  ").destination == ""
    with pytest.raises(ValidationError) as caught:
        create("fax", HOOK)
    assert [e["loc"] for e in caught.value.errors()] == [("channel",)]


def test_a_long_destination_is_refused() -> None:
    assert "at most 500" in destination_problem(W, "https://h.example/" + "a" * 500)


def test_a_webhook_url_is_masked_to_its_host_and_last_four_characters() -> None:
    assert mask_destination(W, HOOK) == f"https://hooks.example.com/{MASK}ab12"
    assert (
        mask_destination(W, "https://user:pw@h.example:8443/very/long/secret")
        == f"https://h.example:8443/{MASK}cret"
    )
    assert mask_destination(W, "https://h.example/short") == f"https://h.example/{MASK}"  # hidden whole
    assert mask_destination(W, "") == "" and mask_destination(W, "no scheme") == MASK
    assert mask_destination(E, "posts@client.example") == "posts@client.example"


_LABELS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
_HOSTS = st.lists(_LABELS, min_size=1, max_size=3).map(".".join)
_TOKENS = st.text(alphabet="0123456789", min_size=5, max_size=80)


@given(st.sampled_from(["http", "https"]), _HOSTS, st.sampled_from(["/", "/hook/", "/?t="]), _TOKENS)
def test_a_masked_url_never_shows_its_token(scheme: str, host: str, lead: str, token: str) -> None:
    url = f"{scheme}://{host}{lead}{token}"
    masked = mask_destination(W, url)
    assert destination_problem(W, url) == ""
    assert token not in masked and url not in masked
    rest = lead + token
    assert masked == f"{scheme}://{host}/{MASK}" + (rest[-4:] if len(rest) >= 12 else "")


@given(st.text(alphabet=st.characters(exclude_characters="\x00"), max_size=200))
def test_any_text_gets_an_answer_and_an_accepted_url_has_a_host(value: str) -> None:
    problem = destination_problem(W, value)
    assert isinstance(problem, str)
    if value and not problem:
        parts = urlsplit(value)
        assert parts.scheme in ("http", "https") and parts.hostname
        assert MASK in mask_destination(W, value)


def test_an_error_quoting_the_url_or_its_path_is_scrubbed() -> None:
    error = f"InvalidURL: bad {HOOK}; path /hooks/catch/123456/tok3n5ecretab12 refused"
    scrubbed = scrub_destination(error, W, HOOK)
    assert "tok3n5ecret" not in scrubbed and "hooks.example.com/…ab12" in scrubbed
    assert scrub_destination(error, W, "") == error
    assert (
        scrub_destination("to posts@client.example", E, "posts@client.example") == "to posts@client.example"
    )
