"""Structured editing in Chromium over the real stack (issue 16, must show 1).

The operator amends the strategy's KPI target (a cell of the KPI table) and one pillar's
description (a field of its card) in the console, saves and approves; the rest of the work runs;
the PDF (pdftotext) and the PPTX (python-pptx) carry the amended values and Monitoring tracks the
amended target. Screenshots: test-output/screenshots/structured-*.png.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from pptx import Presentation
from tests.console.conftest import sample_brief
from tests.e2e.conftest import Stack
from tests.e2e.console_page import ConsolePage, exact

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TARGET = "75 booked consultations per month by week 12"
PILLAR = "Fixed-fee clarity: every post names the price before the pitch, in plain English."


def squash(text: str) -> str:
    return " ".join(text.split())


def pptx_text(data: bytes) -> str:
    deck = Presentation(io.BytesIO(data))
    parts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return squash(" ".join(parts))


def download(stack: Stack, export: dict[str, Any]) -> bytes:
    response = httpx.get(
        f"{stack.api_url}/api/v1/exports/{export['id']}/download", headers=stack.http.headers, timeout=120
    )
    assert response.status_code == 200
    return response.content


def test_amended_kpi_target_and_pillar_reach_pdf_pptx_and_monitoring(
    stack: Stack, page: Any, screenshots: Path, tmp_path: Path
) -> None:
    brief = sample_brief("law_firm_services")
    client = stack.call("POST", "/clients", {"name": brief["client_name"]}, expect=201)
    eid = stack.call("POST", "/engagements", {"client_id": client["id"], "name": "Consultations"}, 201)["id"]
    stack.call("POST", "/intake/generate", {"engagement_id": eid, "intake": brief})
    stack.call("POST", f"/artifacts/{stack.artifact(eid, 'intake')['id']}/approve", {"expected_version": 1})
    stack.call("POST", "/strategy/generate", {"engagement_id": eid})
    generated = stack.artifact(eid, "strategy")
    old_target = generated["content"]["measurement"]["kpis"][0]["target"]
    second_pillar = generated["content"]["pillars"][1]["name"]

    ui = ConsolePage(page, stack.ui_url, screenshots)
    ui.open(f"?client={client['id']}&engagement={eid}&tab=Strategy")
    ui.see("version 1")
    ui.subtab("Edit")
    target = ui.page.get_by_label("Target · KPI 1", exact=True)
    target.scroll_into_view_if_needed()
    assert target.input_value() == old_target
    target.fill(TARGET)
    target.press("Enter")
    ui.settle()
    ui.page.locator("summary").filter(has_text=f"Pillar 2: {second_pillar}").click()
    description = ui.page.get_by_label("Description · Pillar 2", exact=True)
    description.fill(PILLAR)
    description.blur()
    ui.settle()
    ui.see("Changed: Pillars, Measurement")
    target.scroll_into_view_if_needed()
    ui.shot("structured-strategy-kpi-table")
    description.scroll_into_view_if_needed()
    ui.shot("structured-strategy-pillar")
    ui.click("Save changes as a new version")
    ui.see("Saved your edit of Pillars, Measurement as version 2")
    ui.click("Approve")
    ui.see("Approved version 2")
    ui.assert_clean()

    strategy = stack.artifact(eid, "strategy")
    assert strategy["content"]["measurement"]["kpis"][0]["target"] == TARGET
    assert strategy["content"]["pillars"][1]["description"] == PILLAR
    assert TARGET in strategy["content_markdown"]  # the Markdown is rendered from the edited structure

    # run the rest: creatives, execution, monitoring, then the client exports
    for module in ("creatives", "execution", "monitoring"):
        stack.call("POST", f"/{module}/generate", {"engagement_id": eid, "auto_approve": True})
        assert stack.artifact(eid, module)["status"] == "approved", module
    monitoring = stack.artifact(eid, "monitoring")
    assert TARGET in [k["kpi"]["target"] for k in monitoring["content"]["kpis"]]

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(
        download(stack, stack.call("POST", f"/engagements/{eid}/exports", {"format": "PDF"}, 201))
    )
    text = squash(
        subprocess.run(
            ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    assert TARGET in text and PILLAR in text
    deck = pptx_text(
        download(stack, stack.call("POST", f"/engagements/{eid}/exports", {"format": "PPTX"}, 201))
    )
    assert TARGET in deck and PILLAR in deck


def test_execution_is_edited_post_by_post_with_a_month_grid(
    stack: Stack, page: Any, screenshots: Path
) -> None:
    brief = sample_brief("coffee_ecommerce")
    client = stack.call("POST", "/clients", {"name": brief["client_name"]}, expect=201)
    eid = stack.call("POST", "/engagements", {"client_id": client["id"], "name": "Posts"}, 201)["id"]
    stack.call("POST", "/intake/generate", {"engagement_id": eid, "intake": brief})
    stack.call("POST", f"/artifacts/{stack.artifact(eid, 'intake')['id']}/approve", {"expected_version": 1})
    for module in ("strategy", "creatives"):
        stack.call("POST", f"/{module}/generate", {"engagement_id": eid, "auto_approve": True})
    stack.call("POST", "/execution/generate", {"engagement_id": eid})
    posts = sorted(stack.artifact(eid, "execution")["content"]["posts"], key=lambda p: p["scheduled_at"])
    first, second = posts[0], posts[1]

    ui = ConsolePage(page, stack.ui_url, screenshots)
    ui.open(f"?client={client['id']}&engagement={eid}&tab=Execution")
    ui.see("version 1")
    ui.subtab("Edit")
    ui.page.locator("table.aicmo-month").first.wait_for()  # the month grid
    assert f"{len(posts)} posts · 0 approved · 0 rejected · {len(posts)} draft" in ui.body()
    text = ui.page.get_by_label(f"Text · post {first['id']}", exact=True)
    text.fill("Fresh this week: single-origin Ethiopia Guji, roasted within 48 hours of shipping.")
    text.blur()
    ui.settle()
    ui.see("characters with hashtags")
    ui.shot("structured-execution-posts")
    # the cards follow the calendar's order: the first is the first post, the second the second
    ui.page.get_by_role("button", name=exact("Approve post")).nth(0).click()
    ui.see(f"Post {first['id']} approved: version 2")
    assert ui.page.get_by_label(f"Text · post {second['id']}", exact=True).count() == 1
    ui.page.get_by_role("button", name=exact("Reject post")).nth(1).click()
    ui.see(f"Post {second['id']} rejected: version 3")
    assert f"{len(posts)} posts · 1 approved · 1 rejected · {len(posts) - 2} draft" in ui.body()
    ui.assert_clean()
    ui.page.locator("table.aicmo-month").first.scroll_into_view_if_needed()
    ui.shot("structured-execution-month-grid")

    saved = {p["id"]: p for p in stack.artifact(eid, "execution")["content"]["posts"]}
    assert saved[first["id"]]["status"] == "approved" and "Ethiopia Guji" in saved[first["id"]]["text"]
    assert saved[second["id"]]["status"] == "rejected"
