"""Money and numbers as briefs write them (issue 22): one parser, read the way a person reads them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicmo.domain.intake_rules import validate_intake
from aicmo.domain.money import amounts, currency_code, money_amount, parse_budget, period_of

# text, money value, currency, period ('' = none). The examples first.
BUDGETS = [
    ("€15.000 per month", 15000, "€", "per month"),
    ("5.000 EUR", 5000, "€", ""),
    ("€5k per month through Q4", 5000, "€", "per month"),
    ("2026 intake: $199", 199, "$", ""),
    ("$20k per month", 20000, "$", "per month"),
    ("A$6k per month", 6000, "A$", "per month"),
    ("£4k per month", 4000, "£", "per month"),
    ("$1,234.50 a week", 1234.5, "$", "per week"),
    ("1.234,56 € pro Monat", 1234.56, "€", "per month"),
    ("15 000 € par mois", 15000, "€", "per month"),
    ("15\u202f000 € mensuel", 15000, "€", ""),
    ("CHF 1'200 p.m.", 1200, "CHF", "per month"),
    ("R$ 1.500,00 por mes", 1500, "R$", "per month"),
    ("₹1,50,000 monthly", 150000, "₹", "per month"),
    ("¥100,000 quarterly", 100000, "¥", "per quarter"),
    ("£2.5M per year", 2_500_000, "£", "per year"),
    ("$1.2bn", 1_200_000_000, "$", ""),
    ("€1,5k/mo", 1500, "€", "per month"),
    ("USD 12,000 per quarter", 12000, "$", "per quarter"),
    ("12.000 kr om måneden", 12000, "", ""),
    ("$20k–$30k a month", 25000, "$", "per month"),
    ("€10.000 - 15.000 per month", 12500, "€", "per month"),
    ("A$22-A$34 per bag", 28, "A$", ""),
    ("between €8k and €12k per month", 8000, "€", "per month"),
    ("£3,000 pcm for 12 weeks", 3000, "£", "per month"),
    ("5 million yen a year", 5_000_000, "", "per year"),
    ("NZ$ 2.5k weekly", 2500, "NZ$", "per week"),
    ("zł 4 000 miesięcznie", 4000, "zł", ""),
]


@pytest.mark.parametrize(("text", "value", "currency", "period"), BUDGETS)
def test_a_money_span_reads_as_a_person_reads_it(text: str, value: float, currency: str, period: str) -> None:
    amount = money_amount(text)
    assert amount is not None
    assert amount.value == pytest.approx(value)
    assert amount.currency == currency
    assert period_of(text) == period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ROAS 3.5x", [(3.5, "times")]),
        ("ROAS 3,5x", [(3.5, "times")]),
        ("conversion rate 2.5%", [(2.5, "percent")]),
        ("+15% month on month", [(15, "percent")]),
        ("Q4 push", []),
        ("the 2nd quarter", []),
        ("H1 2026", [(2026, "")]),
        ("200 MQLs per month; cost per lead under $90", [(200, ""), (90, "money")]),
        ("5 minutes", [(5, "")]),
        ("0.125 of sessions", [(0.125, "")]),
    ],
)
def test_metrics_percentages_and_codes_are_not_read_as_money(text: str, expected: list) -> None:
    found = [
        (a.value, "times" if a.times else "percent" if a.percent else "money" if a.currency else "")
        for a in amounts(text)
    ]
    assert [(pytest.approx(v), kind) for v, kind in expected] == found


def test_a_metric_or_a_percentage_alone_is_no_budget() -> None:
    assert money_amount("ROAS 3.5x") is None
    assert money_amount("10% of revenue") is None
    assert parse_budget("ROAS 4x", weeks=12) is None


def test_a_monthly_budget_is_not_averaged_with_the_quarter_it_runs_to() -> None:
    budget = parse_budget("€5k per month through Q4", weeks=12)
    assert budget is not None
    assert budget.monthly == pytest.approx(5000)
    assert budget.currency == "€"


def test_a_bare_budget_is_a_total_for_the_engagement() -> None:
    budget = parse_budget("€15.000", weeks=13)
    assert budget is not None
    assert budget.total == pytest.approx(15000)
    assert budget.monthly == pytest.approx(15000 / 13 * 4.345)


def test_a_priced_amount_wins_over_a_duration_written_before_it() -> None:
    budget = parse_budget("12 weeks at €2.000 per week", weeks=12)
    assert budget is not None
    assert budget.monthly == pytest.approx(2000 * 4.345)


@pytest.mark.parametrize(
    ("written", "region", "code"),
    [
        ("€", "", "EUR"),
        ("$", "", "USD"),
        ("$", "AU", "AUD"),
        ("$", "CA", "CAD"),
        ("A$", "US", "AUD"),
        ("CHF", "", "CHF"),
        ("zł", "", "PLN"),
    ],
)
def test_a_written_currency_has_one_iso_code(written: str, region: str, code: str) -> None:
    assert currency_code(written, region) == code


def _student_brief(pricing: str) -> dict:
    return {
        "client_name": "Study Hall",
        "website": "https://studyhall.example",
        "industry": "Tutoring",
        "geography": "Manchester, UK",
        "primary_offer": "Exam prep courses",
        "pricing": pricing,
        "differentiators": "Small groups",
        "target_audience": "Sixth-form students in Manchester",
        "pain_points": "Exam stress",
        "desired_outcomes": "Better grades",
        "objective": "Sales",
        "tone_voice": "Warm",
    }


@pytest.mark.parametrize(
    ("pricing", "warned"),
    [
        ("2026 intake: $199", False),
        ("£199 per term, 2027 cohort", False),
        ("€1.500 per course", True),
        ("£2k per year", True),
        ("from £49", False),
    ],
)
def test_high_ticket_warning_reads_prices_not_years(pricing: str, warned: bool) -> None:
    report = validate_intake(_student_brief(pricing))
    codes = {w.code for w in report.warnings}
    assert ("student_high_ticket" in codes) is warned


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=80))
def test_any_text_gives_amounts_never_an_exception(text: str) -> None:
    for amount in amounts(text):
        assert amount.value >= 0


@settings(deadline=None, max_examples=100)
@given(st.integers(min_value=1, max_value=999_999_999), st.sampled_from(["€", "$", "£", "A$"]))
def test_us_and_european_grouping_read_the_same(value: int, currency: str) -> None:
    us = f"{currency}{value:,}"
    eu = f"{currency}{value:,}".replace(",", ".")
    us_amount, eu_amount = money_amount(us), money_amount(eu)
    assert us_amount is not None and eu_amount is not None
    assert us_amount.value == eu_amount.value == value
