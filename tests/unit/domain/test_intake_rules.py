"""validate_intake: structural errors with dotted paths, judgement rules, and never an exception."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicmo.domain.intake_rules import (
    IntakeReport,
    default_platforms,
    industry_kind,
    normalise_intake,
    validate_intake,
)
from aicmo.domain.schemas.intake import Intake, Objective, Platform


def fields(issues: list[Any]) -> dict[str, Any]:
    return {issue.field: issue for issue in issues}


# ---- samples -------------------------------------------------------------------------------------
def test_samples_pass_with_no_errors_when_validated(sample_raw: dict[str, Any]) -> None:
    report = validate_intake(sample_raw)
    assert report.ok, report.errors
    assert isinstance(report.intake, Intake)
    assert report.model_dump()["ok"] is True


# ---- structure -----------------------------------------------------------------------------------
def test_missing_required_field_is_named_when_absent(saas_raw: dict[str, Any]) -> None:
    del saas_raw["client_name"]
    report = validate_intake(saas_raw)
    assert not report.ok
    assert fields(report.errors)["client_name"].message == "client_name is required"
    assert fields(report.errors)["client_name"].code == "missing"


def test_blank_required_field_reads_as_required_when_only_spaces(saas_raw: dict[str, Any]) -> None:
    saas_raw["industry"] = "   "
    assert fields(validate_intake(saas_raw).errors)["industry"].message == "industry is required"


def test_unknown_field_is_reported_when_extra_key_given(saas_raw: dict[str, Any]) -> None:
    saas_raw["foo"] = 1
    saas_raw["context"] = {"hiring": {"evp": "x", "zzz": 2}}
    issues = fields(validate_intake(saas_raw).errors)
    assert issues["foo"].message == "unknown field 'foo'"
    assert issues["context.hiring.zzz"].message == "unknown field 'zzz'"


def test_malformed_url_and_email_are_named_when_invalid(saas_raw: dict[str, Any]) -> None:
    saas_raw["website"] = "not a url"
    saas_raw["contact_email"] = "growth@"
    saas_raw["context"] = {"services": {"booking_url": "ftp://x.example"}}
    issues = fields(validate_intake(saas_raw).errors)
    assert issues["website"].message.startswith("website: not a valid URL")
    assert issues["contact_email"].message == "contact_email: not a valid e-mail address"
    assert issues["context.services.booking_url"].code == "invalid_url"


def test_list_item_path_is_dotted_when_platform_unknown(saas_raw: dict[str, Any]) -> None:
    saas_raw["platforms"] = ["linkedin", "email", "myspace"]
    issue = fields(validate_intake(saas_raw).errors)["platforms.2"]
    assert "'myspace' is not allowed" in issue.message


def test_nested_type_error_is_dotted_when_evp_not_text(hiring_raw: dict[str, Any]) -> None:
    hiring_raw["context"]["hiring"]["role_types"] = "Staff nurse"
    assert "context.hiring.role_types" in fields(validate_intake(hiring_raw).errors)


@pytest.mark.parametrize("weeks", [0, 53, -4])
def test_duration_out_of_range_is_an_error_when_outside_1_to_52(saas_raw: dict[str, Any], weeks: int) -> None:
    saas_raw["duration_weeks"] = weeks
    issue = fields(validate_intake(saas_raw).errors)["duration_weeks"]
    assert issue.code == "out_of_range"
    assert "between 1 and 52" in issue.message


def test_website_is_required_unless_flagged_when_empty(saas_raw: dict[str, Any]) -> None:
    saas_raw["website"] = ""
    assert "website" in fields(validate_intake(saas_raw).errors)
    saas_raw["no_website"] = True
    assert validate_intake(saas_raw).ok


@pytest.mark.parametrize("zone", ["America", "Mars/Base", "x" * 300, "../etc"])
def test_bad_timezone_is_an_error_not_a_crash_when_name_is_odd(saas_raw: dict[str, Any], zone: str) -> None:
    saas_raw["timezone"] = zone
    issue = fields(validate_intake(saas_raw).errors)["timezone"]
    assert issue.code == "invalid_timezone"
    assert len(issue.message) < 200


# ---- judgement rules -----------------------------------------------------------------------------
@pytest.mark.parametrize("audience", ["", "everyone", "Anyone"])
def test_leads_objective_needs_an_audience_when_vague_or_missing(
    saas_raw: dict[str, Any], audience: str
) -> None:
    saas_raw["target_audience"] = audience
    issue = fields(validate_intake(saas_raw).errors)["target_audience"]
    assert issue.code == "leads_without_audience"


def test_vague_audience_is_fine_when_objective_is_not_leads(saas_raw: dict[str, Any]) -> None:
    saas_raw["target_audience"] = "everyone"
    saas_raw["objective"] = "Awareness"
    assert validate_intake(saas_raw).ok


def test_hiring_objective_needs_evp_when_context_missing(hiring_raw: dict[str, Any]) -> None:
    del hiring_raw["context"]
    report = validate_intake(hiring_raw)
    assert fields(report.errors)["context.hiring.evp"].code == "hiring_without_evp"
    assert report.intake is None


def test_hiring_objective_needs_evp_when_evp_blank(hiring_raw: dict[str, Any]) -> None:
    hiring_raw["context"]["hiring"]["evp"] = " "
    assert "context.hiring.evp" in fields(validate_intake(hiring_raw).errors)


def test_student_audience_with_high_ticket_pricing_warns(saas_raw: dict[str, Any]) -> None:
    saas_raw["target_audience"] = "University students preparing for interviews"
    saas_raw["pricing"] = "$1,200 per course"
    warning = fields(validate_intake(saas_raw).warnings)["pricing"]
    assert warning.code == "student_high_ticket"


def test_student_audience_with_low_pricing_is_quiet(saas_raw: dict[str, Any]) -> None:
    saas_raw["target_audience"] = "University students preparing for interviews"
    saas_raw["pricing"] = "$9 per month"
    assert "pricing" not in fields(validate_intake(saas_raw).warnings)


def test_banned_word_in_offer_warns_when_brief_uses_it(saas_raw: dict[str, Any]) -> None:
    saas_raw["differentiators"] = "World-class templates; leverage Slack"
    warning = fields(validate_intake(saas_raw).warnings)["differentiators"]
    assert warning.code == "banned_word_in_brief"
    assert "'leverage'" in warning.message and "'world-class'" in warning.message
    assert validate_intake(saas_raw).ok  # a warning never blocks


def test_banned_word_inside_disclaimer_is_a_conflict_error(saas_raw: dict[str, Any]) -> None:
    saas_raw["required_disclaimers"] = ["We leverage partners."]
    assert fields(validate_intake(saas_raw).errors)["required_disclaimers.0"].code == "conflict"


def test_missing_kpis_warns_when_empty(saas_raw: dict[str, Any]) -> None:
    saas_raw["kpi_targets"] = ""
    assert fields(validate_intake(saas_raw).warnings)["kpi_targets"].code == "missing_kpis"


def test_no_platforms_warns_and_names_defaults(saas_raw: dict[str, Any]) -> None:
    saas_raw["platforms"] = []
    warning = fields(validate_intake(saas_raw).warnings)["platforms"]
    assert warning.code == "defaults_used"
    assert "linkedin" in warning.message


def test_ecommerce_without_context_warns(saas_raw: dict[str, Any]) -> None:
    saas_raw["industry"] = "E-commerce"
    assert fields(validate_intake(saas_raw).warnings)["context.ecommerce"].code == "missing_context"


def test_placeholder_in_brief_warns(saas_raw: dict[str, Any]) -> None:
    saas_raw["pricing"] = "TBD"
    assert fields(validate_intake(saas_raw).warnings)["pricing"].code == "placeholder"


def test_past_start_date_warns_only_when_today_given(saas_raw: dict[str, Any]) -> None:
    assert "start_date" not in fields(validate_intake(saas_raw).warnings)
    report = validate_intake(saas_raw, today=date(2030, 1, 1))
    assert fields(report.warnings)["start_date"].code == "past_start"


def test_issues_serialise_as_field_message_code(saas_raw: dict[str, Any]) -> None:
    del saas_raw["tone_voice"]
    dumped = validate_intake(saas_raw).model_dump(mode="json")
    assert {"field": "tone_voice", "message": "tone_voice is required", "code": "missing"} in dumped["errors"]


# ---- defaults ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("industry", "objective", "expected_first"),
    [
        ("Technology", Objective.LEADS, Platform.LINKEDIN),
        ("E-commerce", Objective.SALES, Platform.INSTAGRAM),
        ("Legal Services", Objective.LEADS, Platform.GOOGLE_BUSINESS),
        ("Healthcare", Objective.HIRING, Platform.LINKEDIN),
        ("Fashion retail", Objective.RETENTION, Platform.EMAIL),
        ("B2B software", Objective.PARTNERSHIPS, Platform.LINKEDIN),
    ],
)
def test_default_platforms_follow_industry_and_objective(
    saas_raw: dict[str, Any], industry: str, objective: Objective, expected_first: Platform
) -> None:
    saas_raw.update(industry=industry, objective=objective.value, platforms=[])
    if objective is Objective.HIRING:
        saas_raw["context"] = {"hiring": {"evp": "Flexible hours"}}
    intake = Intake.model_validate(saas_raw)
    platforms = default_platforms(intake)
    assert platforms[0] is expected_first
    assert 2 <= len(platforms) <= 4
    assert len(set(platforms)) == len(platforms)


def test_industry_kind_is_general_when_unknown() -> None:
    assert industry_kind("Underwater basket weaving") == "general"
    assert industry_kind("SaaS") == "b2b"


def test_normalise_applies_platforms_and_leaves_start_date(saas_raw: dict[str, Any]) -> None:
    saas_raw.update(platforms=[], start_date=None)
    intake = Intake.model_validate(saas_raw)
    normalised = normalise_intake(intake)
    assert normalised.platforms == default_platforms(intake)
    assert normalised.start_date is None
    assert normalise_intake(normalised) == normalised
    assert intake.platforms == []  # the input is not mutated


# ---- never raises --------------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
HOSPITAL = json.loads(
    next(
        p / "hospital_hiring.json"
        for p in (
            Path(__file__).resolve().parents[2] / "fixtures" / "intakes",
            Path(__file__).resolve().parents[4] / "shared" / "samples" / "intakes",
        )
        if (p / "hospital_hiring.json").is_file()
    ).read_text(encoding="utf-8")
)
SAMPLE_KEYS = [
    "client_name",
    "website",
    "industry",
    "timezone",
    "contact_email",
    "objective",
    "duration_weeks",
    "platforms",
    "context",
    "banned_words",
    "required_disclaimers",
    "pricing",
    "target_audience",
    "start_date",
    "social_handles",
    "brand_colors",
    "languages",
    "required_outputs",
]


@settings(deadline=None, max_examples=150)
@given(json_values)
def test_any_json_value_gives_a_report_never_an_exception(value: Any) -> None:
    report = validate_intake(value)
    assert isinstance(report, IntakeReport)
    assert report.ok == (report.intake is not None and not report.errors)


@settings(deadline=None, max_examples=200)
@given(key=st.sampled_from(SAMPLE_KEYS), junk=json_values)
def test_junk_in_one_field_is_reported_under_that_field(key: str, junk: Any) -> None:
    raw = copy.deepcopy(HOSPITAL)
    raw[key] = junk
    report = validate_intake(raw)
    assert report.ok == (report.intake is not None and not report.errors)
    for issue in report.errors:
        assert isinstance(issue.field, str) and issue.message


@settings(deadline=None, max_examples=30)
@given(st.text(min_size=5_000, max_size=20_000))
def test_huge_strings_are_reported_not_crashed_on(text: str) -> None:
    report = validate_intake({"client_name": text, "primary_offer": text, "timezone": text})
    assert not report.ok
    assert all(len(issue.message) < 400 for issue in report.errors)
