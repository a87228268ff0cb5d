"""Share tokens: genuine ones open their engagement until they expire; altered ones never do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aicmo.domain.errors import Forbidden, Unauthorized
from aicmo.domain.share_links import ShareClaims, read_share_token, sign_share_token

SECRET = b"unit-test-secret-0123456789abcdef"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CLAIMS = ShareClaims("cl_a", "en_a", NOW + timedelta(hours=24), "5f2c9a1b")


def test_a_genuine_token_reads_back_its_claims() -> None:
    token = sign_share_token(CLAIMS, SECRET)
    assert read_share_token(token, SECRET, now=NOW) == CLAIMS
    assert read_share_token(token, SECRET, now=CLAIMS.expires_at - timedelta(seconds=1)) == CLAIMS


def test_a_token_is_refused_as_expired_from_its_expiry_on() -> None:
    token = sign_share_token(CLAIMS, SECRET)
    with pytest.raises(Unauthorized, match="expired on 2026-03-03 09:00 UTC"):
        read_share_token(token, SECRET, now=CLAIMS.expires_at)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: t.split(".")[0],  # signature removed
        lambda t: "." + t.split(".")[1],  # payload removed
        lambda t: t + "x",
        lambda t: "not-a-token",
    ],
)
def test_an_altered_or_truncated_token_is_forbidden(tamper) -> None:
    with pytest.raises(Forbidden, match="not valid"):
        read_share_token(tamper(sign_share_token(CLAIMS, SECRET)), SECRET, now=NOW)


def test_claims_for_another_engagement_cannot_be_forged_by_swapping_payloads() -> None:
    mine = sign_share_token(CLAIMS, SECRET)
    theirs = sign_share_token(ShareClaims("cl_b", "en_b", CLAIMS.expires_at, "0000"), b"another-secret")
    forged = theirs.split(".")[0] + "." + mine.split(".")[1]
    with pytest.raises(Forbidden):
        read_share_token(forged, SECRET, now=NOW)


def test_a_token_signed_with_another_secret_is_forbidden() -> None:
    with pytest.raises(Forbidden):
        read_share_token(sign_share_token(CLAIMS, b"rotated-secret"), SECRET, now=NOW)
