"""A brief written with European number formats gives the same plan as the same brief with US
formats (issue 22): budgets, KPI targets and prices read the same, so the media plan, the KPIs and
the feasibility maths are the same."""

from __future__ import annotations

import json

import pytest
from tests.unit.generators.conftest import inputs_for, load_sample, run_chain

from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.strategy import Strategy

# (sample, US-written fields, the same fields written the European way)
PAIRS = [
    (
        "saas_hr_leads",
        {
            "budget_range": "$15,000 per month",
            "kpi_targets": "1,200 MQLs per quarter; cost per lead under $37.50",
            "aov_ltv": "LTV about $14,000",
        },
        {
            "budget_range": "$15.000 per month",
            "kpi_targets": "1.200 MQLs per quarter; cost per lead under $37,50",
            "aov_ltv": "LTV about $14.000",
        },
    ),
    (
        "hospital_hiring",
        {"budget_range": "€9,000 per month", "kpi_targets": "45 nurse hires by end of quarter"},
        {"budget_range": "9.000 € pro Monat", "kpi_targets": "45 nurse hires by end of quarter"},
    ),
    (
        "coffee_ecommerce",
        {
            "budget_range": "A$6,500.50 monthly",
            "kpi_targets": "ROAS 3.5x; 1,500 new subscribers per quarter",
            "aov_ltv": "AOV A$58.50",
        },
        {
            "budget_range": "A$6.500,50 monthly",
            "kpi_targets": "ROAS 3,5x; 1.500 new subscribers per quarter",
            "aov_ltv": "AOV A$58,50",
        },
    ),
    (
        "law_firm_services",
        {"budget_range": "£48,000 over the engagement", "kpi_targets": "35 consultations per month"},
        {"budget_range": "£48 000 over the engagement", "kpi_targets": "35 consultations per month"},
    ),
]


def _strategy(name: str, fields: dict[str, str]) -> Strategy:
    inputs = inputs_for({**load_sample(name), **fields})
    return run_chain(inputs, (Module.STRATEGY,))[Module.STRATEGY]  # type: ignore[return-value]


@pytest.mark.parametrize(("name", "us", "eu"), PAIRS, ids=[p[0] for p in PAIRS])
def test_european_and_us_number_formats_give_the_same_plan(name: str, us: dict, eu: dict) -> None:
    us_plan, eu_plan = _strategy(name, us), _strategy(name, eu)

    assert eu_plan.media_plan.split_by_platform_pct == us_plan.media_plan.split_by_platform_pct
    assert eu_plan.media_plan.phases == us_plan.media_plan.phases
    assert eu_plan.measurement.kpis == us_plan.measurement.kpis
    assert eu_plan.measurement.feasibility == us_plan.measurement.feasibility
    # the whole strategy is the same once the brief's own words (quoted back) are swapped
    eu_text = json.dumps(eu_plan.model_dump(), ensure_ascii=False)
    for field, written in eu.items():
        eu_text = eu_text.replace(written, us[field])
    assert json.loads(eu_text) == us_plan.model_dump()


def test_the_budget_is_read_in_thousands_not_as_a_decimal() -> None:
    plan = _strategy("saas_hr_leads", PAIRS[0][2])
    assert "$41.4K over 12 weeks" in plan.media_plan.budget_note  # 15,000 a month, not 15 dollars
