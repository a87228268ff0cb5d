"""Campaigns over the API (SPEC §6): create, generate items, review, execute, checklist."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from aicmo.domain.campaigns import (
    ED25519_HEADER,
    MAX_DESTINATION,
    SIGNED_CONTENT,
    Channel,
    ExecutionMode,
    ItemStatus,
    PublishStatus,
    destination_problem,
)
from aicmo.domain.contacts import check_email
from aicmo.domain.schemas.common import Id, Name, ShortText, Strict, Version
from aicmo.domain.schemas.intake import Platform

Cadence = Annotated[int, Field(ge=1, le=14, description="Posts a week on that platform.")]


class CampaignCreate(Strict):
    engagement_id: Id
    name: Name
    objective: Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
    platforms: Annotated[list[Platform], Field(min_length=1, max_length=8)]
    cadence: dict[Platform, Cadence] = Field(
        default_factory=dict, description="Posts a week per platform; 2 for a platform not named."
    )
    start_date: date
    end_date: date
    mode: ExecutionMode = ExecutionMode.MANUAL
    channel: Channel = Field(default=Channel.WEBHOOK, description="Live mode: the publishing adapter.")
    destination: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_DESTINATION)] = Field(
        default="",
        description="Live mode: where this campaign's posts go, a webhook URL (webhook channel) or an "
        "e-mail address (e-mail channel); empty: the deployment's default. Shown masked afterwards.",
    )
    audience: Annotated[int, Field(ge=1, le=1_000_000_000)] | None = Field(
        default=None, description="Followers reached by the account (used by the proof simulation)."
    )

    @field_validator("destination")
    @classmethod
    def _destination_fits_channel(cls, value: str, info: ValidationInfo) -> str:
        channel = info.data.get("channel")
        return value if channel is None else checked_destination(channel, value)  # else: bad channel

    @model_validator(mode="after")
    def _cadence_for_named_platforms(self) -> CampaignCreate:
        extra = sorted(set(self.cadence) - set(self.platforms))
        if extra:
            raise ValueError(
                f"cadence names platforms not in the campaign: {', '.join(p.value for p in extra)}"
            )
        return self


class CampaignUpdate(Strict):
    """What may change once a campaign exists: its name, and where live mode sends its posts (a URL
    typed wrong, a client's new hook). Fields left out stay as they are."""

    expected_version: Version
    name: Name | None = None
    destination: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_DESTINATION)] | None
    ) = Field(
        default=None,
        description="A webhook URL or e-mail address as the campaign's channel takes; empty: back to "
        "the deployment's default.",
    )


def checked_destination(channel: Channel, value: str) -> str:
    """The destination as stored (an e-mail address in normal form); ValueError naming the problem."""
    problem = destination_problem(channel, value)
    if problem:
        raise ValueError(problem)
    return check_email(value) if value and channel is Channel.EMAIL else value


class CampaignPublic(BaseModel):
    id: str
    engagement_id: str
    client_id: str
    name: str
    objective: str
    platforms: list[Platform]
    cadence: dict[Platform, int]
    start_date: date
    end_date: date
    mode: ExecutionMode
    channel: Channel
    destination: str = Field(
        description="Live mode: the campaign's own destination, a webhook URL masked (scheme, host, "
        "the last characters) or an e-mail address; empty: the deployment's default."
    )
    own_destination: bool = Field(description="True: its own destination; false: the deployment's.")
    audience: int | None
    completed: bool
    counts: dict[str, int] = Field(description="Items per status.")
    version: int
    created_at: datetime


class ItemFinding(BaseModel):
    code: str
    message: str
    severity: str


class CampaignItemPublic(BaseModel):
    id: str
    campaign_id: str
    platform: Platform
    scheduled_at: datetime
    pillar: str
    format: str
    text: str
    hashtags: list[str]
    cta: str
    image_prompt: str
    status: ItemStatus
    version: int = Field(description="The text's version; an approval names the version it approved.")
    approved_version: int | None
    reason: str
    length: int = Field(description="The caption's length the platform's way (X weighted, SMS segments).")
    limit: int
    findings: list[ItemFinding]
    published_url: str
    simulated: dict[str, Any] = Field(description="Proof mode only: simulated reach and engagements.")
    history: list[dict[str, Any]]
    posting_steps: list[str] = Field(description="Manual mode: numbered steps to post it by hand.")


class ItemDecision(Strict):
    expected_version: Version
    reason: ShortText = Field(default="", description="Required when rejecting.")


class ItemRevision(Strict):
    expected_version: Version
    text: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    hashtags: (
        Annotated[list[Annotated[str, StringConstraints(max_length=100)]], Field(max_length=30)] | None
    ) = None


class ItemPublished(Strict):
    url: Annotated[str, StringConstraints(min_length=1, max_length=2_000, strip_whitespace=True)]


class BulkApproval(Strict):
    item_ids: Annotated[list[Id], Field(min_length=1, max_length=500)]


class ChecklistLine(BaseModel):
    platform: Platform
    items: int
    approved: int
    published: int
    urls_recorded: int
    done: bool


class Checklist(BaseModel):
    campaign_id: str
    mode: ExecutionMode
    lines: list[ChecklistLine]
    completed: bool
    simulated_reach: int | None = Field(description="Proof mode: the simulated total (never measured).")
    simulated_engagements: int | None


class PublishRequest(Strict):
    item_ids: Annotated[list[Id], Field(max_length=2_000)] | None = Field(
        default=None, description="Approved items to publish; none named: every approved item."
    )
    at_schedule: bool = Field(
        default=False, description="Hold each post until its scheduled time (else send it now)."
    )


class WebhookSigningKey(BaseModel):
    """How a webhook receiver checks that a post came from this deployment, holding no secret."""

    algorithm: str = Field(default="Ed25519", description="The signature scheme (RFC 8032).")
    public_key: str = Field(description="The raw 32-byte Ed25519 public key, standard base64.")
    header: str = Field(default=ED25519_HEADER, description="The header carrying the base64 signature.")
    signed: str = Field(
        default=SIGNED_CONTENT, description="The bytes signed: the timestamp header, '.', the body."
    )


class PublishJobPublic(BaseModel):
    id: str
    item_id: str
    campaign_id: str
    version: int = Field(description="The approved item version this job sends, and only that one.")
    channel: Channel
    idempotency_key: str
    status: PublishStatus
    attempts: int
    not_before: datetime
    provider_id: str = Field(description="The provider's own id for the post, read from its answer.")
    provider_url: str
    error: str
    log: list[dict[str, Any]]
    updated_at: datetime
