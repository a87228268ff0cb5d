"""Social-listening mentions (SPEC §7): read like performance data, sentiment computed offline when
the export has none, topics and sentiment over time from the rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aicmo.domain.listening import (
    label_of,
    parse_mentions_csv,
    score_text,
    summarise,
    terms,
    topic_weeks,
    topics,
    weekly,
)

FIXTURE = Path(__file__).parents[2] / "fixtures" / "listening" / "harbour_mentions.csv"


def test_the_fixture_keeps_good_rows_names_bad_ones_and_scores_missing_sentiment() -> None:
    parsed = parse_mentions_csv(FIXTURE.read_text(encoding="utf-8"))
    assert [e.as_dict() for e in parsed.errors] == [
        {"field": "row 8.text", "message": "text is empty", "code": "invalid"},
        {"field": "row 9.reach", "message": "'n/a' is not a number", "code": "invalid"},
    ]
    assert [m.source_row for m in parsed.mentions] == [2, 3, 4, 5, 6, 7, 10]
    assert parsed.columns == {
        "date": "Created At",
        "platform": "Source",
        "author": "Username",
        "text": "Mention",
        "reach": "Potential Reach",
        "sentiment": "Sentiment",
    }
    given_scores = {m.source_row: m.sentiment for m in parsed.mentions if not m.sentiment_computed}
    assert given_scores == {4: 1.0, 5: 0.6, 10: 0.0}
    computed = {m.source_row: label_of(m.sentiment) for m in parsed.mentions if m.sentiment_computed}
    assert computed == {2: "positive", 3: "negative", 6: "neutral", 7: "negative"}
    assert parsed.mentions[0].platform == "instagram" and parsed.mentions[1].platform == "x"
    assert parsed.mentions[2].reach is None  # an empty cell is no data, not zero


def test_summary_topics_and_weeks_come_from_the_rows() -> None:
    mentions = parse_mentions_csv(FIXTURE.read_text(encoding="utf-8")).mentions
    total = summarise(mentions)
    assert (total.mentions, total.reach, total.reach_rows) == (
        7,
        9650,
        6,
    )  # 1200 + 800 + 2100 + 150 + 400 + 5000
    assert (total.positive, total.neutral, total.negative, total.computed) == (3, 2, 2, 4)
    found = {t.term: t for t in topics(mentions)}
    assert found["physio"].source_rows == (2, 3, 4, 6, 10)  # once per mention, however often said
    assert found["knee"].source_rows == (2, 5)
    assert found["#physio"].mentions == 2
    assert "the" not in found and "harbour" in found
    weeks = weekly(mentions)
    assert list(weeks) == [date(2027, 3, 1), date(2027, 3, 8)]
    assert topic_weeks(mentions, ["knee", "booking"]) == {
        date(2027, 3, 1): {"knee": 2, "booking": 0},
        date(2027, 3, 8): {"knee": 0, "booking": 1},
    }


def test_offline_scores_read_plain_praise_and_complaints() -> None:
    assert score_text("Love it, best coffee in town!") > 0.5
    assert score_text("Order arrived cold and late. Not happy at all.") < -0.3
    assert label_of(score_text("Open on Saturday?")) == "neutral"
    assert terms("Loving the #OatLatte at @harbour https://x.co/a — the oat latte!") == {
        "#oatlatte",
        "loving",
        "oat",
        "latte",
    }


def test_a_file_without_a_text_column_says_what_it_found() -> None:
    parsed = parse_mentions_csv("date,platform,reach\n2027-01-04,x,5\n")
    assert parsed.mentions == []
    assert parsed.errors[0].message == "the CSV needs a text column (found: date, platform, reach)"


def test_one_percent_bad_rows_are_named_and_the_rest_kept() -> None:
    lines = ["date;network;content;reach"]
    bad = set(range(5, 1000, 100))
    for i in range(1000):
        lines.append(f"2027-04-{1 + i % 28:02d};instagram;post {i} about coffee;{'lots' if i in bad else i}")
    parsed = parse_mentions_csv("\n".join(lines))
    assert len(parsed.mentions) == 990
    assert [e.field for e in parsed.errors] == [f"row {i + 2}.reach" for i in sorted(bad)]


@settings(deadline=None, max_examples=150)
@given(st.text(max_size=300))
def test_any_text_parses_to_mentions_and_named_errors_without_crashing(text: str) -> None:
    parsed = parse_mentions_csv(text)
    assert all(e.field for e in parsed.errors)
    assert all(-1 <= m.sentiment <= 1 for m in parsed.mentions)
