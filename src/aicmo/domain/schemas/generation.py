"""Requests of the generate endpoints and the brief validation endpoint."""

from __future__ import annotations

from typing import Any

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


class IntakeIssue(BaseModel):
    field: str
    message: str
    code: str


class IntakeValidation(BaseModel):
    ok: bool
    errors: list[IntakeIssue]
    warnings: list[IntakeIssue]
    intake: dict[str, Any] | None = None
