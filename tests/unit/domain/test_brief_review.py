"""The LLM's review of a brief becomes warnings only, on real fields, without repeats (SPEC §3)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aicmo.domain.brief_review import MAX_REMARKS, REVIEW_CODE, remark_field, review_warnings
from aicmo.domain.errors import FieldIssue
from aicmo.domain.schemas.generation import ReviewRemark
from aicmo.domain.schemas.intake import Intake


def remark(
    field: str, message: str = "The ROAS target looks high for a A$6k monthly budget."
) -> ReviewRemark:
    return ReviewRemark(field=field, message=message)


def test_a_remark_keeps_a_real_field_and_falls_back_to_the_brief() -> None:
    assert remark_field("kpi_targets") == "kpi_targets"
    assert remark_field(" `budget_range` ") == "budget_range"
    assert remark_field("context.ecommerce.top_skus[0]") == "context.ecommerce.top_skus.0"
    assert remark_field("the budget") == ""
    assert remark_field("made_up_field") == ""


def test_remarks_become_warnings_without_repeats_placeholders_or_noise() -> None:
    known = [FieldIssue("kpi_targets", "KPI targets are empty", "missing_kpi")]
    remarks = [
        remark("kpi_targets", "KPI targets are empty"),  # the rules said it already
        remark("budget_range"),
        remark("budget_range"),  # the model repeated itself
        remark("tone_voice", "Use [insert tone] here."),  # a placeholder never reaches the operator
        remark("platforms", "ok"),  # says nothing
        remark("nonsense", "The brief never says who approves the content."),
    ]
    warnings = review_warnings(remarks, known)
    assert [(w.field, w.code) for w in warnings] == [("budget_range", REVIEW_CODE), ("", REVIEW_CODE)]


def test_at_most_a_handful_of_remarks_are_shown() -> None:
    remarks = [remark("budget_range", f"Remark number {i} about the budget range.") for i in range(20)]
    assert len(review_warnings(remarks)) == MAX_REMARKS


@given(st.lists(st.builds(ReviewRemark, field=st.text(max_size=40), message=st.text(max_size=400))))
def test_any_answer_gives_warnings_on_known_fields_only(remarks: list[ReviewRemark]) -> None:
    warnings = review_warnings(remarks)
    assert len(warnings) <= MAX_REMARKS
    for warning in warnings:
        assert warning.code == REVIEW_CODE
        assert warning.field == "" or warning.field.split(".")[0] in Intake.model_fields
        assert 8 <= len(warning.message) <= 300
