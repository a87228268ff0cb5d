"""A real local SMTP server for tests (aiosmtpd): what it received is read back, message by message.

    with LocalSmtp() as smtp:                       # a free port on 127.0.0.1
        sender = SmtpSender(smtp.config())          # the product's adapter, tls="none"
        ...
        smtp.messages  # [Received(mail_from, rcpt_tos, message: email.message.EmailMessage)]

`refuse` holds recipient addresses the server answers 550 to (a hard bounce); `login=(user, pw)`
requires AUTH LOGIN/PLAIN with those credentials (over plain text: a test server only).
"""

from __future__ import annotations

import socket
import threading
import warnings
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import SecretStr

from aicmo.adapters.email.smtp import SmtpConfig


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def to(self) -> str:
        return str(self.message["To"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


class _Handler:
    def __init__(self, server: LocalSmtp) -> None:
        self.server = server

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if address.lower() in self.server.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.server.lock:
            self.server.messages.append(
                Received(envelope.mail_from, tuple(envelope.rcpt_tos), message)  # type: ignore[arg-type]
            )
            number = len(self.server.messages)
        return f"250 OK queued as LOCAL{number:06d}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalSmtp:
    def __init__(self, *, login: tuple[str, str] | None = None, refuse: set[str] | None = None) -> None:
        self.messages: list[Received] = []
        self.lock = threading.Lock()
        self.refuse = {a.lower() for a in refuse or set()}
        self.login = login
        self.logins: list[str] = []
        self.port = _free_port()
        kwargs: dict[str, Any] = {}
        if login is not None:
            kwargs = {"authenticator": self._authenticate, "auth_require_tls": False, "auth_required": True}
        with warnings.catch_warnings():  # AUTH over plain text: a loopback test server only
            warnings.simplefilter("ignore", UserWarning)
            self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **kwargs)

    def _authenticate(
        self, _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword) or self.login is None:
            return AuthResult(success=False, handled=False)
        user, password = data.login.decode(), data.password.decode()
        ok = (user, password) == self.login
        if ok:
            self.logins.append(user)
        return AuthResult(success=ok, handled=False)

    def config(self, **overrides: Any) -> SmtpConfig:
        values: dict[str, Any] = {"host": "127.0.0.1", "port": self.port, "tls": "none", "timeout_s": 10.0}
        if self.login is not None:
            values |= {"user": self.login[0], "password": SecretStr(self.login[1])}
        return SmtpConfig(**(values | overrides))

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address.lower() in (r.lower() for r in m.rcpt_tos)]

    def __enter__(self) -> LocalSmtp:
        self.controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.controller.stop()
