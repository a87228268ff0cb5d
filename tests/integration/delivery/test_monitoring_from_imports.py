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
from aicmo.domain.schemas.campaigns import CampaignCreate
from aicmo.domain.schemas.exports import ExportFormat
from aicmo.domain.schemas.generation import GenerateRequest
from aicmo.domain.schemas.intake import Platform
from aicmo.domain.schemas.listening import MentionImport
from aicmo.domain.schemas.metrics import MetricImport
from aicmo.services import campaigns, exports, generation, listening, performance
from aicmo.services.generation import GenerationOutcome
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


def _generate(app: App, engagement_id: str, module: Module) -> GenerationOutcome:
    with app.uow() as uow:
        return generation.generate(
            uow,
            app.provider,
            OPERATOR,
            module,
            GenerateRequest(engagement_id=engagement_id, auto_approve=True),
        )


def _pdf_text(app: App, engagement_id: str, *options: str) -> str:
    """The delivered PDF's text by pdftotext (the test skips without poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    with app.uow() as uow:
        record = exports.create_export(uow, OPERATOR, engagement_id, ExportFormat.PDF)
    with app.uow() as uow:
        pdf = exports.download_export(uow, OPERATOR, record.id).data
    return subprocess.run(
        ["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


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

    outcome = _generate(app, engagement_id, Module.MONITORING)
    assert outcome.artifact is not None and outcome.auto_approved, [f.as_dict() for f in outcome.errors]
    content = outcome.artifact.content
    assert content["data_status"] == "imported" and content["rows_imported"] == 28
    by_platform = {p["platform"]: p for p in content["performance"]}
    assert by_platform["linkedin"]["impressions"] == sum(2000 + d * 10 for d in range(14))
    assert by_platform["linkedin"]["conversions"] == 28
    assert by_platform["email"]["conversions"] is None  # not in the export: no data, not 0
    assert by_platform["email"]["ctr_pct"] == 5.0

    outcome = _generate(app, engagement_id, Module.DELIVERY)
    assert outcome.auto_approved
    with app.uow() as uow:
        engagement = uow.engagements.get(engagement_id)
        package = exports.assess_engagement(uow, engagement).package()
    assert len(package.metrics) == 28 and all(m["platform"] in {"linkedin", "email"} for m in package.metrics)
    text = _pdf_text(app, engagement_id)
    assert "Performance" in text and "28 rows of imported data" in " ".join(text.split())


# Mentions: 4 scored by the export (+0.8, +0.6, -0.7, -0.5) and 2 scored offline to 0.0 (neutral
# text), so mean = 0.2 / 6 = +0.03, 2 of 6 positive (33.3%), 2 of 6 negative (33.3%), 2 computed.
MENTIONS = [
    (0, "ana", "Love the #payroll export, onboarding took minutes", "0.8"),
    (1, "ben", "#payroll reports are quick now", "0.6"),
    (2, "cy", "Support ignored my payroll ticket for a week", "-0.7"),
    (7, "di", "Payroll export broke again after the update", "-0.5"),
    (8, "ed", "Webinar about payroll integrations on Tuesday", ""),
    (9, "fay", "Attending the payroll webinar on Tuesday", ""),
]


def test_campaign_kpis_and_listening_reach_the_artifact_and_the_pdf(app: App) -> None:
    delivered = approved_delivery(app, load_brief("saas_hr_leads"), through=Module.EXECUTION)
    engagement_id = delivered.engagement_id
    with app.uow() as uow:
        start = uow.engagements.get(engagement_id).start_date or date.today()
    with app.uow() as uow:
        campaign = campaigns.create_campaign(
            uow,
            OPERATOR,
            CampaignCreate(
                engagement_id=engagement_id,
                name="Payroll launch",
                objective="Demo requests from HR leads",
                platforms=[Platform.LINKEDIN],
                start_date=start,
                end_date=start + timedelta(days=13),
            ),
        )
    with app.uow() as uow:
        items = campaigns.generate_items(uow, OPERATOR, campaign.id)
    assert len(items) >= 2
    first, second = items[0].id, items[1].id
    day = start.isoformat()
    metrics_csv = (
        "date,platform,post_id,impressions,reach,engagements,clicks,conversions\n"
        f"{day},linkedin,{first},1000,800,50,20,3\n"
        f"{day},linkedin,{second},1500,900,70,30,2\n"
        f"{day},linkedin,,9000,5000,100,40,1\n"  # names no item: in the totals, not the campaign
    )
    mentions_csv = "date,platform,author,text,sentiment\n" + "".join(
        f'{(start + timedelta(days=d)).isoformat()},x,{who},"{text}",{score}\n'
        for d, who, text, score in MENTIONS
    )
    with app.uow() as uow:
        performance.import_metrics(
            uow, OPERATOR, MetricImport(engagement_id=engagement_id, csv=metrics_csv, filename="m.csv")
        )
    with app.uow() as uow:
        listening.import_mentions(
            uow, OPERATOR, MentionImport(engagement_id=engagement_id, csv=mentions_csv, filename="l.csv")
        )
    outcome = _generate(app, engagement_id, Module.MONITORING)
    assert outcome.artifact is not None, [f.as_dict() for f in outcome.errors]
    content = outcome.artifact.content
    (own,) = content["campaigns"]
    assert (own["name"], own["rows"], own["impressions"], own["clicks"], own["conversions"]) == (
        "Payroll launch",
        2,
        2500,
        50,
        5,
    )
    assert own["engagement_rate_pct"] == 4.8  # 120 / 2500
    heard = content["listening"]
    assert (heard["mentions"], heard["computed"], heard["positive_pct"], heard["negative_pct"]) == (
        6,
        2,
        33.3,
        33.3,
    )
    assert heard["mean"] == pytest.approx(0.2 / 6, abs=1e-4)
    assert {t["term"]: t["mentions"] for t in heard["topics"]}["payroll"] == 4
    assert [m["source_row"] for m in heard["most_negative"]] == [4, 5]  # CSV lines of -0.7 and -0.5
    markdown = " ".join(outcome.artifact.content_markdown.split())
    assert "6 mentions imported; mean sentiment +0.03" in markdown
    assert "33.3% positive, 33.3% negative; 2 of 6 sentiments scored offline" in markdown
    assert "payroll (4)" in markdown and "Support ignored my payroll ticket" in markdown

    outcome = _generate(app, engagement_id, Module.DELIVERY)
    assert outcome.auto_approved
    text = " ".join(_pdf_text(app, engagement_id, "-raw").split())
    assert "By campaign" in text and "Payroll launch 2 2,500 4.80% 50 5" in text
    assert "Social listening" in text and "6 mentions imported; mean sentiment +0.03" in text
    assert "33.3% positive, 33.3% negative" in text and "2 of 6 sentiments scored offline" in text
    # the listening chapter's own topic table: payroll in lines 4-7, mean (-0.7 - 0.5 + 0 + 0) / 4
    assert "TOPIC MENTIONS MEAN SENTIMENT" in text and "payroll 4 -0.30" in text


def test_monitoring_says_plainly_when_no_mentions_were_imported(app: App) -> None:
    delivered = approved_delivery(app, load_brief("saas_hr_leads"), through=Module.EXECUTION)
    outcome = _generate(app, delivered.engagement_id, Module.MONITORING)
    assert outcome.artifact is not None
    assert outcome.artifact.content["listening"]["mentions"] == 0
    assert outcome.artifact.content["campaigns"] == []
    assert "No mentions imported for" in outcome.artifact.content_markdown
    assert _generate(app, delivered.engagement_id, Module.DELIVERY).auto_approved
    text = " ".join(_pdf_text(app, delivered.engagement_id, "-raw").split())
    assert "No mentions imported for" in text  # one plain line, no listening chapter or chart
    assert "TOPIC MENTIONS MEAN SENTIMENT" not in text and "By campaign" not in text
