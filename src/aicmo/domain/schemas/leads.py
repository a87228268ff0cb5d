"""Leads over the API (SPEC §7): create, import a CSV, move through statuses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AliasChoices, BaseModel, Field, StringConstraints, model_validator

from aicmo.domain.contacts import Email
from aicmo.domain.leads import LeadStatus
from aicmo.domain.schemas.common import Id, ShortText, Strict, Version

Field500 = Annotated[str, StringConstraints(max_length=500)]


class LeadCreate(Strict):
    client_id: Id
    engagement_id: Id | None = Field(
        default=None, description="Score against this engagement's approved brief (its target audience)."
    )
    email: Email
    phone: Annotated[str, StringConstraints(max_length=40)] = Field(
        default="",
        description="Any common form; stored as E.164 (national numbers read in the client's country).",
    )
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
    csv: Annotated[str, StringConstraints(min_length=1, max_length=5_000_000)] | None = Field(
        default=None,
        description="The CSV text: a header row with at least `email` (also name, company, title, "
        "source, campaign, notes, consent, phone; common aliases such as `E-mail` or `Job Title` are "
        "read). Comma, semicolon, tab or pipe separated.",
    )
    csv_base64: Annotated[str, StringConstraints(min_length=1, max_length=6_700_000)] | None = Field(
        default=None,
        description="The CSV file's bytes, base64: its encoding is detected (UTF-8, Windows-1252, ...) "
        "and reported back. Give this or `csv`, not both.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> LeadImport:
        if (self.csv is None) == (self.csv_base64 is None):
            raise ValueError("give the CSV as `csv` (text) or `csv_base64` (the file's bytes), exactly one")
        return self


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
    phone: str = ""
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
    encoding: str = Field(
        default="utf-8", description="The encoding the file was read with (detected for `csv_base64`)."
    )
    delimiter: str = Field(default=",", description="The column separator found in the file.")
