"""Imported performance data reaches the monitoring artifact and the client PDF: the monitoring
generator reports on the engagement's imported rows (never inventing a number), a new import changes
its inputs, and the PDF's performance section is drawn from the same rows (SPEC §7 monitoring)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta

import pytest

from aicmo.bootstrap import App
from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.exports import ExportFormat
from aicmo.domain.schemas.generation import GenerateRequest
from aicmo.domain.schemas.metrics import MetricImport
from aicmo.services import exports, generation, performance
from aicmo.services.inputs import load_inputs
from tests.integration.delivery.builders import OPERATOR, approved_delivery, load_brief


def _csv(start: date) -> str:
    lines = ["date,platform,post_id,impressions,reach,engagements,clicks,conversions,spend"]
    for day in range(14):
        when = (start + timedelta(days=day)).isoformat()
        lines.append(f"{when},linkedin,,{2000 + day * 10},1500,80,40,2,60.00")
        lines.append(f"{when},email,,500,,,25,,")  # e-mail rows carry no engagements, conversions or spend
    lines.append(f"{start.isoformat()},linkedin,,lots,,,,,")  # one bad row, named and skipped
    return "\n".join(lines) + "\n"


def test_monitoring_reports_the_imported_rows_and_the_pdf_shows_them(app: App) -> None:
    delivered = approved_delivery(app, load_brief("saas_hr_leads"), through=Module.EXECUTION)
    engagement_id = delivered.engagement_id
    with app.uow() as uow:
        before = load_inputs(uow, engagement_id, Module.MONITORING).inputs_hash
        start = uow.engagements.get(engagement_id).start_date or date.today()
    with app.uow() as uow:
        imported = performance.import_metrics(
            uow,
            OPERATOR,
            MetricImport(engagement_id=engagement_id, csv=_csv(start), filename="two_weeks.csv"),
        )
    assert (imported.rows_imported, len(imported.skipped)) == (28, 1)
    with app.uow() as uow:
        assert load_inputs(uow, engagement_id, Module.MONITORING).inputs_hash != before

    with app.uow() as uow:
        outcome = generation.generate(
            uow,
            app.provider,
            OPERATOR,
            Module.MONITORING,
            GenerateRequest(engagement_id=engagement_id, auto_approve=True),
        )
    assert outcome.artifact is not None and outcome.auto_approved, [f.as_dict() for f in outcome.errors]
    content = outcome.artifact.content
    assert content["data_status"] == "imported" and content["rows_imported"] == 28
    by_platform = {p["platform"]: p for p in content["performance"]}
    assert by_platform["linkedin"]["impressions"] == sum(2000 + d * 10 for d in range(14))
    assert by_platform["linkedin"]["conversions"] == 28
    assert by_platform["email"]["conversions"] is None  # not in the export: no data, not 0
    assert by_platform["email"]["ctr_pct"] == 5.0

    with app.uow() as uow:
        outcome = generation.generate(
            uow,
            app.provider,
            OPERATOR,
            Module.DELIVERY,
            GenerateRequest(engagement_id=engagement_id, auto_approve=True),
        )
    assert outcome.auto_approved
    with app.uow() as uow:
        engagement = uow.engagements.get(engagement_id)
        package = exports.assess_engagement(uow, engagement).package()
    assert len(package.metrics) == 28 and all(m["platform"] in {"linkedin", "email"} for m in package.metrics)
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    with app.uow() as uow:
        record = exports.create_export(uow, OPERATOR, engagement_id, ExportFormat.PDF)
    with app.uow() as uow:
        pdf = exports.download_export(uow, OPERATOR, record.id).data
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Performance" in text and "28 rows of imported data" in " ".join(text.split())
