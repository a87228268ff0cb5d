"""Requests of the generate endpoints and the brief validation endpoint."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from aicmo.domain.schemas.common import Id, Strict, Version


class GenerateRequest(Strict):
    engagement_id: Id
    intake: dict[str, Any] | None = Field(
        default=None, description="The brief (intake module only); validated field by field."
    )
    expected_version: Version | None = Field(
        default=None, description="When regenerating: the version you looked at (409 if it moved on)."
    )
    auto_approve: bool = Field(
        default=False, description="Approve automatically when every quality gate passes (recorded as such)."
    )


class IntakeValidateRequest(Strict):
    intake: dict[str, Any]
    review: bool = Field(
        default=False,
        description="Also ask the configured LLM to review the brief: its remarks come back as "
        "warnings (code `llm_review`), never as errors. Off without an LLM provider.",
    )


class IntakeIssue(BaseModel):
    field: str
    message: str
    code: str


class BriefReview(BaseModel):
    """How the optional LLM review of a brief went (SPEC §3); it never blocks the brief."""

    state: Literal["off", "skipped", "done", "failed"] = Field(
        description="off: no LLM is configured; skipped: the brief has errors to fix first; "
        "done: its remarks are among the warnings; failed: the provider did not answer usably."
    )
    detail: str
    provider: str = ""
    model: str = ""
    remarks: int = 0


class IntakeValidation(BaseModel):
    ok: bool
    errors: list[IntakeIssue]
    warnings: list[IntakeIssue]
    intake: dict[str, Any] | None = None
    review: BriefReview | None = Field(default=None, description="Present when a review was asked for.")


class ReviewRemark(BaseModel):
    field: str = Field(description="The brief field the remark is about, e.g. `kpi_targets`.")
    message: str = Field(description="One sentence: what may be wrong and what to check.")


class BriefReviewAnswer(BaseModel):
    """What the LLM answers when it reviews a brief (strict JSON)."""

    remarks: list[ReviewRemark] = Field(default_factory=list, max_length=20)
