"""The compliance review (issue 15): a regulated brief's plan has a review job after the execution
plan; the review reads every asset against the brief's rules, its blocking findings are error
findings (never approved automatically) and an unapproved review holds the delivery."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.compliance_review import review
from aicmo.domain.delivery import approval_reasons
from aicmo.domain.plan import plan_jobs
from aicmo.domain.quality import check_quality
from aicmo.domain.schemas.compliance import ComplianceReview
from aicmo.domain.schemas.intake import Intake
from aicmo.services.generators import get_generator
from aicmo.services.generators.base import GenerationInputs
from aicmo.services.offline_content import offline_contents

BRIEFS = Path(__file__).resolve().parents[2] / "fixtures" / "briefs"


@cache
def _contents(name: str) -> dict[str, dict[str, Any]]:
    return offline_contents(json.loads((BRIEFS / f"{name}.json").read_text()), [Module.COMPLIANCE])


def contents(name: str) -> dict[str, dict[str, Any]]:
    return copy.deepcopy(_contents(name))


def intake(name: str) -> Intake:
    return Intake.model_validate(contents(name)["intake"])


def test_only_regulated_briefs_get_a_review_job_and_the_exports_wait_for_it() -> None:
    for name in ("fintech_robo_advisor", "clinic_physio", "hiring_job_boards"):
        jobs = {j.key: j for j in plan_jobs(intake(name))}
        assert "compliance.review" in jobs, name
        review_job = jobs["compliance.review"]
        assert {k for k in review_job.depends_on if k.startswith("execution.")}, name
        exports = [j for j in jobs.values() if j.kind == "export"]
        assert exports and all("compliance.review" in j.depends_on for j in exports), name
    for name in ("restaurant_no_website", "online_store", "gym_retention"):
        assert not [j.key for j in plan_jobs(intake(name)) if j.module is Module.COMPLIANCE], name


def test_the_offline_content_of_a_regulated_brief_passes_its_review() -> None:
    found = ComplianceReview.model_validate(contents("fintech_robo_advisor")["compliance"])
    assert found.blocking == [] and all(c.passed for c in found.checks)
    assert found.sectors == ["Financial services (financial promotions)"]
    assert "Northwind Invest" in found.verdict and found.assets_reviewed > 50
    assert found.reviewer_notes


def test_forbidden_claims_banned_words_and_missing_disclosures_block() -> None:
    c = contents("fintech_robo_advisor")
    disclosure = intake("fintech_robo_advisor").required_disclaimers[0]
    c["execution"]["posts"][0]["text"] = "We fix your fear of losing money. Guaranteed returns every year."
    c["creatives"]["carousels"][0]["slides"] = [
        s.replace(disclosure, "") for s in c["creatives"]["carousels"][0]["slides"]
    ]
    c["creatives"]["carousels"][0]["cta"] = c["creatives"]["carousels"][0]["cta"].replace(disclosure, "")
    c["creatives"]["video_scripts"][1]["beats"] = ["A risk-free start.", "Open an account today."]
    c["creatives"]["video_scripts"][1]["on_screen_text"] = []
    found = review(intake("fintech_robo_advisor"), c)
    blocking = {(f.asset, f.rule) for f in found.blocking}
    assert ("execution.posts.0", "forbidden claim (promise to remove the fear of loss)") in blocking
    assert ("execution.posts.0", "forbidden claim (promised returns)") in blocking
    assert ("execution.posts.0", "required disclosure missing") in blocking
    assert ("creatives.carousels.0", "required disclosure missing") in blocking
    assert ("creatives.video_scripts.1", "required disclosure missing") in blocking
    assert any(
        a == "creatives.video_scripts.1" and r.startswith("forbidden claim (risk-free)") for a, r in blocking
    )
    assert "not ready" in found.verdict and not found.checks[0].passed and not found.checks[1].passed
    post = next(f for f in found.blocking if f.rule == "forbidden claim (promised returns)")
    assert "Guaranteed returns" in post.excerpt and post.action


def test_a_clinics_never_say_list_and_pain_free_are_caught_in_scripts() -> None:
    c = contents("clinic_physio")
    c["execution"]["reel_scripts"][0]["hook"] = "Pain-free visits, every time."
    found = review(intake("clinic_physio"), c)
    rules = {f.rule for f in found.blocking if f.asset == "execution.reel_scripts.0"}
    assert "forbidden claim (pain-free)" in rules
    assert "banned word 'pain-free' (the brief's never-say list)" in rules


def test_blocking_findings_are_errors_so_autonomy_never_approves_the_review() -> None:
    c = contents("clinic_physio")
    inputs = GenerationInputs.for_intake(intake("clinic_physio"))
    clean = ComplianceReview.model_validate(c["compliance"])
    assert (
        check_quality(Module.COMPLIANCE, clean, inputs.intake, inputs.window_start, inputs.window_end) == []
    )
    c["creatives"]["video_scripts"][0]["hook"] = "A cure in three sessions, guaranteed."
    flagged = review(inputs.intake, c)
    errors = check_quality(Module.COMPLIANCE, flagged, inputs.intake, inputs.window_start, inputs.window_end)
    assert errors and {e.code for e in errors} == {"compliance_blocking"}
    assert all(e.severity == "error" for e in errors)
    assert any("creatives.video_scripts.0" in e.message for e in errors)


def test_an_unapproved_review_holds_the_delivery_and_no_review_holds_nothing() -> None:
    approved = {
        m: ArtifactStatus.APPROVED
        for m in (Module.INTAKE, Module.STRATEGY, Module.CREATIVES, Module.EXECUTION)
    }
    assert approval_reasons(approved) == []
    held = approval_reasons(approved | {Module.COMPLIANCE: ArtifactStatus.DRAFT})
    assert [r.subject for r in held] == ["compliance"]
    assert approval_reasons(approved | {Module.COMPLIANCE: ArtifactStatus.APPROVED}) == []


def test_advisory_points_do_not_block_and_name_what_to_check() -> None:
    c = contents("fintech_robo_advisor")
    c["execution"]["posts"][2]["text"] += " Last year the model portfolio returned 7.2% after fees."
    found = review(intake("fintech_robo_advisor"), c)
    assert found.blocking == []
    point = next(f for f in found.findings if f.asset == "execution.posts.2")
    assert point.severity == "advisory" and point.rule == "performance or rate figure"
    assert "7.2%" in point.excerpt


def test_the_markdown_shows_the_verdict_the_sheet_and_the_findings() -> None:
    c = contents("clinic_physio")
    c["execution"]["posts"][0]["text"] = "Pain-free physio. " + c["execution"]["posts"][0]["text"]
    generator = get_generator(Module.COMPLIANCE)
    markdown = generator.render_markdown(review(intake("clinic_physio"), c))
    assert "## Verdict" in markdown and "## Sign-off sheet" in markdown and "## Blocking findings" in markdown
    assert "execution.posts.0" in markdown and "FAIL" in markdown
