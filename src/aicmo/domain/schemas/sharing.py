"""Client review: signed share links, what the client sees through one, and the reviews they leave."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, ValidationInfo, field_validator

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.schemas.common import Id, ShortText, Strict, Version
from aicmo.domain.schemas.exports import ExportFormat
from aicmo.domain.schemas.intake import Platform

ReviewerName = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]


class ShareLinkCreate(Strict):
    expires_in_hours: int = Field(default=72, ge=1, le=720, description="1 hour to 30 days.")
    review_due: date | None = Field(
        default=None,
        description="The day the client's review is due; a review still pending after it is listed "
        "as overdue for the operator.",
    )


class ShareLinkPublic(BaseModel):
    engagement_id: str
    link_id: str = ""
    url: str = Field(
        default="",
        description="The link to give the client: the review page (HTML, no login), absolute when "
        "AICMO_PUBLIC_URL is set or the request's own address otherwise.",
    )
    url_path: str = Field(description="Path of the read-only JSON view; no API token needed.")
    token: str
    expires_at: datetime
    review_due: date | None = None


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
    REJECT = "reject"


class ShareLinkRevoked(BaseModel):
    engagement_id: str
    link_id: str
    revoked_at: datetime


class ShareReview(Strict):
    artifact_id: Id
    decision: ReviewDecision
    comment: ShortText = Field(default="", validate_default=True)
    reviewer_name: ReviewerName
    expected_version: Version = Field(
        description="The version the client looked at (409 if it has moved on): required, so nobody "
        "approves or rejects a version they never saw."
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
    current_version: int | None = Field(default=None, description="The artifact's version now.")
    superseded: bool = Field(
        default=False,
        description="The artifact changed since: this decision was about an older version (an "
        "approval of it no longer counts).",
    )


# ---- the client's review page -------------------------------------------------------------------
class ClientDecisionPublic(BaseModel):
    """One client decision on one version of one artifact."""

    decision: ReviewDecision
    reviewer: str
    at: datetime
    version: int
    comment: str


class DiffLine(BaseModel):
    """A line of "what changed since you reviewed": kept, added, removed, or a gap of kept lines."""

    op: Literal["same", "add", "del", "gap"]
    text: str = ""


class SharedPost(BaseModel):
    """A post as the client previews it, with its caption length against the platform's limit."""

    id: str
    platform: Platform
    scheduled_at: datetime
    text: str
    hashtags: list[str]
    format: str
    pillar: str
    cta: str
    image_prompt: str = ""
    characters: int
    limit: int
    unit: str = "characters"
    week: int = Field(default=1, description="Week of the campaign window, from 1.")


class ReviewItem(BaseModel):
    """One deliverable on the review page, with the client's standing on its current version."""

    artifact: SharedArtifact
    decision: ClientDecisionPublic | None = Field(
        default=None, description="The client's latest decision on this exact version, if any."
    )
    previous_round: list[ClientDecisionPublic] = Field(
        default_factory=list, description="Decisions on the version reviewed last, when it changed since."
    )
    changed_since: int | None = Field(default=None, description="The version the previous round saw.")
    changes: list[DiffLine] = Field(default_factory=list)
    posts: list[SharedPost] = Field(default_factory=list)

    @property
    def pending(self) -> bool:
        return self.decision is None


class ReviewPage(BaseModel):
    """Everything the client's review page shows, read through one share link."""

    client_name: str
    engagement_name: str
    period_start: date
    period_end: date
    link_id: str
    link_expires_at: datetime
    review_due: date | None
    social_handles: dict[str, str] = Field(default_factory=dict)
    items: list[ReviewItem]
    report: SharedExport | None = Field(description="The newest PDF report, when one was exported.")
    exports: list[SharedExport]


class OverdueReview(BaseModel):
    """A share link whose review is past its due date with deliverables still awaiting a decision."""

    engagement_id: str
    engagement_name: str
    client_name: str
    link_id: str
    review_due: date
    expires_at: datetime
    days_overdue: int
    pending: list[str] = Field(description="Deliverables without a client decision, e.g. 'strategy v3'.")


class ShareLinkSummary(BaseModel):
    """A review link as the operator sees it: when it was made, its terms, and whether it still works."""

    link_id: str
    created_at: datetime
    created_by: str
    expires_at: datetime
    review_due: date | None
    state: Literal["active", "expired", "revoked"]
    overdue: bool = Field(description="Past its due date with a deliverable still awaiting the client.")
