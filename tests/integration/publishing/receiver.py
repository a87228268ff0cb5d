"""A real webhook receiver for publishing tests: an HTTP server on a free port that verifies each
POST's signatures (checked here independently of the adapter): the HMAC-SHA256 one with the
deployment's `secret`, the Ed25519 one with its `public_key` (a client's receiver holds only that),
each when given. It dedups by idempotency
key the way a careful provider does (a repeat gets the first answer, never a second post), and
counts what it saw. Scripted failures answer the first requests of chosen items."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


@dataclass
class Receiver:
    secret: bytes | None = None
    delay_s: float = 0.0
    posts: dict[str, dict] = field(default_factory=dict)  # idempotency key -> first payload
    deliveries: Counter = field(default_factory=Counter)  # idempotency key -> times received
    bad_signatures: int = 0
    cut_off: int = 0  # requests whose body ended early (the sender was killed mid-send): no delivery
    # item id -> answers to give, in order, before accepting: (status, headers, body)
    script: dict[str, list[tuple[int, dict[str, str], str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    public_key: str | None = None  # base64, as GET /api/v1/publishing/webhook-key gives it

    def signed(self, headers, body: bytes) -> bool:
        stamp = headers.get("X-AICMO-Timestamp", "")
        if self.secret is not None:
            mac = hmac.new(self.secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest("sha256=" + mac, headers.get("X-AICMO-Signature", "")):
                return False
        if self.public_key is not None:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(self.public_key))
            try:
                key.verify(
                    base64.b64decode(headers.get("X-AICMO-Signature-Ed25519", "")),
                    stamp.encode() + b"." + body,
                )
            except (InvalidSignature, ValueError):
                return False
        return self.secret is not None or self.public_key is not None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    @property
    def repeats(self) -> int:
        """Sends of a key already received (at-least-once after a crash; the key dedups them)."""
        return sum(n - 1 for n in self.deliveries.values())

    @property
    def duplicate_posts(self) -> int:
        """Item versions posted under more than one key: a second post the key could not catch."""
        per_version = Counter((p["item_id"], p["version"]) for p in self.posts.values())
        return sum(n - 1 for n in per_version.values())

    def provider_id(self, key: str) -> str:
        return "post-" + hashlib.sha256(key.encode()).hexdigest()[:16]

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-request: nothing was delivered
                    with receiver.lock:
                        receiver.cut_off += 1
                    return
                if not receiver.signed(self.headers, body):
                    with receiver.lock:
                        receiver.bad_signatures += 1
                    return self._answer(401, {}, json.dumps({"error": "bad signature"}))
                payload = json.loads(body)
                key = self.headers.get("Idempotency-Key", "")
                with receiver.lock:
                    scripted = receiver.script.get(payload["item_id"])
                    answer = scripted.pop(0) if scripted else None
                if answer is not None:
                    return self._answer(*answer)
                if receiver.delay_s:
                    time.sleep(receiver.delay_s)
                with receiver.lock:
                    receiver.deliveries[key] += 1
                    receiver.posts.setdefault(key, payload)
                pid = receiver.provider_id(key)
                self._answer(201, {}, json.dumps({"id": pid, "url": f"https://social.example/p/{pid}"}))

            def _answer(self, status: int, headers: dict[str, str], body: str) -> None:
                data = body.encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # sender killed mid-request
                    self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
