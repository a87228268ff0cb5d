"""An e-mail to send and what sending it returned: the vocabulary of the mail port. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutgoingMail:
    """One message to one recipient. `headers` are extra headers (e.g. List-Unsubscribe);
    `html` is optional, the plain text always goes out."""

    sender: str
    to: str
    subject: str
    text: str
    html: str = ""
    reply_to: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SentMail:
    """What the server accepted: the Message-ID we sent and the server's own reply (its queue id
    when it gives one), read back from the SMTP session, never invented."""

    message_id: str
    server_reply: str


class MailError(Exception):
    """Sending failed. `terminal` errors (5xx: the recipient or the message is refused) must not be
    retried; the others (4xx, connection refused, timeout) may be."""

    def __init__(self, message: str, *, terminal: bool, code: int | None = None) -> None:
        super().__init__(message)
        self.terminal = terminal
        self.code = code
