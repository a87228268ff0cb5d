"""Issue 16, must-show 1 at the API level: an operator's structured edit of the strategy (a KPI
target and a pillar's text), approved, shows in everything generated and exported after it - the
monitoring KPIs, the PDF (pdftotext), the deck (python-pptx), the ZIP's strategy.md and the manifest.
Real SQLite file, real routes, real renderers."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pptx import Presentation

from aicmo.bootstrap import App
from aicmo.domain.artifacts import Module
from tests.api.helpers import Api
from tests.integration.delivery.builders import approved_delivery, load_brief

TARGET = "310 qualified demos by week 12"
PILLAR = "Payroll day without panic"
REST = ("creatives", "execution", "monitoring", "delivery")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _download(client: TestClient, api: Api, export: dict) -> bytes:
    response = client.get(export["download_path"], headers=api.headers)
    assert response.status_code == 200, response.text
    return response.content


@pytest.mark.parametrize("backend_url", ["sqlite"], indirect=True)
def test_an_amended_kpi_target_and_pillar_show_in_monitoring_pdf_deck_and_zip(
    client: TestClient, aicmo_app: App, tmp_path: Path
) -> None:
    delivered = approved_delivery(aicmo_app, load_brief("saas_hr_leads"), through=Module.STRATEGY)
    api = Api(client)
    engagement = delivered.engagement_id
    strategy = api.artifact(delivered.artifact_ids["strategy"])
    measurement = strategy["content"]["measurement"]
    measurement["kpis"][0]["target"] = TARGET
    pillars = strategy["content"]["pillars"]
    pillars[1]["name"] = PILLAR
    amended = api.amend(
        strategy,
        content={"measurement": measurement, "pillars": pillars},
        notes="The client raised the demo target on the kickoff call.",
    )
    api.approve(amended)

    for module in REST:
        envelope = api.post(f"/{module}/generate", {"engagement_id": engagement, "auto_approve": True})
        assert envelope["meta"]["auto_approved"], (module, envelope.get("error"))

    api.post("/learn/generate", {"engagement_id": engagement}, expect=200)
    learn = api.get("/artifacts", expect=200, engagement_id=engagement, type="learn")["data"][0]
    assert any(PILLAR in h["statement"] for h in learn["content"]["agenda"])  # learnings test the edit

    monitoring = api.get("/artifacts", expect=200, engagement_id=engagement, type="monitoring")["data"][0]
    targets = [d["kpi"]["target"] for d in monitoring["content"]["kpis"]]
    assert TARGET in targets  # the monitoring KPIs read the amended, approved strategy
    assert TARGET in monitoring["content_markdown"]

    manifest = api.get(f"/engagements/{engagement}/delivery/manifest", expect=200)
    assert manifest["ready"], manifest["reasons"]
    entry = next(a for a in manifest["artifacts"] if a["type"] == "strategy")
    assert entry["version"] == amended["version"] and entry["included"]

    pdf = api.post(f"/engagements/{engagement}/exports", {"format": "PDF"}, expect=201)
    pdf_path = tmp_path / "report.pdf"
    pdf_path.write_bytes(_download(client, api, pdf))
    text = _flat(
        subprocess.run(["pdftotext", str(pdf_path), "-"], check=True, capture_output=True, text=True).stdout
    )
    assert TARGET in text and PILLAR in text

    deck = api.post(f"/engagements/{engagement}/exports", {"format": "PPTX"}, expect=201)
    slides = Presentation(io.BytesIO(_download(client, api, deck))).slides
    deck_text = _flat(
        " ".join(shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame)
        + " "
        + " ".join(
            cell.text
            for slide in slides
            for shape in slide.shapes
            if shape.has_table
            for row in shape.table.rows
            for cell in row.cells
        )
    )
    assert TARGET in deck_text and PILLAR in deck_text

    bundle = api.post(f"/engagements/{engagement}/exports", {"format": "ZIP"}, expect=201)
    with zipfile.ZipFile(io.BytesIO(_download(client, api, bundle))) as archive:
        name = next(n for n in archive.namelist() if n.endswith("strategy.md"))
        strategy_md = archive.read(name).decode()
    assert TARGET in strategy_md and PILLAR in strategy_md
    assert "_Amended by the agency team: measurement, pillars._" in strategy_md
    assert "_No amendments yet._" not in strategy_md.split("## Operator notes")[-1]
