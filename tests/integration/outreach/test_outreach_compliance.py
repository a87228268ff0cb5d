"""Must-show 3 (issue 19): outreach to a test list, sent through the SMTP adapter to a real local
SMTP server (aiosmtpd), sends nothing to suppressed, unsubscribed, bounced, replied or out-of-hours
recipients and never exceeds the daily cap. Every check reads the server's mailbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from aicmo.bootstrap import build_app
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.leads import LeadEvent, LeadImport
from aicmo.domain.schemas.outreach import Enrol, SequenceCreate, SuppressionAdd
from aicmo.domain.schemas.resources import ClientCreate
from aicmo.entrypoints.api.main import create_app
from aicmo.services import clients, leads, outreach
from tests.conftest import make_settings, migrated
from tests.smtp_server import LocalSmtp

pytestmark = pytest.mark.timeout(120)
OPS = Principal(name="ops", role=Role.OPERATOR)
CAP = 3
MONDAY_10_UTC = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)  # London 10:00, Sydney 21:00, New York 05:00
POSTAL = "Sunbeam Solar Ltd, 4 Quay Street, Bristol BS1 4DJ, UK"
CSV = """email,first_name,last_name,city,timezone,title,source,consent
ana@northwind.example,Ana,Diaz,Bristol,Europe/London,Homeowner,Quote form,yes
ben@northwind.example,Ben,Ode,Bath,Europe/London,Homeowner,Quote form,yes
cara@northwind.example,Cara,Li,Bristol,Europe/London,Homeowner,Quote form,yes
dev@northwind.example,Dev,Rao,Bristol,Europe/London,Homeowner,Quote form,yes
eve@northwind.example,Eve,Kim,Bristol,Europe/London,Homeowner,Quote form,yes
sup@northwind.example,Sue,Pratt,Bristol,Europe/London,Homeowner,Quote form,yes
gone@northwind.example,Gus,Oni,Bristol,Europe/London,Homeowner,Quote form,yes
syd@northwind.example,Syd,Hart,Sydney,Australia/Sydney,Homeowner,Quote form,yes
nyc@northwind.example,Nia,Cole,New York,America/New_York,Homeowner,Quote form,yes
anon@northwind.example,,,Bristol,Europe/London,Homeowner,Quote form,yes
"""
NEVER = {"sup@northwind.example", "gone@northwind.example", "syd@northwind.example", "nyc@northwind.example"}


@pytest.fixture
def setup(tmp_path):
    url = f"sqlite:///{tmp_path / 'outreach.db'}"
    migrated(url)
    with LocalSmtp(refuse={"gone@northwind.example"}) as smtp:
        settings = make_settings(url, tmp_path, smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_tls="none")
        app = build_app(settings)
        try:
            yield app, smtp
        finally:
            app.close()


def _recipients(smtp: LocalSmtp, start: int = 0) -> list[str]:
    return [r for m in smtp.messages[start:] for r in m.rcpt_tos]


def test_outreach_respects_suppression_unsubscribe_quiet_hours_and_the_daily_cap(setup) -> None:
    app, smtp = setup
    with app.uow() as uow:
        client = clients.create_client(uow, OPS, ClientCreate(name="Sunbeam Solar"))
    with app.uow() as uow:
        leads.import_leads(uow, OPS, LeadImport(client_id=client.id, csv=CSV))
    with app.uow() as uow:
        outreach.add_suppressions(
            uow, OPS, SuppressionAdd(client_id=client.id, emails=["sup@northwind.example"])
        )
    steps = [
        {
            "subject": "Solar for {{city}}, {{first_name}}?",
            "body": "Hi {{first_name}},\n\nYour quote is ready.",
        },
        {
            "wait_days": 1,
            "subject": "Following up, {{first_name}}",
            "body": "Hi {{first_name}}, any questions?",
        },
    ]
    with app.uow() as uow:
        sequence = outreach.create_sequence(
            uow,
            OPS,
            SequenceCreate(
                client_id=client.id,
                name="Quote follow-up",
                steps=steps,
                daily_caps={"email": CAP},
                sender="hello@sunbeam.example",
                sender_name="Sunbeam Solar",
                postal_address=POSTAL,
            ),
            unsubscribe_base="http://testserver",
        )
    with app.uow() as uow:
        enrolled = outreach.enrol(uow, OPS, sequence.id, Enrol(tiers=["HOT", "WARM", "COOL", "COLD"]))
    assert enrolled.enrolled == 9  # the suppressed address is named, not enrolled
    assert enrolled.skipped == [
        {"lead_id": enrolled.skipped[0]["lead_id"], "email": "sup@northwind.example", "reason": "suppressed"}
    ]

    def run(at: datetime):
        with app.uow() as uow:
            return outreach.run(uow, OPS, app.mailer, sequence.id, now=at)

    # Day 1, 10:00 UTC: the cap allows 3; Sydney (21:00) and New York (05:00) are in quiet hours
    first = run(MONDAY_10_UTC)
    day1 = _recipients(smtp)
    assert len(smtp.messages) == len(first.sent) <= CAP
    assert not NEVER & set(day1) and "anon@northwind.example" not in day1
    reasons = {s["email"]: s["reason"] for s in first.skipped}
    assert reasons["syd@northwind.example"].startswith("quiet hours (21:00 in Australia/Sydney)")
    assert reasons["nyc@northwind.example"].startswith("quiet hours (05:00 in America/New_York)")
    assert any("daily email cap of 3 reached" in r for r in reasons.values())
    # the bounce may fall on day 1 or day 2, depending on order; it is never in the mailbox

    # Every e-mail carries the unsubscribe link and the postal address; the variables are filled
    for message in smtp.messages:
        assert POSTAL in message.body and "/api/v1/outreach/unsubscribe/" in message.body
        assert message.message["List-Unsubscribe"].startswith(
            "<http://testserver/api/v1/outreach/unsubscribe/"
        )
        assert "{{" not in message.body and "{{" not in str(message.message["Subject"])
    assert str(smtp.messages[0].message["From"]) == "Sunbeam Solar <hello@sunbeam.example>"

    # Same day again: the cap is spent, nothing more goes out
    assert run(MONDAY_10_UTC + timedelta(hours=2)).sent == []
    assert len(smtp.messages) == len(day1)

    # One recipient unsubscribes through the link in their e-mail, another replies
    unsubscriber, replier = day1[0], day1[1]
    link = (
        next(m for m in smtp.messages if unsubscriber in m.rcpt_tos).message["List-Unsubscribe"].strip("<>")
    )
    with TestClient(create_app(app)) as http:
        page = http.get(urlparse(link).path)
        assert page.status_code == 200 and "unsubscribed" in page.text
        assert http.get("/api/v1/outreach/unsubscribe/forged-token-000000000000").status_code == 403
    with app.uow() as uow:
        replier_id = uow.leads.by_email(client.id, replier).id
        outreach.record_event(uow, OPS, replier_id, LeadEvent(kind="reply"))

    # Days 2-4: never more than the cap a day, never to anyone suppressed or unsubscribed
    for day in (1, 2, 3):
        start = len(smtp.messages)
        result = run(MONDAY_10_UTC + timedelta(days=day))
        sent_today = _recipients(smtp, start)
        assert len(sent_today) == len(result.sent) <= CAP
        assert not (NEVER | {unsubscriber}) & set(sent_today)
        assert replier not in sent_today

    everyone = _recipients(smtp)
    assert not NEVER & set(everyone)
    assert everyone.count(unsubscriber) == 1 and everyone.count(replier) == 1
    untouched = {f"{n}@northwind.example" for n in ("ana", "ben", "cara", "dev", "eve")} - {
        unsubscriber,
        replier,
    }
    assert {email: everyone.count(email) for email in untouched} == dict.fromkeys(untouched, 2)  # both steps

    with app.uow() as uow:
        listed = {s.email: s.reason for s in outreach.list_suppressions(uow, OPS, client.id)}
        sends = outreach.sends(uow, OPS, sequence.id)
        anon = uow.leads.by_email(client.id, "anon@northwind.example")
        blocked = uow.outreach.enrolments_of_lead(anon.id)[0]
        blocked_status, blocked_reason = blocked.status, blocked.stop_reason
    assert listed == {
        "sup@northwind.example": "SUPPRESSED",
        unsubscriber: "UNSUBSCRIBED",
        "gone@northwind.example": "BOUNCED",
    }
    assert blocked_status == "BLOCKED" and "no value for first_name" in blocked_reason
    replies = [s["server_reply"] for s in sends if s["status"] == "SENT"]
    assert len(replies) == len(everyone) and all(r.startswith("250 OK queued as LOCAL") for r in replies)


def test_the_daily_cap_counts_days_where_the_sequence_sells(setup) -> None:
    """A Los Angeles sequence's day runs midnight to midnight in Los Angeles: at 16:00 there (midnight
    UTC) its cap is still spent; it resets at midnight there, not mid-afternoon."""
    app, smtp = setup
    tokyo = "\n".join(
        f"t{n}@kanto.example,T{n},Sato,Tokyo,Asia/Tokyo,Homeowner,Quote form,yes" for n in range(4)
    )
    with app.uow() as uow:
        client = clients.create_client(uow, OPS, ClientCreate(name="Pacific Solar"))
    with app.uow() as uow:
        header = "email,first_name,last_name,city,timezone,title,source,consent\n"
        leads.import_leads(uow, OPS, LeadImport(client_id=client.id, csv=header + tokyo))
    with app.uow() as uow:
        sequence = outreach.create_sequence(
            uow,
            OPS,
            SequenceCreate(
                client_id=client.id,
                name="Quote follow-up",
                steps=[
                    {"subject": "Solar, {{first_name}}?", "body": "Hi {{first_name}}, your quote is ready."}
                ],
                daily_caps={"email": 1},
                quiet_start=23,
                quiet_end=6,
                default_timezone="America/Los_Angeles",
                sender="hello@pacific.example",
                postal_address=POSTAL,
            ),
            unsubscribe_base="http://testserver",
        )
    with app.uow() as uow:
        outreach.enrol(uow, OPS, sequence.id, Enrol(tiers=["HOT", "WARM", "COOL", "COLD"]))

    def sent(at: datetime) -> int:
        with app.uow() as uow:
            return len(outreach.run(uow, OPS, app.mailer, sequence.id, now=at).sent)

    la_9am = datetime(2027, 1, 11, 17, 0, tzinfo=UTC)  # Monday 09:00 in LA, Tuesday 02:00 in Tokyo
    assert sent(la_9am.replace(hour=23)) == 1  # 15:00 LA (08:00 Tokyo): Monday's one
    assert sent(la_9am + timedelta(hours=7)) == 0  # 16:00 LA = midnight UTC: still Monday there
    assert sent(la_9am + timedelta(hours=15, minutes=30)) == 1  # 00:30 Tuesday in LA: a new day
    assert len(smtp.messages) == 2
    with app.uow() as uow:
        progress = outreach.get_sequence(uow, OPS, sequence.id)
        tuesday = uow.outreach.sends_by_channel_on(sequence.id, date(2027, 1, 12))
    assert progress.enrolments == {"DONE": 2, "ACTIVE": 2}  # one step: a sent lead is done
    assert tuesday == {"email": 1}  # what the API shows as today's sends against the cap, on that day
