"""Delivery is refused with one named reason per problem, and allowed again once it is fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aicmo.bootstrap import App
from aicmo.config import get_settings
from aicmo.domain.artifacts import Action, Module
from aicmo.domain.errors import Gated
from aicmo.domain.schemas.exports import ExportFormat
from aicmo.domain.schemas.resources import ArtifactAmend
from aicmo.entrypoints.cli.main import app as cli
from aicmo.services import artifacts, exports
from aicmo.services.job_runner import JobCannotRun
from tests.integration.delivery.builders import OPERATOR, approve, approved_delivery, current, load_brief


def refusal(app: App, engagement_id: str) -> list[str]:
    with app.uow() as uow, pytest.raises(Gated) as caught:
        exports.create_export(uow, OPERATOR, engagement_id, ExportFormat.PDF)
    assert caught.value.message == "delivery refused: " + "; ".join(d["reason"] for d in caught.value.details)
    return [d["reason"] for d in caught.value.details]


def export_count(app: App, engagement_id: str) -> int:
    with app.uow() as uow:
        return exports.list_exports(uow, OPERATOR, engagement_id).count


def amend(app: App, artifact_id: str, **changes: object) -> None:
    with app.uow() as uow:
        artifacts.amend_artifact(
            uow,
            OPERATOR,
            artifact_id,
            ArtifactAmend(expected_version=current(app, artifact_id)[1], **changes),
        )


def test_a_changed_strategy_refuses_delivery_naming_each_draft_and_stale_artifact_until_reapproved(
    app: App,
) -> None:
    delivered = approved_delivery(app, load_brief("hospital_hiring"))
    ids = delivered.artifact_ids
    amend(app, ids["strategy"], notes="Lead with the mentoring programme.")
    # a revision is work in progress: it blocks delivery, but flags nothing downstream yet
    assert refusal(app, delivered.engagement_id) == ["strategy (revised - must be approved)"]

    approve(app, ids["strategy"])  # the approval is the change: the cascade starts here
    assert refusal(app, delivered.engagement_id) == [
        "creatives (flagged_for_review - upstream changed)",
        "execution (flagged_for_review - upstream changed)",
        "monitoring (flagged_for_review - approve it, or archive it to leave it out)",
        "delivery (flagged_for_review - approve it, or archive it to leave it out)",
        "creatives (stale: strategy changed from v1 to v2)",
        "execution (stale: strategy changed from v1 to v2)",
    ]
    with app.uow() as uow:
        manifest = exports.delivery_manifest(uow, OPERATOR, delivered.engagement_id)
    checks = {c.name: c.passed for c in manifest.checks}
    assert checks == {
        "approved": False,
        "fresh": False,
        "quality": True,
        "disclaimers": True,
        "branding": True,
    }
    left_out = {a.type.value: a.note for a in manifest.artifacts if not a.included}
    assert set(left_out) == {"monitoring", "delivery"}  # optional and flagged: not delivered
    assert export_count(app, delivered.engagement_id) == 0

    for module in ("creatives", "execution"):
        approve(app, ids[module])
    # a partial set (monitoring and delivery unapproved) is never exported
    assert refusal(app, delivered.engagement_id) == [
        "monitoring (flagged_for_review - approve it, or archive it to leave it out)",
        "delivery (flagged_for_review - approve it, or archive it to leave it out)",
    ]
    with app.uow() as uow:
        artifacts.decide(uow, OPERATOR, ids["delivery"], Action.ARCHIVE)
    approve(app, ids["monitoring"])
    with app.uow() as uow:
        made = exports.create_export(uow, OPERATOR, delivered.engagement_id, ExportFormat.MD)
    assert made.artifact_versions == {
        "intake": 1,
        "strategy": 2,
        "creatives": 1,
        "execution": 1,
        "monitoring": 1,
    }


def test_a_draft_artifact_refuses_delivery_and_approval_allows_it(app: App) -> None:
    delivered = approved_delivery(app, load_brief("coffee_ecommerce"), through=Module.EXECUTION)
    execution = delivered.artifact_ids["execution"]
    with app.uow() as uow:
        artifacts.decide(uow, OPERATOR, execution, Action.REVOKE)

    assert refusal(app, delivered.engagement_id) == ["execution (draft - must be approved)"]
    approve(app, execution)
    with app.uow() as uow:
        made = exports.create_export(uow, OPERATOR, delivered.engagement_id, ExportFormat.MD)
    assert made.format is ExportFormat.MD and made.bytes > 1000


def test_an_approved_post_without_its_disclaimer_still_refuses_delivery(app: App) -> None:
    brief = load_brief("law_firm_services")
    disclaimer = brief["required_disclaimers"][0]
    delivered = approved_delivery(app, brief, through=Module.EXECUTION)
    execution = delivered.artifact_ids["execution"]
    with app.uow() as uow:
        content = uow.artifacts.get(execution).content
    assert disclaimer in content["posts"][2]["text"]
    content["posts"][2]["text"] = content["posts"][2]["text"].replace(disclaimer, "").strip()
    amend(app, execution, content=content)
    approve(app, execution)  # a person may approve it; the delivery check still stops it

    assert refusal(app, delivered.engagement_id) == [
        f"execution.posts.2.text: required disclaimer missing: {disclaimer!r}"
    ]
    with app.uow() as uow:
        manifest = exports.delivery_manifest(uow, OPERATOR, delivered.engagement_id)
    assert [c.name for c in manifest.checks if not c.passed] == ["disclaimers"]


def test_a_stored_artifact_that_does_not_fit_its_schema_is_named(app: App) -> None:
    """Amends are validated now; a row stored before that (or a half-made module) is still named."""
    delivered = approved_delivery(app, load_brief("saas_hr_leads"), through=Module.EXECUTION)
    creatives = delivered.artifact_ids["creatives"]
    with app.uow() as uow:
        uow.artifacts.get(creatives).content = {"summary": "moodboard to follow"}
        uow.commit()

    reasons = refusal(app, delivered.engagement_id)
    assert len(reasons) == 1
    assert reasons[0].startswith("creatives: content does not fit the Creatives schema (")


def test_the_plan_export_job_fails_at_once_with_the_reasons_and_writes_nothing(app: App) -> None:
    delivered = approved_delivery(app, load_brief("saas_hr_leads"), through=Module.EXECUTION)
    with app.uow() as uow:
        artifacts.decide(uow, OPERATOR, delivered.artifact_ids["creatives"], Action.REVOKE)
    with app.uow() as uow, pytest.raises(JobCannotRun, match=r"creatives \(draft - must be approved\)"):
        exports.run_export_job(uow, delivered.engagement_id, "PDF", "system:job delivery.pdf")

    approve(app, delivered.artifact_ids["creatives"])  # a revoke makes no new version: nothing went stale
    with app.uow() as uow:
        exports.run_export_job(uow, delivered.engagement_id, "pptx", "system:job delivery.pptx")
        uow.commit()  # the job runner commits, not the export
    with app.uow() as uow:
        listed = exports.list_exports(uow, OPERATOR, delivered.engagement_id)
    assert [(e.format.value, e.created_by) for e in listed.data] == [("PPTX", "system:job delivery.pptx")]


def test_the_cli_refuses_in_one_line_then_writes_the_file(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    delivered = approved_delivery(app, load_brief("law_firm_services"), through=Module.EXECUTION)
    with app.uow() as uow:
        artifacts.decide(uow, OPERATOR, delivered.artifact_ids["execution"], Action.REVOKE)
    monkeypatch.setenv("AICMO_DATABASE_URL", app.settings.resolved_database_url)
    monkeypatch.setenv("AICMO_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    runner = CliRunner()
    out = tmp_path / "deliverables"
    try:
        refused = runner.invoke(
            cli, ["export", delivered.engagement_id, "--format", "pdf", "--out", str(out)]
        )
        assert refused.exit_code == 1
        assert refused.output.strip() == "Error: delivery refused: execution (draft - must be approved)"
        assert not out.exists()

        approve(app, delivered.artifact_ids["execution"])
        made = runner.invoke(cli, ["export", delivered.engagement_id, "--format", "PDF", "--out", str(out)])
        assert made.exit_code == 0, made.output
    finally:
        get_settings.cache_clear()
    [pdf] = out.glob("calder-finch-solicitors-report-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert made.output.startswith(f"wrote {pdf} (")
