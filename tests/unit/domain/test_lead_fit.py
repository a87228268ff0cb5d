"""Scoring fits the client (issue 19): fit against the approved strategy's ICP, engagement from
opens, clicks, replies and recency, tiers with reasons; offline enrichment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aicmo.domain.leads import (
    ROLE_ACCOUNTS,
    LeadStatus,
    Seniority,
    Tier,
    company_domain_of,
    enrich,
    icp_from,
    is_role_account,
    parse_leads_csv,
    role_accounts,
    score_lead,
    seniority_of,
)

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
SOLAR_STRATEGY = {
    "icp": {
        "summary": "Homeowners in Bristol and Bath with south-facing roofs who want lower energy bills.",
        "segments": ["Families in detached houses", "Retirees on fixed incomes"],
    }
}
SOLAR_BRIEF = {"target_audience": "Homeowners", "geography": "Bristol, Bath and North Somerset, UK"}
SAAS_BRIEF = {"target_audience": "HR directors and people managers at mid-size companies", "geography": "UK"}


def test_a_homeowner_from_a_lead_form_is_a_good_lead_for_a_solar_installer() -> None:
    icp = icp_from(SOLAR_STRATEGY, SOLAR_BRIEF)
    assert icp.consumer
    lead = {
        "email": "jo.smith@comcast.net",
        "title": "Homeowner",
        "source": "Website quote form",
        "city": "Bristol",
        "phone": "+447700900123",
    }
    score = score_lead(lead, LeadStatus.NEW, icp, NOW)
    assert score.fit >= 50 and score.tier is Tier.WARM
    assert "+25 matches the ICP (homeowner, homeowners)" in score.reasons or any(
        r.startswith("+25 matches the ICP") for r in score.reasons
    )
    assert "0 personal e-mail (comcast.net): expected for a private buyer" in score.reasons
    assert not any("business" in r for r in score.reasons)
    engaged = score_lead(
        lead | {"clicks": 1, "replies": 1, "last_activity_at": NOW - timedelta(days=2)},
        LeadStatus.REPLIED,
        icp,
        NOW,
    )
    assert engaged.tier is Tier.HOT


@pytest.mark.parametrize("email", ["pat@comcast.net", "pat@gmail.com", "pat@yahoo.co.uk", "pat@web.de"])
def test_a_business_rule_never_rates_free_mail_or_isp_addresses_as_a_company(email: str) -> None:
    icp = icp_from(None, SAAS_BRIEF)
    assert not icp.consumer
    score = score_lead({"email": email, "company": ""}, LeadStatus.NEW, icp, NOW)
    assert not any("business e-mail" in r for r in score.reasons)
    assert enrich(email).company_domain == "" and enrich(email).free_mail
    assert score.tier is Tier.COLD


def test_a_senior_buyer_at_a_company_domain_fits_a_b2b_icp() -> None:
    icp = icp_from(None, SAAS_BRIEF)
    lead = {"email": "ana@mail.northwind.example", "title": "HR Director", "company": "Northwind"}
    score = score_lead(lead, LeadStatus.NEW, icp, NOW)
    assert "+10 business e-mail domain (northwind.example)" in score.reasons
    assert any(r.startswith("+15 senior title (HR Director: director)") for r in score.reasons)
    assert any(r.startswith("+20 matches the ICP") for r in score.reasons)
    assert score.tier is Tier.WARM


def test_engagement_counts_opens_clicks_replies_and_fades_without_activity() -> None:
    icp = icp_from(None, SAAS_BRIEF)
    base = {"email": "ana@northwind.example"}
    fresh = score_lead(
        base | {"opens": 2, "clicks": 1, "last_activity_at": NOW - timedelta(days=1)},
        LeadStatus.CONTACTED,
        icp,
        NOW,
    )
    assert {"+4 opened (2×)", "+5 clicked (1×)", "+5 reached CONTACTED"} <= set(fresh.reasons)
    stale = score_lead(
        base | {"opens": 2, "clicks": 1, "last_activity_at": NOW - timedelta(days=120)},
        LeadStatus.CONTACTED,
        icp,
        NOW,
    )
    assert stale.engagement < fresh.engagement
    assert any(r.startswith("-") and "no activity for 120 days" in r for r in stale.reasons)


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("CEO", Seniority.EXECUTIVE),
        ("Co-founder", Seniority.OWNER),
        ("VP Sales", Seniority.VP),
        ("Head of People", Seniority.DIRECTOR),
        ("Office manager", Seniority.MANAGER),
        ("Senior engineer", Seniority.SENIOR),
        ("Nurse", Seniority.STAFF),
        ("Homeowner", Seniority.STAFF),
        ("", Seniority.UNKNOWN),
    ],
)
def test_title_to_seniority(title: str, level: Seniority) -> None:
    assert seniority_of(title) is level


def test_role_accounts_and_company_domains() -> None:
    assert is_role_account("info@northwind.example") and is_role_account("Sales+uk@northwind.example")
    assert not is_role_account("ana@northwind.example")
    assert company_domain_of("ana@northwind.example") == "northwind.example"
    assert company_domain_of("ana@mailinator.com") == ""


def test_the_column_wise_role_test_agrees_with_the_one_address_one() -> None:
    addresses = [
        "info@northwind.example",
        "Sales+uk@northwind.example",
        "support2@a.example",
        "no-reply@a.example",
        "ana@northwind.example",
        "info.desk@a.example",
        "hr7+x@a.example",
        "@a.example",
        "",
        "ana",
    ]
    assert role_accounts(addresses) == [is_role_account(a) for a in addresses]
    assert not any(word[-1].isdigit() for word in ROLE_ACCOUNTS)  # what the column-wise test relies on


def test_an_import_with_one_percent_bad_rows_keeps_every_good_row_and_names_each_bad_one() -> None:
    lines = ["email,first_name,last_name,city,region,phone,consent,timezone"]
    bad = {}
    for n in range(1000):
        email, phone, consent, zone = f"p{n}@northwind.example", "", "yes", "Europe/London"
        if n % 100 == 7:
            kind = ("email", "phone", "consent", "timezone")[(n // 100) % 4]
            email = "not-an-address" if kind == "email" else email
            phone = "12" if kind == "phone" else phone
            consent = "maybe" if kind == "consent" else consent
            zone = "Mars/Olympus" if kind == "timezone" else zone
            bad[n + 2] = kind  # the header is row 1
        lines.append(f"{email},First{n},Last{n},Bristol,England,{phone},{consent},{zone}")
    parsed = parse_leads_csv("\n".join(lines), country="GB")
    assert len(parsed.rows) == 990 and parsed.rows_read == 1000
    assert {e.field for e in parsed.errors} == {f"row {row}.{field}" for row, field in bad.items()}
    kept = {r.email for r in parsed.rows}
    assert all(f"p{n}@northwind.example" in kept for n in range(1000) if n % 100 != 7)
    first = parsed.rows[0]
    assert (first.first_name, first.last_name, first.city, first.region, first.name) == (
        "First0",
        "Last0",
        "Bristol",
        "England",
        "First0 Last0",
    )


def test_a_column_mapping_reads_headers_the_aliases_do_not_know() -> None:
    text = "Kontakt-Mail,Given,Family,Ort,Bundesland\nana@northwind.example,Ana,Diaz,Köln,NRW\n"
    parsed = parse_leads_csv(
        text, mapping={"Kontakt-Mail": "email", "Given": "first_name", "Family": "last_name"}
    )
    assert parsed.errors == []
    row = parsed.rows[0]
    assert (row.email, row.first_name, row.last_name, row.city, row.region) == (
        "ana@northwind.example",
        "Ana",
        "Diaz",
        "Köln",
        "NRW",
    )
    with pytest.raises(ValueError, match="not a lead field"):
        parse_leads_csv(text, mapping={"Given": "nickname"})
