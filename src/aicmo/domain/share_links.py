"""Signed, expiring share links for client review: pure signing and checking (stdlib only).

A token is `<payload>.<signature>`, both base64url without padding. The payload is compact JSON
naming the client, the engagement, the expiry (Unix seconds) and a random link id; the signature
is HMAC-SHA256 over a version prefix and the payload. A review due date ("d", ISO date) is
optional. Nothing is stored: the secret is the only state, so rotating it revokes every link at once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from aicmo.domain.errors import Forbidden, Unauthorized

_PREFIX = b"aicmo-share-v1."
_INVALID = "this share link is not valid: it was changed or is incomplete; ask your agency for a new one"


@dataclass(frozen=True)
class ShareClaims:
    client_id: str
    engagement_id: str
    expires_at: datetime
    link_id: str
    review_due: date | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: str, secret: bytes) -> str:
    return _b64(hmac.new(secret, _PREFIX + payload.encode("ascii"), hashlib.sha256).digest())


def sign_share_token(claims: ShareClaims, secret: bytes) -> str:
    body = {
        "c": claims.client_id,
        "e": claims.engagement_id,
        "x": int(claims.expires_at.timestamp()),
        "n": claims.link_id,
    }
    if claims.review_due is not None:
        body["d"] = claims.review_due.isoformat()
    payload = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    return f"{payload}.{_signature(payload, secret)}"


def read_share_token(token: str, secret: bytes, *, now: datetime) -> ShareClaims:
    """The claims of a genuine, unexpired token.

    Raises Forbidden when the token was altered, truncated or signed with another secret, and
    Unauthorized when it is genuine but expired (the message says when, so the client knows to ask
    for a new link rather than suspect a typo).
    """
    payload, _, signature = token.partition(".")
    if (
        not token.isascii()
        or not payload
        or not signature
        or not hmac.compare_digest(_signature(payload, secret).encode("ascii"), signature.encode("ascii"))
    ):
        raise Forbidden(_INVALID)
    try:
        body = json.loads(_unb64(payload))
        claims = ShareClaims(
            client_id=str(body["c"]),
            engagement_id=str(body["e"]),
            expires_at=datetime.fromtimestamp(int(body["x"]), UTC),
            link_id=str(body["n"]),
            review_due=date.fromisoformat(body["d"]) if body.get("d") else None,
        )
    except (ValueError, KeyError, TypeError, binascii.Error, OverflowError, OSError) as exc:
        raise Forbidden(_INVALID) from exc
    if now >= claims.expires_at:
        raise Unauthorized(
            f"this share link expired on {claims.expires_at:%Y-%m-%d %H:%M} UTC; "
            "ask your agency for a new one"
        )
    return claims
