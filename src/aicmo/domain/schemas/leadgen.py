"""Lead generation content: where leads come from, how they are scored, and the outreach sequence."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class LeadSource(BaseModel):
    name: str
    channel: str
    why: str
    how: str


class ScoringCriterion(BaseModel):
    kind: Literal["fit", "engagement"]
    name: str
    signal: str
    points: int = Field(ge=-50, le=50)
    rationale: str


class ScoringModel(BaseModel):
    criteria: list[ScoringCriterion] = Field(min_length=2)
    qualified_at: int = Field(ge=0, le=100, description="score at or above which a lead is QUALIFIED")
    nurture_below: int = Field(ge=0, le=100)
    explanation: str


class OutreachStep(BaseModel):
    step: int = Field(ge=1)
    day: int = Field(ge=0)
    channel: str
    subject: str = ""
    message: str
    cta: str


class LeadGen(BaseModel):
    brand: str
    icp_summary: str
    sources: list[LeadSource] = Field(min_length=1)
    scoring: ScoringModel
    outreach: list[OutreachStep] = Field(min_length=1)
    guardrails: list[str] = Field(min_length=1)
    routing: str
