"""Business models and playbooks: the model read from a brief, and each playbook's data is coherent."""

from __future__ import annotations

from typing import Any

import pytest
from tests.unit.domain.conftest import load_sample

from aicmo.domain.playbooks import (
    PLAYBOOKS,
    BusinessModel,
    FunnelStage,
    business_model,
    forbidden_ctas_in,
    playbook,
    stage_for_week,
)
from aicmo.domain.schemas.intake import Intake

BASE: dict[str, Any] = {
    "client_name": "Example Co",
    "website": "https://example.com",
    "geography": "Leeds, UK",
    "differentiators": "Open late",
    "pain_points": "No time",
    "desired_outcomes": "Less hassle",
    "tone_voice": "Warm",
}


def brief(**fields: Any) -> Intake:
    return Intake.model_validate({**BASE, **fields})


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            dict(
                industry="Restaurant",
                primary_offer="Weekday lunch combo",
                target_audience="Office workers nearby",
                objective="Sales",
                website="",
                no_website=True,
            ),
            BusinessModel.LOCAL_VENUE,
        ),
        (
            dict(
                industry="Financial services (robo-advisor)",
                primary_offer="A stocks and shares ISA from £50 a month",
                target_audience="First-time investors aged 25-40",
                objective="Sales",
            ),
            BusinessModel.CONSUMER_SIGNUP,
        ),
        (
            dict(
                industry="Dental clinic",
                primary_offer="Check-up and clean",
                target_audience="Families and homeowners in Leeds",
                objective="Leads",
            ),
            BusinessModel.APPOINTMENT_SERVICE,
        ),
        (
            dict(
                industry="Nonprofit",
                primary_offer="Saturday river clean-ups",
                target_audience="Families and students",
                objective="Awareness",
            ),
            BusinessModel.NONPROFIT,
        ),
        (
            dict(
                industry="B2B SaaS",
                primary_offer="HR software for mid-size companies",
                target_audience="HR directors at companies with 200-2,000 staff",
                objective="Leads",
            ),
            BusinessModel.B2B_SALES,
        ),
        (
            dict(
                industry="Handmade tableware",
                primary_offer="Stoneware mugs and plates",
                target_audience="Home cooks",
                objective="Sales",
                context={"ecommerce": {"top_skus": ["Tide mug"]}},
            ),
            BusinessModel.ONLINE_STORE,
        ),
        (
            dict(
                industry="Gym", primary_offer="Membership", target_audience="Members", objective="Retention"
            ),
            BusinessModel.RETENTION,
        ),
        (
            dict(
                industry="Dental clinic",
                primary_offer="Nurse jobs",
                target_audience="Nurses",
                objective="Hiring",
            ),
            BusinessModel.EMPLOYER,
        ),
        (
            dict(
                industry="Accounting software",
                primary_offer="Partner programme",
                target_audience="Bookkeeping firm owners",
                objective="Partnerships",
            ),
            BusinessModel.B2B_PARTNER,
        ),
        (
            dict(
                industry="Conference",
                primary_offer="Two-day summit, early-bird tickets",
                target_audience="Marketing directors",
                objective="Sales",
            ),
            BusinessModel.EVENTS,
        ),
        (
            dict(
                industry="Boutique hotel",
                primary_offer="Rooms with a sea view",
                target_audience="Couples",
                objective="Sales",
            ),
            BusinessModel.HOSPITALITY,
        ),
        (
            dict(
                industry="Home improvement",
                primary_offer="Loft conversions",
                target_audience="Homeowners in Leeds",
                objective="Leads",
                context={"services": {"service_areas": ["Leeds"], "booking_url": "https://example.com/b"}},
            ),
            BusinessModel.APPOINTMENT_SERVICE,
        ),
    ],
)
def test_business_model_is_read_from_the_whole_brief_when_objective_alone_is_ambiguous(
    fields: dict[str, Any], expected: BusinessModel
) -> None:
    assert business_model(brief(**fields)) is expected


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("coffee_ecommerce", BusinessModel.ONLINE_STORE),
        ("hospital_hiring", BusinessModel.EMPLOYER),
        ("law_firm_services", BusinessModel.APPOINTMENT_SERVICE),
        ("saas_hr_leads", BusinessModel.B2B_SALES),
    ],
)
def test_sample_briefs_get_the_model_a_strategist_would_pick(sample: str, expected: BusinessModel) -> None:
    assert business_model(Intake.model_validate(load_sample(sample))) is expected


@pytest.mark.parametrize("model", list(BusinessModel))
def test_every_model_has_a_complete_playbook_whose_own_ctas_are_never_forbidden(model: BusinessModel) -> None:
    book = playbook(model)
    assert book.model is model and book.conversion_action and book.budget_logic
    for stage in FunnelStage:
        assert len(book.ctas_for(stage)) >= 2
        assert book.ctas_for(stage.value) == book.ctas_for(stage)
    assert book.forbidden_ctas and book.kpis and book.channels and book.tactics
    assert all(k.measured_in and k.formula for k in book.kpis)
    assert 0 < book.benchmark.low < book.benchmark.high
    for cta in book.ctas:
        assert book.allows(cta), (model, cta)
        assert forbidden_ctas_in(cta, model) == []


def test_forbidden_ctas_match_whole_phrases_case_insensitively() -> None:
    clinic = BusinessModel.APPOINTMENT_SERVICE
    assert forbidden_ctas_in("Pain in your back? SHOP NOW for relief.", clinic) == ["SHOP NOW"]
    assert forbidden_ctas_in("Book a\ndemo today", BusinessModel.APPOINTMENT_SERVICE) == ["Book a\ndemo"]
    assert forbidden_ctas_in("Workshop nowadays", clinic) == []
    assert forbidden_ctas_in("Book a demo", BusinessModel.B2B_SALES) == []
    assert forbidden_ctas_in("Shop now", BusinessModel.ONLINE_STORE) == []


def test_the_wrong_calls_to_action_seen_in_review_are_forbidden_where_they_do_not_fit() -> None:
    assert "Shop now" in playbook(BusinessModel.APPOINTMENT_SERVICE).forbidden_ctas
    assert "Book a demo" in playbook(BusinessModel.APPOINTMENT_SERVICE).forbidden_ctas
    assert "Shop now" in playbook(BusinessModel.CONSUMER_SIGNUP).forbidden_ctas
    assert "Book a demo" in playbook(BusinessModel.LOCAL_VENUE).forbidden_ctas
    assert set(PLAYBOOKS) == set(BusinessModel)


def test_stages_run_early_to_late_across_the_window() -> None:
    stages = [stage_for_week(w, 12) for w in range(1, 13)]
    assert stages[0] is FunnelStage.DISCOVER and stages[-1] is FunnelStage.CONVERT
    assert FunnelStage.CONSIDER in stages
    assert stages == sorted(stages, key=list(FunnelStage).index)
    assert stage_for_week(1, 1) is FunnelStage.CONVERT
