"""The optional LLM review of a brief (SPEC §3): extra warnings, strict JSON, never blocking.

The rules in `domain.intake_rules` catch what can be checked mechanically; a model can notice what
they cannot (KPI targets that do not fit the budget, an offer that contradicts the constraints).
Its remarks only ever become warnings, and when there is no LLM, or it fails, the review says so
and the validation answers as it would have without it.
"""

from __future__ import annotations

import logging

from aicmo.adapters.llm.base import GenerationTask, Provider
from aicmo.domain.brief_review import MAX_REMARKS, review_warnings
from aicmo.domain.errors import FieldIssue, ProviderFailed
from aicmo.domain.hashing import canonical_json
from aicmo.domain.schemas.generation import BriefReview, BriefReviewAnswer
from aicmo.domain.schemas.intake import Intake

log = logging.getLogger(__name__)
PROMPT_VERSION = "brief-review-v1"
SYSTEM = (
    "You are a senior agency strategist reviewing a client's marketing brief before any work "
    "starts. Point out what is inconsistent, unrealistic or missing for the stated objective: "
    "targets that do not fit the budget or the duration, an audience that does not match the "
    "offer, channels that do not reach that audience, constraints the offer breaks. Name the brief "
    "field each remark is about. Do not repeat the warnings already found. If the brief is sound, "
    "answer with no remarks. Answer only JSON matching the schema."
)


def review_brief(
    provider: Provider, intake: Intake, known: list[FieldIssue]
) -> tuple[list[FieldIssue], BriefReview]:
    """The review's warnings (new ones only) and how the review went. Never raises for the
    provider: a failure is reported in the `BriefReview`, the brief's validation stands."""
    if provider.id == "offline":
        return [], BriefReview(
            state="off",
            detail="The LLM review is off: no LLM provider is configured (AICMO_LLM_PROVIDER).",
        )
    try:
        result = provider.generate(review_task(intake, known))
    except ProviderFailed as exc:
        disabled = any(d.get("last_error_kind") == "disabled" for d in exc.details if isinstance(d, dict))
        log.warning("brief review: %s", exc.message)
        return [], BriefReview(
            state="off" if disabled else "failed",
            detail=("The LLM review is off: " if disabled else "The LLM review failed: ") + exc.message,
            provider=provider.id,
            model=provider.model,
        )
    warnings = review_warnings(result.output.remarks, known)
    detail = (
        f"{len(warnings)} remark(s) from the LLM review."
        if warnings
        else "The LLM review found nothing to add."
    )
    return warnings, BriefReview(
        state="done", detail=detail, provider=result.provider, model=result.model, remarks=len(warnings)
    )


def review_task(intake: Intake, known: list[FieldIssue]) -> GenerationTask[BriefReviewAnswer]:
    already = [{"field": i.field, "message": i.message} for i in known]
    prompt = (
        f"Review this brief; give at most {MAX_REMARKS} remarks.\n"
        f"Brief: {canonical_json(intake.model_dump(mode='json'))}\n"
        f"Warnings already found: {canonical_json(already)}"
    )
    return GenerationTask(
        module="intake",
        system=SYSTEM,
        prompt=prompt,
        output_type=BriefReviewAnswer,
        offline=BriefReviewAnswer,
        prompt_version=PROMPT_VERSION,
    )
