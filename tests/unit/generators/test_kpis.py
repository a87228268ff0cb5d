"""The brief's targets are the primary KPIs: parsed into number, unit, period and splits; the
business model picks the primary one; budget ÷ target is checked against a benchmark range."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aicmo.domain.schemas.intake import Intake
from aicmo.services.generators._facts import facts_for
from aicmo.services.generators._kpis import feasibility, kpis_for, primary_reason
from aicmo.services.generators._numbers import parse_targets

BRIEFS = Path(__file__).resolve().parents[2] / "fixtures" / "briefs"


def facts(name: str):
    return facts_for(Intake.model_validate(json.loads((BRIEFS / f"{name}.json").read_text())))


def test_a_split_by_place_belongs_to_its_target_and_is_not_a_stray_kpi() -> None:
    for text in (
        "120 booked assessments: 70 Sacramento, 50 Fresno",
        "120 bookings (70 in Sacramento and 50 in Fresno)",
    ):
        (target,) = parse_targets(text)
        assert target.value == 120 and target.splits == (("Sacramento", 70.0), ("Fresno", 50.0))
        assert target.text == "120 (70 Sacramento, 50 Fresno)"


def test_impressions_stay_impressions_and_a_from_to_target_keeps_its_baseline() -> None:
    impressions, volunteers = parse_targets("500,000 impressions across platforms; 1,200 volunteer sign-ups")
    assert (impressions.metric, impressions.label, impressions.text) == (
        "impressions",
        "Impressions",
        "500,000",
    )
    assert volunteers.label == "Volunteer sign-ups"
    (covers,) = parse_targets("Weekday lunch covers from 60 to 110 per day")
    assert (covers.value, covers.baseline, covers.label) == (110, 60, "Weekday lunch covers")
    assert covers.text == "from 60 to 110 per day"
    churn, visits = parse_targets("Cut monthly churn from 6% to 4%; 2 visits per member per week")
    assert (churn.metric, churn.value, churn.baseline) == ("churn", 4, 6)
    assert visits.label == "Visits per member"
    (cost,) = parse_targets("cost per funded account under £90")
    assert (cost.label, cost.text, cost.is_count) == ("Cost per funded account", "≤ £90", False)


@pytest.mark.parametrize(
    ("brief", "name", "target"),
    [
        ("clinic_physio", "Booked assessments", "120 (70 Sacramento, 50 Fresno)"),
        ("nonprofit_volunteer_drive", "Impressions", "500,000"),
        ("restaurant_no_website", "Weekday lunch covers", "from 60 to 110 per day"),
        ("fintech_robo_advisor", "Funded ISA accounts", "2,000 by end of quarter"),
        ("hiring_job_boards", "Hires", "90 by end of quarter"),
        ("b2b_partner_programme", "Signed partners", "15 by end of quarter"),
        ("online_store", "Orders", "600 per month"),
        ("gym_retention", "Monthly churn", "from 6% to 4% per month"),
    ],
)
def test_the_primary_kpi_is_the_briefs_own_target_for_the_business_model(
    brief: str, name: str, target: str
) -> None:
    f = facts(brief)
    kpis = kpis_for(f)
    assert (kpis[0].kpi.name, kpis[0].kpi.target, kpis[0].kpi.source) == (name, target, "brief")
    assert not {"Fresno", "Sacramento"} & {k.kpi.name for k in kpis}
    assert all(k.kpi.source == "benchmark" for k in kpis if k.kpi.target.startswith(("≈", "baseline")))
    assert name.lower() in primary_reason(f).lower()


def test_an_unrealistic_budget_and_target_pairing_is_flagged_and_a_sound_one_is_not() -> None:
    fintech = feasibility(facts("fintech_robo_advisor"))
    assert fintech[0].startswith("Check: Funded ISA accounts") and "per funded account" in fintech[0]
    clinic = feasibility(facts("clinic_physio"))
    assert clinic and not any(line.startswith("Check:") for line in clinic)
    assert "within the usual range" in clinic[0]


def test_the_llm_prompt_carries_the_playbook_the_targets_the_compliance_pack_and_the_disclosure() -> None:
    from aicmo.domain.artifacts import Module
    from aicmo.services.generators import get_generator
    from aicmo.services.generators.base import GenerationInputs

    intake = facts("fintech_robo_advisor").intake
    system = get_generator(Module.EXECUTION).system_prompt(GenerationInputs.for_intake(intake))
    assert "the conversion action is an account opened and activated" in system
    assert "Never use these calls to action: Shop now" in system
    assert "Funded ISA accounts: 2,000 by end of quarter (brief)" in system
    assert "Feasibility: Check:" in system and "Financial services" in system
    assert "Capital at risk. The value of investments can go down as well as up." in system
    restaurant = get_generator(Module.EXECUTION).system_prompt(
        GenerationInputs.for_intake(facts("restaurant_no_website").intake)
    )
    assert "no website" in restaurant and "Regulated" not in restaurant
