"""Request and response shapes of the REST resources (clients, engagements, artifacts, audit)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, ValidationError, field_validator

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.roles import Role
from aicmo.domain.schemas.common import Id, LongText, MarkdownText, Name, ShortText, Strict, Version
from aicmo.domain.schemas.intake import check_url


class AutonomyLevel(StrEnum):
    MANUAL = "manual"
    ASSISTED = "assisted"
    FULL = "full"


# ---- clients -------------------------------------------------------------------------------
def _website(value: str | None) -> str | None:
    """The brief's rule for a website, so a client never keeps one the brief would refuse."""
    if not value:
        return value
    try:
        return check_url(value)
    except ValidationError:
        raise ValueError("not a valid URL (e.g. https://example.com)") from None


class ClientCreate(Strict):
    name: Name
    industry: ShortText = ""
    website: ShortText = ""
    notes: ShortText = ""

    _website = field_validator("website")(_website)


class ClientUpdate(Strict):
    name: Name | None = None
    industry: ShortText | None = None
    website: ShortText | None = None
    notes: ShortText | None = None

    _website = field_validator("website")(_website)


class ClientPublic(BaseModel):
    id: str
    name: str
    industry: str
    website: str
    notes: str
    archived: bool
    created_at: datetime
    updated_at: datetime


# ---- engagements ---------------------------------------------------------------------------
class EngagementCreate(Strict):
    client_id: Id
    name: Name
    start_date: date | None = None
    duration_weeks: int = Field(default=12, ge=1, le=104)
    autonomy_level: AutonomyLevel = AutonomyLevel.MANUAL


class EngagementUpdate(Strict):
    name: Name | None = None
    start_date: date | None = None
    duration_weeks: int | None = Field(default=None, ge=1, le=104)
    autonomy_level: AutonomyLevel | None = None


class EngagementPublic(BaseModel):
    id: str
    client_id: str
    name: str
    start_date: date | None
    duration_weeks: int
    autonomy_level: AutonomyLevel
    archived: bool
    created_at: datetime
    updated_at: datetime


# ---- artifacts -----------------------------------------------------------------------------
class Provenance(BaseModel):
    """Where a version came from. Empty strings mean 'typed in by a person'."""

    generator: str = ""
    provider: str = ""
    model: str = ""
    prompt_version: str = ""
    run_id: str = ""
    trace_id: str = ""
    amended_by: str = Field(default="", description="Who last changed the content by hand")
    amended_fields: list[str] = Field(
        default_factory=list, description="Top-level content fields changed by hand since generation"
    )


MARKDOWN_IS_RENDERED = (
    "the Markdown is rendered from the structured content: send the fields to change in `content` "
    "(and free text in `notes`)"
)


def _refuse_markdown(value: str | None) -> None:
    if value:
        raise ValueError(MARKDOWN_IS_RENDERED)
    return None


RenderedMarkdown = Annotated[
    MarkdownText | None,
    AfterValidator(_refuse_markdown),
    Field(description="Refused: " + MARKDOWN_IS_RENDERED),
]


class ArtifactCreate(Strict):
    engagement_id: Id
    type: Module
    content: dict[str, Any] = Field(description="The module's content model, complete")
    content_markdown: RenderedMarkdown = None
    notes: LongText = ""


class ArtifactAmend(Strict):
    """A new version: `content` names the top-level fields to replace (the rest stay as they are);
    the whole result must fit the module's content model."""

    expected_version: Version
    content: dict[str, Any] | None = Field(
        default=None, description="Fields of the module's content model to replace, by name"
    )
    content_markdown: RenderedMarkdown = None
    notes: LongText | None = None


class ArtifactDecision(Strict):
    """Approve / revoke / archive: name the version you looked at."""

    expected_version: Version | None = None
    comment: ShortText = ""


class ArtifactReject(Strict):
    expected_version: Version | None = None
    comment: Name  # a rejection must say what to change


class StaleCausePublic(BaseModel):
    upstream: str
    from_version: int
    to_version: int
    via: list[str]
    reason: str


class ArtifactPublic(BaseModel):
    id: str
    client_id: str
    engagement_id: str
    type: Module
    version: int
    status: ArtifactStatus
    content: dict[str, Any]
    content_markdown: str
    notes: str
    inputs_hash: str
    source_versions: dict[str, int]
    provenance: Provenance
    stale_causes: list[StaleCausePublic]
    created_by: str
    approved_by: str | None
    approved_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ArtifactVersionPublic(BaseModel):
    artifact_id: str
    version: int
    status: ArtifactStatus
    action: str
    content: dict[str, Any]
    content_markdown: str
    notes: str
    inputs_hash: str
    source_versions: dict[str, int]
    provenance: Provenance
    created_by: str
    created_at: datetime


class ArtifactDiff(BaseModel):
    artifact_id: str
    from_version: int
    to_version: int
    unified_diff: str = Field(description="Unified diff of the Markdown and operator notes")
    content_diff: str = Field(description="Unified diff of the structured content as sorted JSON")
    changed_fields: list[str]


class GatingPublic(BaseModel):
    engagement_id: str
    module: Module
    allowed: bool
    reasons: list[str]


# ---- audit and tokens ---------------------------------------------------------------------
class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    client_id: str | None
    engagement_id: str | None
    artifact_id: str | None
    artifact_type: str | None
    from_version: int | None
    to_version: int | None
    from_status: str | None
    to_status: str | None
    comment: str
    trace_id: str


class TokenCreate(Strict):
    name: Name
    role: Role
    client_id: Id | None = None


class TokenPublic(BaseModel):
    id: str
    name: str
    role: Role
    client_id: str | None
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class TokenIssued(TokenPublic):
    token: str = Field(description="Shown once; only its hash is stored.")
