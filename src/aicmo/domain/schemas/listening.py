"""Social listening over the API (SPEC §7 monitoring): import a mentions export, read its topics and
sentiment over time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from aicmo.domain.listening import COLUMNS
from aicmo.domain.schemas.common import Id, Strict

Header = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class MentionImport(Strict):
    engagement_id: Id
    csv: Annotated[str, StringConstraints(min_length=1, max_length=20_000_000)] = Field(
        description="The CSV text: one row per mention with a date, a platform and the text; author, "
        "reach and sentiment (-1…1 or positive/neutral/negative) when the export has them. A mention "
        "without a sentiment is scored from its text, offline."
    )
    filename: Annotated[str, StringConstraints(max_length=300)] = ""
    mapping: dict[Header, Header] = Field(
        default_factory=dict,
        max_length=len(COLUMNS),
        description=f"Our column → your header, for headers we do not recognise. Ours: {', '.join(COLUMNS)}.",
    )


class MentionImportResult(BaseModel):
    id: str
    engagement_id: str
    filename: str
    rows_imported: int
    sentiment_computed: int = Field(description="Mentions whose sentiment was scored from the text here.")
    columns: dict[str, str] = Field(description="Our column → the header it was read from.")
    skipped: list[dict[str, str]] = Field(description="Rows not imported, each with the field and why.")
    created_at: datetime


class SentimentSummary(BaseModel):
    mentions: int
    reach: int | None = Field(description="Total reach; null when no mention carried one (not zero).")
    reach_rows: int
    mean: float | None = Field(description="Mean sentiment -1…1; null without mentions.")
    positive: int
    neutral: int
    negative: int
    computed: int = Field(description="How many of the sentiments were scored from the text (VADER).")


class TopicPublic(BaseModel):
    term: str
    mentions: int
    sentiment: float
    source_rows: list[int] = Field(description="CSV lines behind the topic (the first 50).")


class ListeningWeek(BaseModel):
    week: date = Field(description="The Monday of the ISO week.")
    summary: SentimentSummary
    topics: dict[str, int] = Field(description="Mentions that week using each of the report's topics.")


class MentionPublic(BaseModel):
    date: date
    platform: str
    author: str
    text: str
    reach: int | None
    sentiment: float
    label: str
    sentiment_computed: bool
    source_row: int


class ListeningReport(BaseModel):
    engagement_id: str
    total: SentimentSummary
    by_platform: dict[str, SentimentSummary]
    topics: list[TopicPublic]
    weekly: list[ListeningWeek]
    most_negative: list[MentionPublic] = Field(description="Up to 5 mentions to answer first.")
    most_positive: list[MentionPublic]
    imports: list[MentionImportResult]
    method: str = Field(description="How sentiment and topics were found.")
