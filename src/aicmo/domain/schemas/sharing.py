"""Client review: signed share links, what the client sees through one, and the reviews they leave."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, ValidationInfo, field_validator

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.schemas.common import Id, ShortText, Strict, Version
from aicmo.domain.schemas.exports import ExportFormat

ReviewerName = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]


class ShareLinkCreate(Strict):
    expires_in_hours: int = Field(default=72, ge=1, le=720, description="1 hour to 30 days.")


class ShareLinkPublic(BaseModel):
    engagement_id: str
    url_path: str = Field(description="Path of the read-only client view; no API token needed.")
    token: str
    expires_at: datetime


class SharedArtifact(BaseModel):
    id: str
    type: Module
    title: str
    version: int
    status: ArtifactStatus
    approved_at: datetime | None
    content_markdown: str
    awaiting_approval: bool = Field(
        description="Draft, revised or flagged: approving changes its status. Approving approved work "
        "records the client's sign-off; requesting changes always sends it back to draft."
    )


class SharedExport(BaseModel):
    id: str
    format: ExportFormat
    filename: str
    bytes: int
    created_at: datetime
    download_path: str


class SharedDelivery(BaseModel):
    """The client's read-only view of one engagement through a share link."""

    client_name: str
    engagement_name: str
    period_start: date
    period_end: date
    link_expires_at: datetime
    artifacts: list[SharedArtifact]
    exports: list[SharedExport]


class ReviewDecision(StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"


class ShareReview(Strict):
    artifact_id: Id
    decision: ReviewDecision
    comment: ShortText = Field(default="", validate_default=True)
    reviewer_name: ReviewerName
    expected_version: Version | None = Field(
        default=None, description="The version the client looked at (409 if it has moved on)."
    )

    @field_validator("comment")
    @classmethod
    def _changes_need_a_comment(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("decision") is ReviewDecision.REQUEST_CHANGES and not value.strip():
            raise ValueError("say what should change when requesting changes")
        return value


class ClientReviewPublic(BaseModel):
    """A client's approval or change request, read back from the audit trail."""

    id: int
    at: datetime
    reviewer: str
    via: str = Field(description="'share link' or 'reviewer token'")
    artifact_id: str | None
    artifact_type: str | None
    version: int | None
    decision: ReviewDecision
    comment: str
    status_after: str | None
