"""The learning loop over the API (SPEC §7 Kaizen): what performs, how sure we are, from which rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class OptionEstimate(BaseModel):
    dimension: str
    option: str
    posts: int
    impressions: int
    engagements: int
    rate: float | None = Field(description="Engagements ÷ impressions of these posts; None without data.")
    estimate: float = Field(description="Posterior mean, pooled with the prior (what the next mix uses).")
    low: float = Field(description="95 % interval, lower end.")
    high: float
    confidence: Literal["low", "medium", "high"]
    posts_measured: list[str] = Field(default_factory=list, description="The posts behind these figures.")


class ComparisonPublic(BaseModel):
    dimension: str
    best: str
    other: str
    ratio: float
    low: float
    high: float
    confident: bool
    sentence: str


class MeasuredPost(BaseModel):
    post_id: str
    pillar: str
    format: str
    platform: str
    slot: str
    impressions: int
    engagements: int
    source_rows: list[int] = Field(description="The imported CSV lines this post's figures come from.")
    source_imports: list[str] = Field(default_factory=list, description="The imports holding those lines.")


class LearningReport(BaseModel):
    engagement_id: str
    measured_posts: int
    prior_rate: float
    prior_source: Literal["client", "agency", "default"] = Field(
        description="Where the pooled prior comes from: this client's other engagements, every client "
        "of the agency, or a 2 % default when nothing is measured anywhere."
    )
    estimates: list[OptionEstimate]
    comparisons: list[ComparisonPublic]
    posts: list[MeasuredPost]
    no_data: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Options the current plan uses or may try with no measured post yet: no data, not zero.",
    )
    note: str


LearningEventKind = Literal["generation", "approval", "rejection", "amendment", "publication", "outcome"]


class LearningEventPublic(BaseModel):
    """One thing the learning loop learns from, with the audit entry it comes from (`id`)."""

    id: int = Field(description="The audit entry this event is read from.")
    kind: LearningEventKind
    at: datetime
    actor: str
    client_id: str
    engagement_id: str | None = None
    subject: str = Field(default="", description="What it is about: a module, a campaign item, an import.")
    version: int | None = None
    reason: str = Field(default="", description="Why (a rejection's reason, an amendment's note).")
    changed: list[str] = Field(default_factory=list, description="An amendment's changed fields.")
    removed_phrases: list[str] = Field(default_factory=list, description="Phrases an amendment took out.")
    data: dict[str, Any] = Field(
        default_factory=dict, description="Kind-specific figures (an outcome's rows)."
    )


class AvoidPhrasePublic(BaseModel):
    phrase: str
    times: int
    events: list[int]
    sentence: str


class LearningEvents(BaseModel):
    client_id: str
    count: int
    counts: dict[str, int] = Field(description="Events per kind, every kind listed.")
    events: list[LearningEventPublic]
    avoid: list[AvoidPhrasePublic] = Field(
        description="Phrases operators keep amending away: the next generation avoids them."
    )
