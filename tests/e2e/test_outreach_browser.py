"""Outreach in Chromium over the real stack (issue 19): the API process sends through a real local
SMTP server (aiosmtpd); in the Lead Gen tab leads are enrolled by filter, a run sends what the daily
cap allows and names why the rest waits, and the sends log shows the server's reply.
Screenshot: test-output/screenshots/outreach.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.conftest import Stack, require_chromium
from tests.e2e.console_page import ConsolePage
from tests.smtp_server import LocalSmtp

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CSV = """email,first_name,last_name,company,title,city,source,consent
ana@northwind.example,Ana,Costa,Northwind,Head of Marketing,Bristol,Referral,yes
ben@northwind.example,Ben,Hale,Northwind,Office manager,Bristol,Website,yes
cara@northwind.example,Cara,Lind,Northwind,Recruiter,Leeds,Webinar,yes
"""


@pytest.fixture(scope="module")
def smtp() -> Iterator[LocalSmtp]:
    with LocalSmtp() as server:
        yield server


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, smtp: LocalSmtp) -> Iterator[Stack]:
    """The e2e stack with the API's SMTP adapter pointed at the local server."""
    require_chromium()
    running = Stack(tmp_path_factory.mktemp("e2e-outreach"))
    running.env |= {
        "AICMO_SMTP_HOST": "127.0.0.1",
        "AICMO_SMTP_PORT": str(smtp.port),
        "AICMO_SMTP_TLS": "none",
    }
    running.start()
    yield running
    running.stop()


def test_outreach_enrols_runs_and_logs_sends(
    stack: Stack, smtp: LocalSmtp, page: Any, screenshots: Path
) -> None:
    client = stack.call("POST", "/clients", {"name": "Northwind Trading"}, expect=201)
    stack.call("POST", "/leads/import", {"client_id": client["id"], "csv": CSV})
    sequence = {
        "client_id": client["id"],
        "name": "Northwind intro",
        "steps": [
            {
                "subject": "Hello {{first_name}}",
                "body": "Hi {{first_name}}, a short note from {{client_name}}.",
            },
            {"wait_days": 3, "subject": "Following up", "body": "Hi {{first_name}}, one more note."},
        ],
        "daily_caps": {"email": 1},
        "quiet_start": 0,
        "quiet_end": 0,  # never quiet: the test runs at any hour
        "sender": "hello@agency.example",
        "postal_address": "1 Quay Street, Bristol BS1 4DJ",
    }
    stack.call("POST", "/outreach/sequences", sequence, expect=201)

    ui = ConsolePage(page, stack.ui_url, screenshots)
    ui.open()
    ui.choose("Client", "Northwind Trading")
    ui.tab("Lead Gen")
    ui.see("Steps of Northwind intro")

    ui.fill("Addresses to suppress", "ben@northwind.example")
    ui.click("Add to suppression list")
    ui.see("Suppression list now holds 1 address(es).")

    ui.choose("Lead status", "NEW")
    ui.click("Enrol")
    ui.see("Enrolled 2 lead(s) in Northwind intro; 0 already enrolled, 1 not enrolled.")
    ui.see("ben@northwind.example: suppressed")

    ui.click("Run now")
    ui.see("1 sent · 0 task(s) · 1 skipped · 0 stopped · 0 failed")
    ui.idle()
    ui.assert_clean()
    assert len(smtp.messages) == 1 and "a short note from Northwind Trading" in smtp.messages[0].body
    sends = stack.call("GET", f"/outreach/sequences/{stack_sequence_id(stack, client['id'])}/sends")
    assert [s["status"] for s in sends] == ["SENT"] and "250 OK queued as LOCAL" in sends[0]["server_reply"]
    page.set_viewport_size({"width": 1440, "height": 1500})  # counts, steps, last run and log in one shot
    heading = page.get_by_role("heading", name="Outreach", exact=True)
    heading.evaluate("el => el.scrollIntoView({block: 'start'})")
    ui.idle()
    ui.shot("outreach")


def stack_sequence_id(stack: Stack, client_id: str) -> str:
    return stack.call("GET", f"/outreach/sequences?client_id={client_id}")[0]["id"]
