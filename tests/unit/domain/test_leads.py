"""Lead statuses move only along legal transitions; CSV rows are validated and deduped; scores
explain themselves (SPEC §7)."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aicmo.domain.leads import (
    MOVES,
    PIPELINE,
    LeadStatus,
    audience_terms,
    can_move,
    move_problem,
    parse_leads_csv,
    parse_status,
    score_lead,
)

S = LeadStatus


@pytest.mark.parametrize(
    ("label", "status"),
    [("ENGAGED", S.REPLIED), ("responded", S.REPLIED), ("Won", S.ROUTED), ("manual review", S.MANUAL_REVIEW)],
)
def test_legacy_and_loose_labels_map_to_a_status(label: str, status: LeadStatus) -> None:
    assert parse_status(label) is status


def test_an_unknown_label_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="unknown lead status 'HOT'; use one of NEW, ENRICHED"):
        parse_status("HOT")


def test_the_happy_path_is_legal_step_by_step_and_routed_is_closed() -> None:
    for current, target in itertools.pairwise(PIPELINE):
        assert can_move(current, target), (current, target)
    assert MOVES[S.ROUTED] == frozenset()
    assert move_problem(S.NEW, S.QUALIFIED) == (
        "a NEW lead can move to CONTACTED, ENRICHED, LOST, MANUAL_REVIEW, not QUALIFIED"
    )
    assert move_problem(S.ROUTED, S.LOST) == "a ROUTED lead can move to nothing (it is closed), not LOST"


@given(st.lists(st.sampled_from(list(LeadStatus)), max_size=30))
def test_any_sequence_of_requests_only_ever_takes_legal_moves(requests: list[LeadStatus]) -> None:
    """A lead driven by arbitrary requests: every accepted move is in MOVES, every refused one
    says why, and a lead never skips ahead in the pipeline without passing MANUAL_REVIEW."""
    current = S.NEW
    for target in requests:
        problem = move_problem(current, target)
        if problem:
            assert target not in MOVES[current] and problem
            continue
        if current in PIPELINE and target in PIPELINE:
            assert PIPELINE.index(target) > PIPELINE.index(current)
            assert PIPELINE.index(target) - PIPELINE.index(current) <= 2  # NEW may skip enrichment
        current = target


CSV = """Full Name,E-mail,Organisation,Job Title,Lead Source,Consent
Ada Byrne,ADA@northwind.example ,Northwind,Head of People,Referral,yes
Bo Chan,bo@gmail.com,,Recruiter,LinkedIn,no
not a row,not-an-email,,,,
Ada again,ada@northwind.example,Northwind,,,yes
Cy Dee,cy@acme.example,Acme,VP Talent,Webinar,maybe
"""


def test_a_csv_maps_its_headers_skips_bad_rows_and_dedupes_by_email() -> None:
    parsed = parse_leads_csv(CSV)
    assert [(r.email, r.name, r.company, r.title, r.consent) for r in parsed.rows] == [
        ("ada@northwind.example", "Ada Byrne", "Northwind", "Head of People", True),
        ("bo@gmail.com", "Bo Chan", "", "Recruiter", False),
    ]
    assert parsed.duplicates == 1
    assert [(e.field, e.code) for e in parsed.errors] == [
        ("row 4.email", "invalid"),
        ("row 6.consent", "invalid"),
    ]


def test_a_csv_without_an_email_column_says_what_it_found() -> None:
    parsed = parse_leads_csv("name,company\nAda,Northwind\n")
    assert (
        parsed.rows == []
        and parsed.errors[0].message == "the CSV needs an email column (found: name, company)"
    )


@given(st.text(max_size=400))
def test_any_text_parses_without_raising(text: str) -> None:
    parsed = parse_leads_csv(text)
    assert len({r.email for r in parsed.rows}) == len(parsed.rows)


def test_a_score_is_fit_plus_engagement_with_a_reason_for_every_point() -> None:
    lead = {
        "email": "ada@northwind.example",
        "title": "Head of People",
        "company": "Northwind",
        "source": "Referral",
        "notes": "runs hiring for 40 nurses",
    }
    score = score_lead(lead, S.REPLIED, audience_terms("Nurses and care staff in Dublin hospitals"))
    assert (score.fit, score.engagement, score.total) == (50, 25, 75)
    assert sum(int(re.match(r"\+(\d+)", r).group(1)) for r in score.reasons if r.startswith("+")) == 75
    assert score.tier == "HOT"
    cold = score_lead({"email": "bo@gmail.com"}, S.NEW)
    assert (cold.total, cold.reasons) == (0, ("0 free e-mail domain (gmail.com), not a company's",))
    assert score_lead(lead, S.LOST).engagement == 0


def test_quoted_fields_keep_their_commas_and_line_breaks() -> None:
    parsed = parse_leads_csv(
        '\ufeffemail,notes\r\nada@northwind.example,"Met at the fair, Dublin\nwants a demo"\r\n'
    )
    assert [(r.email, r.notes) for r in parsed.rows] == [
        ("ada@northwind.example", "Met at the fair, Dublin\nwants a demo")
    ]
