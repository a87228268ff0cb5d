"""A real webhook receiver for publishing tests: an HTTP server on a free port that verifies each
POST's HMAC-SHA256 signature (computed here independently of the adapter), dedups by idempotency
key the way a careful provider does (a repeat gets the first answer, never a second post), and
counts what it saw. Scripted failures answer the first requests of chosen items."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Receiver:
    secret: bytes
    delay_s: float = 0.0
    posts: dict[str, dict] = field(default_factory=dict)  # idempotency key -> first payload
    deliveries: Counter = field(default_factory=Counter)  # idempotency key -> times received
    bad_signatures: int = 0
    cut_off: int = 0  # requests whose body ended early (the sender was killed mid-send): no delivery
    # item id -> answers to give, in order, before accepting: (status, headers, body)
    script: dict[str, list[tuple[int, dict[str, str], str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

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
                stamp = self.headers.get("X-AICMO-Timestamp", "")
                expected = (
                    "sha256="
                    + hmac.new(receiver.secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                )
                if not hmac.compare_digest(expected, self.headers.get("X-AICMO-Signature", "")):
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
