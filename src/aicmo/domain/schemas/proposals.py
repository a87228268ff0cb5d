"""Proposals over the API: a plan's regeneration of an amended module, kept beside it (issue 16)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.common import Strict, Version


class ProposalStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"  # taken whole as a new version
    MERGED = "merged"  # some fields taken into the current content, as an amendment
    DISCARDED = "discarded"
    SUPERSEDED = "superseded"  # a newer proposal for the same artifact replaced it


class ProposalPublic(BaseModel):
    id: str
    client_id: str
    engagement_id: str
    artifact_id: str
    type: Module
    base_version: int = Field(
        description="The artifact's version (with the person's edits) it was made beside."
    )
    status: ProposalStatus
    content: dict[str, Any]
    content_markdown: str
    inputs_hash: str
    source_versions: dict[str, int]
    provenance: dict[str, Any]
    findings: list[dict[str, Any]]
    created_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None


class ProposalDetail(ProposalPublic):
    current_version: int
    changed_fields: list[str] = Field(description="Content fields the proposal would change.")
    unified_diff: str = Field(description="The Markdown, current version to proposal.")
    content_diff: str = Field(description="The structured content as JSON, current version to proposal.")


class ProposalAccept(Strict):
    """Accept the whole proposal (no `fields`) or merge the named content fields of it."""

    expected_version: Version = Field(description="The artifact version you compared the proposal with.")
    fields: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=50
    )
