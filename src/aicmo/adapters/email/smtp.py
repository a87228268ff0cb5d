"""Sending e-mail over SMTP with the standard library (`smtplib`, `email.message`).

One connection per message keeps failure handling simple and honest: the server's reply to DATA
is read back and returned (its queue id, when it names one), never assumed. TLS is `starttls`
(port 587), `ssl` (implicit TLS, port 465) or `none` (a local relay or test server). The password
is a `SecretStr`: it is only revealed to `SMTP.login` and never logged or shown in a repr.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal

from pydantic import SecretStr

from aicmo.domain.mail import MailError, OutgoingMail, SentMail

log = logging.getLogger(__name__)

TlsMode = Literal["none", "starttls", "ssl"]


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    user: str = ""
    password: SecretStr | None = field(default=None, repr=False)
    tls: TlsMode = "starttls"
    timeout_s: float = 30.0
    ca_file: str = ""  # a CA bundle to trust (a private relay); empty: the system's

    def __repr__(self) -> str:  # the password never appears, not even masked by length
        return f"SmtpConfig(host={self.host!r}, port={self.port}, user={self.user!r}, tls={self.tls!r})"


def build_message(mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = mail.sender.rpartition("@")[2].strip(" >") or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


class SmtpSender:
    """A `MailSender` over SMTP."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def __repr__(self) -> str:
        return f"SmtpSender({self.config!r})"

    def _tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.config.ca_file or None)

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        if cfg.tls == "ssl":
            return smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_s, context=self._tls_context())
        client = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
        if cfg.tls == "starttls":
            client.starttls(context=self._tls_context())
        return client

    def send(self, mail: OutgoingMail) -> SentMail:
        message = build_message(mail)
        cfg = self.config
        where = f"{cfg.host}:{cfg.port}"
        try:
            client = self._connect()
        except (OSError, smtplib.SMTPException) as exc:  # refused, DNS, timeout, TLS handshake
            raise MailError(
                f"cannot reach the SMTP server {where}: {type(exc).__name__}", terminal=False
            ) from None
        try:
            with client:
                if cfg.user:
                    client.login(cfg.user, cfg.password.get_secret_value() if cfg.password else "")
                server_reply = _transact(client, mail, message)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(
                f"SMTP login refused for user {cfg.user!r} ({exc.smtp_code})",
                terminal=True,
                code=exc.smtp_code,
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            code, _ = next(iter(exc.recipients.values()))
            raise MailError(
                f"recipient {mail.to} refused ({code})", terminal=code >= 500, code=code
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise MailError(
                f"SMTP server answered {exc.smtp_code}: {_text(exc.smtp_error)}",
                terminal=exc.smtp_code >= 500,
                code=exc.smtp_code,
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(
                f"SMTP session with {where} failed: {type(exc).__name__}", terminal=False
            ) from None
        log.info("mail sent to %s via %s (%s)", mail.to, where, message["Message-ID"])
        return SentMail(message_id=str(message["Message-ID"]), server_reply=server_reply)


def _transact(client: smtplib.SMTP, mail: OutgoingMail, message: EmailMessage) -> str:
    """MAIL, RCPT, DATA by hand (what `sendmail` does) so the reply to DATA, where a server names
    its queue id, is read back instead of thrown away."""
    client.ehlo_or_helo_if_needed()
    options = ["SMTPUTF8"] if client.has_extn("smtputf8") and not (mail.sender + mail.to).isascii() else []
    code, reply = client.mail(mail.sender, options)
    if code != 250:
        client.rset()
        raise smtplib.SMTPSenderRefused(code, reply, mail.sender)
    code, reply = client.rcpt(mail.to)
    if code not in (250, 251):
        client.rset()
        raise smtplib.SMTPRecipientsRefused({mail.to: (code, reply)})
    payload = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    code, reply = client.data(payload)
    if code != 250:
        client.rset()
        raise smtplib.SMTPDataError(code, reply)
    return f"{code} {_text(reply)}"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
