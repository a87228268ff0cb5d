"""The webhook's public-key signature: Ed25519 over `<timestamp>.<raw body>`.

The HMAC signature (`X-AICMO-Signature`) can be checked only by a receiver that holds the
deployment's secret, and whoever holds it can sign too: a client's receiver given that secret could
forge a post to every other client's endpoint. This signature is checked with a public key
(`X-AICMO-Signature-Ed25519`), so a client's receiver holds nothing that could sign anything, and the
key may be shown to anyone (`GET /api/v1/publishing/webhook-key`, the console, `aicmo campaign
signing-key`). The private key is derived from the deployment's webhook secret (one setting to keep,
rotated with it); it never leaves this module's objects.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_CONTEXT = b"aicmo/webhook/ed25519/v1"  # a key derived for this one use: not the HMAC key itself


class Ed25519Signer:
    def __init__(self, secret: bytes) -> None:
        seed = hmac.new(secret, _CONTEXT, hashlib.sha256).digest()
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        raw = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key = base64.b64encode(raw).decode("ascii")  # 32 bytes, standard base64

    def __repr__(self) -> str:  # never the private key
        return f"Ed25519Signer(public_key={self.public_key!r})"

    def sign(self, timestamp: str, body: bytes) -> str:
        """The base64 signature of `<timestamp>.<body>`."""
        return base64.b64encode(self._key.sign(timestamp.encode() + b"." + body)).decode("ascii")
