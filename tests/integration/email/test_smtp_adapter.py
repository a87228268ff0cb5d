"""The SMTP adapter against a real local SMTP server (aiosmtpd): what the server received is read
back; the server's own reply (its queue id) is returned; refusals are errors, never successes."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from aicmo.adapters.email.smtp import SmtpConfig, SmtpSender
from aicmo.bootstrap import build_app
from aicmo.config import Settings
from aicmo.domain.mail import MailError, OutgoingMail
from aicmo.services.mail import MailOff
from tests.smtp_server import LocalSmtp, _free_port

pytestmark = pytest.mark.timeout(60)


def _mail(to: str = "ana@client.example", **extra: object) -> OutgoingMail:
    values: dict[str, object] = {
        "sender": "hello@agency.example",
        "to": to,
        "subject": "Solar panels for your roof",
        "text": "Hi Ana,\n\nA short note about solar.\n",
        "headers": {"List-Unsubscribe": "<https://agency.example/u/abc>"},
    } | extra
    return OutgoingMail(**values)  # type: ignore[arg-type]


def test_a_message_arrives_with_its_headers_and_the_servers_reply_is_returned() -> None:
    with LocalSmtp() as smtp:
        sent = SmtpSender(smtp.config()).send(_mail(html="<p>Hi Ana</p>"))
    assert len(smtp.messages) == 1
    got = smtp.messages[0]
    assert got.mail_from == "hello@agency.example"
    assert got.rcpt_tos == ("ana@client.example",)
    assert got.message["Subject"] == "Solar panels for your roof"
    assert got.message["List-Unsubscribe"] == "<https://agency.example/u/abc>"
    assert got.message["Message-ID"] == sent.message_id
    assert "A short note about solar." in got.body
    assert sent.server_reply == "250 OK queued as LOCAL000001"  # read from the DATA reply


def test_login_with_the_configured_user_and_the_password_never_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with LocalSmtp(login=("agency", "s3cret-pw-42")) as smtp:
        sender = SmtpSender(smtp.config())
        sender.send(_mail())
        assert smtp.logins == ["agency"]
        bad = SmtpSender(smtp.config(password=SecretStr("wrong")))
        with pytest.raises(MailError) as refused:
            bad.send(_mail())
    assert refused.value.terminal
    assert len(smtp.messages) == 1
    shown = f"{sender!r} {sender.config!r} {refused.value} {caplog.text}"
    assert "s3cret-pw-42" not in shown and "wrong" not in f"{refused.value}"


def test_a_refused_recipient_is_a_terminal_error_and_nothing_is_delivered() -> None:
    with LocalSmtp(refuse={"gone@client.example"}) as smtp, pytest.raises(MailError) as refused:
        SmtpSender(smtp.config()).send(_mail("gone@client.example"))
    assert refused.value.terminal and refused.value.code == 550
    assert smtp.messages == []


def test_an_unreachable_server_is_a_retryable_error() -> None:
    sender = SmtpSender(SmtpConfig(host="127.0.0.1", port=_free_port(), tls="none", timeout_s=5))
    with pytest.raises(MailError) as failed:
        sender.send(_mail())
    assert not failed.value.terminal


def test_bootstrap_wires_smtp_from_settings(tmp_path) -> None:
    with LocalSmtp(login=("agency", "pw-from-env")) as smtp:
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path,
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_user="agency",
            smtp_password="pw-from-env",
            smtp_tls="none",
        )
        app = build_app(settings)
        app.mailer.send(_mail())
    assert "pw-from-env" not in repr(settings) and "pw-from-env" not in repr(app.mailer)
    assert smtp.to("ana@client.example")
    off = build_app(Settings(_env_file=None, data_dir=tmp_path)).mailer
    assert isinstance(off, MailOff)
    with pytest.raises(MailError, match="AICMO_SMTP_HOST"):
        off.send(_mail())
