"""The mail port: services send e-mail through a `MailSender` that bootstrap wires
(`App.mailer`: SMTP from settings). Tests hand the real SMTP adapter a local server."""

from __future__ import annotations

from typing import Protocol

from aicmo.domain.mail import MailError, OutgoingMail, SentMail


class MailSender(Protocol):
    def send(self, mail: OutgoingMail) -> SentMail:
        """Deliver `mail` to the server; `MailError` when it is refused or unreachable."""
        ...


class MailOff:
    """The sender when no SMTP server is configured: every send fails, saying how to set one up."""

    def send(self, mail: OutgoingMail) -> SentMail:
        raise MailError(
            "e-mail is off: set AICMO_SMTP_HOST (and AICMO_SMTP_PORT/USER/PASSWORD/TLS)", terminal=True
        )
