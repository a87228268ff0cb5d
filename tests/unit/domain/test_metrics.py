"""Performance data: numbers as exports write them, bad rows named, KPIs computed exactly, and
missing data reported as no data (None), never as zero."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicmo.domain.metrics import (
    by_platform,
    kpis,
    map_columns,
    parse_amount,
    parse_count,
    parse_day,
    parse_metrics_csv,
    parse_sentiment,
    weekly,
)

FIXTURE = Path(__file__).parents[2] / "fixtures" / "metrics" / "harbour_march.csv"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", 1234.0),
        ("1,234", 1234.0),
        ("1.234", 1234.0),  # a European thousands separator
        ("1 234", 1234.0),
        ("1\u00a0234", 1234.0),
        ("1,234,567", 1234567.0),
        ("1.234.567", 1234567.0),
        ("12.5", 12.5),
        ("12,5", 12.5),  # a European decimal comma
        ("1,234.56", 1234.56),
        ("1.234,56", 1234.56),
        ("12k", 12000.0),
        ("1.2M", 1200000.0),
        ("£2.5k", 2500.0),
        ("$99.90", 99.9),
        ("€1.500,50", 1500.5),
        ("EUR 1.500,50", 1500.5),
        ("1,500 USD", 1500.0),
        ("0", 0.0),
    ],
)
def test_amounts_read_as_a_person_writes_them(text: str, expected: float) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["", "-5", "n/a", "not available", "1e3", "12%", "--"])
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_counts_are_whole_numbers() -> None:
    assert parse_count("12,000") == 12000
    with pytest.raises(ValueError, match="whole"):
        parse_count("12.5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03-01", date(2027, 3, 1)),
        ("2027-03-01T18:30:00Z", date(2027, 3, 1)),
        ("2027/03/01", date(2027, 3, 1)),
        ("01/03/2027", date(2027, 3, 1)),  # day first, as outside the US
        ("01.03.2027", date(2027, 3, 1)),
        ("Mar 01, 2027", date(2027, 3, 1)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert parse_day(text) == expected


def test_sentiment_from_labels_and_numbers() -> None:
    assert [parse_sentiment(t) for t in ("Positive", "neutral", "NEGATIVE", "0.25")] == [1.0, 0.0, -1.0, 0.25]
    with pytest.raises(ValueError):
        parse_sentiment("2")


def test_export_headers_map_to_our_columns_and_a_mapping_wins() -> None:
    headers = ["Reporting starts", "Network", "Permalink", "Amount spent (EUR)", "Accounts reached", "Views"]
    assert map_columns(headers) == {
        "date": "Reporting starts",
        "platform": "Network",
        "post": "Permalink",
        "spend": "Amount spent (EUR)",
        "reach": "Accounts reached",
        "impressions": "Views",
    }
    assert map_columns(
        ["When", "Where", "Hits"], {"date": "When", "platform": "Where", "impressions": "Hits"}
    ) == {
        "date": "When",
        "platform": "Where",
        "impressions": "Hits",
    }


def test_the_fixture_matches_hand_computed_kpis_exactly() -> None:
    parsed = parse_metrics_csv(FIXTURE.read_text(encoding="utf-8"))
    assert [e.as_dict() for e in parsed.errors] == [
        {"field": "row 7.impressions", "message": "'not available' is not a number", "code": "invalid"}
    ]
    assert [r.source_row for r in parsed.rows] == [2, 3, 4, 5, 6]
    total = kpis(parsed.rows)
    assert (total.impressions.value, total.impressions.rows) == (37500, 5)
    assert (total.reach.value, total.reach.rows) == (23500, 3)
    assert (total.engagements.value, total.clicks.value, total.conversions.value) == (1570, 575, 16)
    assert (total.spend.value, total.spend.rows) == (250, 3)
    assert total.engagement_rate.value == 1570 / 35000 and total.engagement_rate.rows == 4
    assert total.ctr.value == 575 / 27500
    assert total.conversion_rate.value == 16 / 575
    assert total.cost_per_result.value == 250 / 11 and total.cost_per_result.rows == 3
    assert total.sentiment.value == 0.5 and total.sentiment.rows == 2
    # no revenue column: no data, not zero
    assert (total.revenue.value, total.roas.value, total.roas.rows) == (None, None, 0)

    platforms = by_platform(parsed.rows)
    assert list(platforms) == ["facebook", "google_business", "instagram"]
    assert platforms["instagram"].impressions.value == 30000
    assert platforms["google_business"].engagement_rate.value is None  # no engagements in that row
    weeks = weekly(parsed.rows)
    assert {w.isoformat(): k.rows for w, k in weeks.items()} == {"2027-03-01": 3, "2027-03-08": 2}


def test_one_percent_bad_rows_keeps_every_good_row_and_names_each_bad_one() -> None:
    lines = ["date;platform;impressions;clicks"]
    bad = set(range(7, 1000, 100))  # 10 of 1,000
    for i in range(1000):
        lines.append(f"2027-04-{1 + i % 28:02d};linkedin;{'lots' if i in bad else 1000 + i};{i % 50}")
    parsed = parse_metrics_csv("\n".join(lines))
    assert len(parsed.rows) == 990
    assert [e.field for e in parsed.errors] == [f"row {i + 2}.impressions" for i in sorted(bad)]


def test_a_file_without_a_date_column_says_what_it_found() -> None:
    parsed = parse_metrics_csv("platform,impressions\ninstagram,5\n")
    assert parsed.rows == []
    assert parsed.errors[0].message == "the CSV needs a date column (found: platform, impressions)"


def test_reach_above_impressions_is_refused() -> None:
    parsed = parse_metrics_csv("date,platform,impressions,reach\n2027-01-04,x,10,20\n")
    assert [e.field for e in parsed.errors] == ["row 2.reach"]


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=400))
def test_any_text_parses_to_rows_and_named_errors_without_crashing(text: str) -> None:
    parsed = parse_metrics_csv(text)
    assert all(e.field for e in parsed.errors)
    for row in parsed.rows:
        assert all(v is None or v >= 0 for v in (row.impressions, row.clicks, row.spend))
