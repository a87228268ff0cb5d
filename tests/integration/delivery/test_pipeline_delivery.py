"""`aicmo pipeline --auto-approve` end to end on the real job engine: the plan's delivery jobs export
the formats the brief asks for, and the pipeline copies those files into its out directory."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from aicmo.services import exports
from aicmo.services.pipeline import run_pipeline
from tests.integration.delivery.builders import OPERATOR, load_brief
from tests.integration.engine.conftest import engine_app


@pytest.mark.slow
def test_the_pipeline_writes_the_delivery_files_the_brief_asks_for(tmp_path: Path) -> None:
    brief = load_brief("hospital_hiring")  # asks for PDF and PPTX
    app = engine_app(tmp_path)
    out = tmp_path / "out"
    try:
        result = run_pipeline(app, brief, out, auto_approve=True, timeout_s=180)
        with app.uow() as uow:
            listed = exports.list_exports(uow, OPERATOR, result.engagement_id)
    finally:
        app.close()

    assert result.failed_jobs == []
    assert {j.key: j.status.value for j in result.plan.jobs if j.kind == "export"} == {
        "delivery.pdf": "completed",
        "delivery.pptx": "completed",
    }
    assert {(e.format.value, e.created_by) for e in listed.data} == {
        ("PDF", "system:job delivery.pdf"),
        ("PPTX", "system:job delivery.pptx"),
    }
    manifest = json.loads((out / "manifest.json").read_text())
    assert {e["format"] for e in manifest["exports"]} == {"PDF", "PPTX"}
    for entry in manifest["exports"]:
        data = (out / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    [pdf] = out.glob("st-brigid-community-hospital-report-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
