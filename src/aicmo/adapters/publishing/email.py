"""The e-mail publisher: one approved item version as a plain-text message over SMTP (a platform's
post-by-e-mail address, a scheduling tool's inbox, an editor who posts by hand).

It reuses the SMTP sending adapter (`adapters/email/smtp.py`): the server's reply to DATA (its queue
id) is read back and becomes the provider id; a refused message (5xx) is terminal, an unreachable
server or a 4xx is retried by the engine. The idempotency key travels as a header so a receiving
tool can recognise a repeat after a crash. The message goes to the campaign's own address when it
has one, else to the deployment's default.
"""

from __future__ import annotations

import re

from aicmo.adapters.email.smtp import SmtpSender
from aicmo.domain.campaigns import Channel, Delivery, Outgoing, PublishFailed
from aicmo.domain.mail import MailError, OutgoingMail

IDEMPOTENCY_HEADER = "X-AICMO-Idempotency-Key"
_QUEUE_ID = re.compile(r"queued as\s+(\S+)", re.IGNORECASE)


class EmailPublisher:
    channel = Channel.EMAIL

    def __init__(self, sender: SmtpSender, mail_from: str, to: str = "") -> None:
        """`to`: the deployment's default recipient ('' when only campaigns' own addresses are used)."""
        if not mail_from:
            raise ValueError("an e-mail publisher needs a From address")
        self._sender = sender
        self.mail_from = mail_from
        self.default_destination = to

    def __repr__(self) -> str:
        return f"EmailPublisher(to={self.default_destination!r})"

    def publish(self, message: Outgoing, timeout_s: float) -> Delivery:
        # the SMTP session's timeout was set to at most `timeout_s` when this publisher was built
        to = message.destination or self.default_destination
        if not to:
            raise PublishFailed("no recipient: the campaign has none and no default is set", terminal=True)
        mail = OutgoingMail(
            sender=self.mail_from,
            to=to,
            subject=f"[{message.platform}] {message.campaign_name}: post for {message.scheduled_at[:10]}",
            text=message.caption,
            headers={
                IDEMPOTENCY_HEADER: message.idempotency_key,
                "X-AICMO-Item": f"{message.item_id} v{message.version}",
            },
        )
        try:
            sent = self._sender.send(mail)
        except MailError as exc:
            raise PublishFailed(str(exc), terminal=exc.terminal, status=exc.code) from None
        queued = _QUEUE_ID.search(sent.server_reply)
        return Delivery(provider_id=(queued.group(1) if queued else sent.message_id)[:500])
