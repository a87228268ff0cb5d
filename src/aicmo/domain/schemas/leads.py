"""Leads over the API (SPEC §7): create, import a CSV, move through statuses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, Field, StringConstraints, model_validator

from aicmo.domain.contacts import Email
from aicmo.domain.leads import FIELDS, LeadStatus, Tier
from aicmo.domain.schemas.common import Id, ShortText, Strict, Version

Field500 = Annotated[str, StringConstraints(max_length=500)]
Field200 = Annotated[str, StringConstraints(max_length=200)]
LeadField = Annotated[str, StringConstraints(max_length=32)]


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
    first_name: Field200 = ""
    last_name: Field200 = ""
    city: Field200 = ""
    region: Field200 = Field(default="", description="State, province or county.")
    timezone: Annotated[str, StringConstraints(max_length=64)] = Field(
        default="",
        description="The lead's IANA time zone (e.g. America/Denver): outreach keeps its quiet hours.",
    )


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
    filename: Annotated[str, StringConstraints(max_length=300)] = Field(
        default="", description="The file's name, shown in the list of import batches."
    )
    columns: dict[Annotated[str, StringConstraints(max_length=200)], LeadField] = Field(
        default_factory=dict,
        max_length=100,
        description="Column mapping: a file header -> the lead field it fills ("
        + ", ".join(FIELDS)
        + "), or '' to ignore the column. Headers not named here are read through common aliases "
        "(e.g. `Surname` -> last_name, `State` -> region).",
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
    first_name: str = ""
    last_name: str = ""
    city: str = ""
    region: str = ""
    timezone: str = ""
    company_domain: str = ""
    free_mail: bool = False
    role_account: bool = False
    seniority: str = ""
    opens: int = 0
    clicks: int = 0
    replies: int = 0
    last_activity_at: datetime | None = None
    batch_id: str | None = None
    status: LeadStatus
    score: int
    tier: Tier = Tier.COLD
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
    batch_id: str | None = Field(default=None, description="The import batch (list it, or undo it).")
    rows_read: int = 0
    columns: dict[str, str] = Field(
        default_factory=dict, description="Each file header -> the field it filled."
    )


class LeadBatchPublic(BaseModel):
    id: str
    client_id: str
    engagement_id: str | None
    filename: str
    actor: str
    rows_read: int
    created: int
    duplicates: int
    known: int
    skipped: list[dict[str, str]]
    columns: dict[str, str]
    undone_at: datetime | None
    removed: int
    kept: int
    created_at: datetime


class LeadBulkMove(Strict):
    client_id: Id
    lead_ids: list[Id] = Field(min_length=1, max_length=1000)
    status: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    reason: ShortText = ""


class LeadBulkMoveResult(BaseModel):
    moved: list[str]
    refused: list[dict[str, str]] = Field(description="Leads not moved, each with why (the allowed moves).")


class LeadEvent(Strict):
    kind: Literal["open", "click", "reply", "bounce", "unsubscribe"] = Field(
        description="reply stops the lead's sequences; bounce and unsubscribe also suppress the address."
    )
    at: datetime | None = Field(default=None, description="When it happened (default: now).")
