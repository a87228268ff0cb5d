"""Leads over the API (SPEC §7): create, import a CSV, move through statuses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AliasChoices, BaseModel, EmailStr, Field, StringConstraints

from aicmo.domain.leads import LeadStatus
from aicmo.domain.schemas.common import Id, ShortText, Strict, Version

Field500 = Annotated[str, StringConstraints(max_length=500)]


class LeadCreate(Strict):
    client_id: Id
    engagement_id: Id | None = Field(
        default=None, description="Score against this engagement's approved brief (its target audience)."
    )
    email: EmailStr
    name: Field500 = ""
    company: Field500 = ""
    title: Field500 = ""
    source: Field500 = ""
    campaign: Field500 = ""
    notes: ShortText = ""
    consent: bool = False


class LeadImport(Strict):
    client_id: Id
    engagement_id: Id | None = None
    csv: Annotated[str, StringConstraints(min_length=1, max_length=5_000_000)] = Field(
        description="The CSV text: a header row with at least `email` (also name, company, title, "
        "source, campaign, notes, consent; common aliases such as `E-mail` or `Job Title` are read)."
    )


class LeadMove(Strict):
    status: Annotated[str, StringConstraints(min_length=1, max_length=32)] = Field(
        description="The new status; legacy labels are accepted (ENGAGED/RESPONDED → REPLIED, WON → ROUTED)."
    )
    expected_version: Version
    reason: ShortText = ""


class LeadPublic(BaseModel):
    id: str
    client_id: str
    engagement_id: str | None
    email: str
    name: str
    company: str
    title: str
    source: str
    campaign: str
    notes: str
    consent: bool
    status: LeadStatus
    score: int
    score_reasons: list[str]
    version: int = Field(validation_alias=AliasChoices("version", "row_version"))
    created_at: datetime
    updated_at: datetime


class LeadImportResult(BaseModel):
    created: int
    duplicates_in_file: int
    already_known: int = Field(description="Rows whose e-mail is already a lead of this client (left as is).")
    skipped: list[dict[str, str]] = Field(description="Rows not imported, each with the field and why.")
