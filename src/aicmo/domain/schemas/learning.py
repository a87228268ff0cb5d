"""The learning loop over the API (SPEC §7 Kaizen): what performs, how sure we are, from which rows."""

from __future__ import annotations

from typing import Literal

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
    note: str
