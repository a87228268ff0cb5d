"""Gates for sense, fit and coverage: each fires on a crafted bad input, names the field, and stays
quiet on real prose; compliance packs read the sector and the brief's constraints."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aicmo.domain.compliance import Sector, constraint_claims, rules_for
from aicmo.domain.modules import Module
from aicmo.domain.quality_sense import (
    coverage_findings,
    fit_findings,
    kpi_findings,
    prose_findings,
    word_salad,
)
from aicmo.domain.schemas.intake import Intake

BRIEFS = Path(__file__).resolve().parents[2] / "fixtures" / "briefs"


def brief(name: str) -> Intake:
    return Intake.model_validate(json.loads((BRIEFS / f"{name}.json").read_text()))


def test_word_salad_and_a_field_echoing_its_name_are_not_prose_and_real_sentences_are() -> None:
    assert word_salad("Harbor Smile Dental pains frequency consistent social service outcome metric reach")
    assert "field name" in word_salad("Executive summary", "executive_summary")
    assert word_salad("Pains frequency", "icp.summary")
    assert (
        word_salad(
            "For office workers close by, Lupita's Taqueria offers a fresh lunch ready in ten minutes."
        )
        == ""
    )
    assert word_salad("Prices are clear and stated upfront: mugs £24, plates £32, sets £110.") == ""
    found = prose_findings(
        ("executive_summary", "pillars.*.description"),
        {
            "executive_summary": "Synergy growth platform value engagement funnel metric velocity",
            "pillars": [{"description": "How the team works, step by step, for people who want to see it."}],
        },
    )
    assert [(code, field) for code, field, _ in found] == [("incoherent", "executive_summary")]


def test_a_call_to_action_that_does_not_fit_the_business_model_is_an_error_on_that_asset() -> None:
    clinic = brief("clinic_physio")
    data = {
        "posts": [
            {"text": "Back pain? Our team can help this week.", "cta": "Shop now"},
            {"text": "Same-week appointments in Fresno.", "cta": "Book an appointment"},
        ]
    }
    found = fit_findings(Module.EXECUTION, data, [], clinic)
    assert [(code, field) for code, field, _ in found] == [("cta_misfit", "posts.0.cta")]
    assert "an appointment-based service" in found[0][2]


def test_forbidden_claims_of_the_sector_and_of_the_constraints_are_errors_naming_the_field() -> None:
    fintech = brief("fintech_robo_advisor")
    rules = rules_for(fintech)
    assert rules.sectors == (Sector.FINANCIAL,) and rules.needs_review
    strings = [
        ("posts.0.text", "We fix the fear of losing money for first-time investors."),
        ("posts.1.text", "A safe way to start: your ISA, guaranteed."),
        ("posts.2.text", "Capital at risk. See how the fees work before you invest."),
    ]
    found = fit_findings(Module.EXECUTION, {}, strings, fintech)
    fields = [(code, field) for code, field, _ in found]
    assert ("forbidden_claim", "posts.0.text") in fields and ("forbidden_claim", "posts.1.text") in fields
    assert not [f for f in fields if f[1] == "posts.2.text"]
    assert [c.name for c in constraint_claims("No guarantees of outcomes; never claim 'pain-free' treatment")]
    assert constraint_claims("No patient stories or photos without written consent") == ()
    assert rules_for(brief("restaurant_no_website")).sectors == ()
    assert Sector.EMPLOYMENT in rules_for(brief("hiring_job_boards")).sectors


def test_the_disclosure_is_required_on_carousels_and_scripts_too() -> None:
    clinic = brief("clinic_physio")
    disclosure = clinic.required_disclaimers[0]
    data = {
        "carousels": [{"title": "T", "slides": ["a", "b", f"c\n\n{disclosure}"], "cta": "Book online"}],
        "video_scripts": [{"title": "V", "hook": "h", "beats": ["x", "y"], "cta": "Book online"}],
    }
    found = fit_findings(Module.CREATIVES, data, [], clinic)
    assert [(code, field) for code, field, _ in found] == [("disclaimer_missing", "video_scripts.0")]


def test_coverage_names_each_channel_and_the_weeks_with_no_posts() -> None:
    clinic = brief("clinic_physio")
    start = date(2027, 2, 1)
    end = start + timedelta(weeks=12, days=-1)
    tz = ZoneInfo("America/Los_Angeles")
    one_post = {
        "posts": [{"platform": "facebook", "scheduled_at": datetime(2027, 2, 2, 9, tzinfo=tz).isoformat()}]
    }
    found = coverage_findings(one_post, clinic, start, end)
    messages = {field: message for _, field, message in found}
    codes = [code for code, _, _ in found]
    assert codes.count("platform_missing") == 2 and codes.count("calendar_gap") == 1
    assert "weeks 3-4" in messages["posts"] or any("weeks 3-4" in m for _, _, m in found)
    every_week = {
        "posts": [
            {
                "platform": p,
                "scheduled_at": datetime.combine(
                    start + timedelta(weeks=w), datetime.min.time(), tz
                ).isoformat(),
            }
            for p in ("google_business", "facebook", "instagram")
            for w in range(12)
        ]
    }
    assert coverage_findings(every_week, clinic, start, end) == []


def test_kpis_need_numbers_and_the_briefs_own_targets() -> None:
    clinic = brief("clinic_physio")
    data = {"measurement": {"kpis": [{"name": "Bookings", "target": "more", "source": "benchmark"}]}}
    codes = [code for code, _, _ in kpi_findings(data, clinic)]
    assert codes == ["kpi_target_missing", "brief_targets_missing"]
