"""The webhook publisher: an HMAC-SHA256-signed JSON POST of one approved item version.

Headers: `Idempotency-Key` (stable per item version: a repeat after a crash is recognisable),
`X-AICMO-Timestamp` (Unix seconds), `X-AICMO-Signature: sha256=<hex>` over `<timestamp>.<body>`
with the deployment's secret (for receivers the agency runs itself) and
`X-AICMO-Signature-Ed25519: <base64>` over the same bytes, checked with a public key (for a
client's receiver: it needs no secret, see `signing`). A 2xx answer must carry the provider's id (`id`, or
`post_id`) in its JSON body; a 2xx without one is an error, never a success. 4xx other than
408/425/429 are terminal; 5xx, 408/425/429 and network errors are retryable, with the provider's
Retry-After. The secret is never logged, returned or put in an error message.

The POST goes to the campaign's own URL when the message carries one, else to the deployment's
default; either may hold a token, so neither is put in a repr or an error message whole.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from urllib.parse import urlsplit

import httpx

from aicmo.adapters.publishing.signing import Ed25519Signer
from aicmo.domain.campaigns import (
    ED25519_HEADER,
    HMAC_HEADER,
    TIMESTAMP_HEADER,
    Channel,
    Delivery,
    Outgoing,
    PublishFailed,
    mask_destination,
    parse_retry_after,
    terminal_status,
)

SIGNATURE_HEADER = HMAC_HEADER


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class WebhookPublisher:
    channel = Channel.WEBHOOK

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        client: httpx.Client | None = None,
        private_destinations: bool = False,
    ) -> None:
        """`url`: the deployment's default ('' when only campaigns' own URLs are used), trusted as
        configured. `private_destinations`: a campaign's own URL may reach a private address."""
        if not secret:
            raise ValueError("a webhook publisher needs a signing secret")
        self.default_destination = url
        self.private_destinations = private_destinations
        self._secret = secret.encode()
        self._signer = Ed25519Signer(self._secret)
        self.public_key = self._signer.public_key  # what a receiver checks the Ed25519 signature with
        self._client = client or httpx.Client(follow_redirects=False)

    def __repr__(self) -> str:  # never the secret, never the URL's token
        return f"WebhookPublisher(url={mask_destination(self.channel, self.default_destination)!r})"

    def publish(self, message: Outgoing, timeout_s: float) -> Delivery:
        url = message.destination or self.default_destination
        if not url:
            raise PublishFailed("no webhook URL: the campaign has none and no default is set", terminal=True)
        if message.destination and not self.private_destinations:
            _refuse_private(message.destination)
        body = json.dumps(message.payload(), ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.idempotency_key,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(self._secret, timestamp, body),
            ED25519_HEADER: self._signer.sign(timestamp, body),
            "User-Agent": "aicmo-publisher/1",
        }
        try:
            response = self._client.post(url, content=body, headers=headers, timeout=timeout_s)
        except httpx.TimeoutException as exc:
            raise PublishFailed(f"the webhook did not answer within {timeout_s:g} s", terminal=False) from exc
        except httpx.HTTPError as exc:
            raise PublishFailed(
                f"the webhook could not be reached: {type(exc).__name__}", terminal=False
            ) from exc
        status = response.status_code
        if 200 <= status < 300:
            return _delivery(response)
        detail = _short(response.text)
        if terminal_status(status):
            raise PublishFailed(
                f"the webhook refused the post: HTTP {status} {detail}", terminal=True, status=status
            )
        raise PublishFailed(
            f"the webhook failed: HTTP {status} {detail}",
            terminal=False,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
            status=status,
        )

    def close(self) -> None:
        self._client.close()


def _refuse_private(url: str) -> None:
    """A campaign's own URL must lead to the public internet: one whose host is or resolves to a
    private, loopback, link-local or reserved address (another service of the deployment, a cloud
    metadata endpoint) is refused before anything is sent, terminally. The host is resolved here, just
    before the POST; a name that fails to resolve is left to the POST's own retryable error."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        found = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return
    for *_, address in found:
        ip = ipaddress.ip_address(str(address[0]).split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise PublishFailed(
                f"the campaign's webhook host {host} is a private or local address ({ip}): nothing was sent "
                "(set AICMO_PUBLISH_PRIVATE_DESTINATIONS=true to allow a receiver on your own network)",
                terminal=True,
            )


def _delivery(response: httpx.Response) -> Delivery:
    try:
        data = response.json()
    except ValueError as exc:
        raise PublishFailed(
            f"the webhook answered HTTP {response.status_code} without a JSON body naming the post's id",
            terminal=True,
            status=response.status_code,
        ) from exc
    provider_id = str(data.get("id") or data.get("post_id") or "").strip() if isinstance(data, dict) else ""
    if not provider_id:
        raise PublishFailed(
            f"the webhook answered HTTP {response.status_code} without the post's id: "
            "not counted as published",
            terminal=True,
            status=response.status_code,
        )
    url = str(data.get("url") or "") if isinstance(data, dict) else ""
    return Delivery(provider_id=provider_id[:500], url=url[:2000])


def _short(text: str) -> str:
    return " ".join(text.split())[:200]
