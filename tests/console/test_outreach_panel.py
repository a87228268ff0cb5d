"""The Lead Gen tab's outreach panel over the real API and a real local SMTP server (aiosmtpd):
a sequence made in the form (a refused template names its field), an address suppressed, leads
enrolled by filter, a run that sends what the cap allows and says why the rest was not sent,
and the sends log with the server's reply (SPEC §7)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests.console.conftest import Console, LiveApi, assert_clean, button, console_on, texts
from tests.smtp_server import LocalSmtp

CSV = """email,first_name,last_name,company,title,source,consent
ana@northwind.example,Ana,Costa,Northwind,Head of Marketing,Referral,yes
ben@northwind.example,Ben,Hale,Northwind,Office manager,Website,yes
cara@northwind.example,Cara,Lind,Northwind,Recruiter,Webinar,yes
"""


@pytest.fixture(scope="module")
def smtp() -> Iterator[LocalSmtp]:
    with LocalSmtp() as server:
        yield server


@pytest.fixture(scope="module")
def smtp_api(tmp_path_factory: pytest.TempPathFactory, smtp: LocalSmtp) -> Iterator[LiveApi]:
    api = LiveApi(
        tmp_path_factory.mktemp("outreach-api"), smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_tls="none"
    ).start()
    yield api
    api.stop()


@pytest.fixture
def outreach_console(smtp_api: LiveApi, monkeypatch: pytest.MonkeyPatch) -> Console:
    return console_on(smtp_api, monkeypatch)


def _fill_sequence(at: AppTest, template: str) -> None:
    fields = {
        "Sequence name": "Northwind intro",
        "Sender e-mail": "hello@agency.example",
        "Postal address": "1 Quay Street, Bristol BS1 4DJ",
        "Step 1 subject": "Hello {{first_name}}",
    }
    for label, value in fields.items():
        next(t for t in at.text_input if t.label == label).input(value)
    next(t for t in at.text_area if t.label == "Step 1 template").input(template)
    next(n for n in at.number_input if n.label == "Daily e-mail cap").set_value(1)
    next(n for n in at.number_input if n.label == "Quiet from (hour)").set_value(0)
    next(n for n in at.number_input if n.label == "Quiet until (hour)").set_value(0)  # never quiet


def test_outreach_creates_enrols_runs_and_logs_sends(
    outreach_console: Console, smtp_api: LiveApi, smtp: LocalSmtp, tmp_path: Path
) -> None:
    client_id, engagement_id = smtp_api.new_engagement("Northwind Outreach")
    smtp_api.call("POST", "/leads/import", {"client_id": client_id, "csv": CSV})
    at = outreach_console.open("Lead Gen", client_id, engagement_id)
    assert_clean(at)
    assert "No outreach sequence yet for this client" in texts(at)

    _fill_sequence(at, "Dear [insert name], hello")
    button(at, "Create sequence").click().run()
    refusal = "\n".join(str(e.value) for e in at.error)
    assert "create the sequence" in refusal
    assert "steps.0: Value error, placeholder that will never be filled: '[insert name]'" in refusal

    _fill_sequence(at, "Hi {{first_name}}, a short note from {{client_name}}.")
    button(at, "Create sequence").click().run()
    assert_clean(at)
    assert "Sequence Northwind intro created with 1 step(s)." in texts(at)
    steps = next(d.value for d in at.dataframe if "template" in d.value.columns)
    assert "Hi {{first_name}}" in " ".join(map(str, steps["template"]))

    next(t for t in at.text_area if t.label == "Addresses to suppress").input("ben@northwind.example")
    button(at, "Add to suppression list").click().run()
    assert_clean(at)
    assert "Suppression list now holds 1 address(es)." in texts(at)

    next(s for s in at.selectbox if s.label == "Lead status").set_value("NEW")
    button(at, "Enrol").click().run()
    assert_clean(at)
    page = texts(at)
    assert "Enrolled 2 lead(s) in Northwind intro; 0 already enrolled, 1 not enrolled." in page
    assert "ben@northwind.example: suppressed" in page

    button(at, "Run now").click().run()
    assert_clean(at)
    assert "1 sent · 0 task(s) · 1 skipped · 0 stopped · 0 failed" in texts(at)
    outcome = next(d.value for d in at.dataframe if "outcome" in d.value.columns)
    assert sorted(outcome["outcome"]) == ["sent", "skipped"]
    assert "daily email cap of 1 reached" in " ".join(outcome["why"])
    assert len(smtp.messages) == 1 and smtp.messages[0].rcpt_tos[0].endswith("@northwind.example")
    assert "a short note from Northwind Outreach" in smtp.messages[0].body

    log = next(d.value for d in at.dataframe if "server reply" in d.value.columns)
    assert list(log["status"]) == ["SENT"] and "250 OK queued as LOCAL" in log["server reply"][0]
    overview = next(d.value for d in at.dataframe if "sent" in d.value.columns)
    assert list(overview["sent"]) == [1]
