"""Delivery content: the client-facing summary that opens the report, deck and bundle."""

from __future__ import annotations

from pydantic import BaseModel, Field


class IncludedItem(BaseModel):
    module: str
    title: str
    summary: str
    items: int = Field(ge=0)


class NextStep(BaseModel):
    step: str
    owner: str
    when: str


class DeliverySummary(BaseModel):
    brand: str
    title: str
    executive_summary: str
    highlights: list[str] = Field(min_length=1)
    included: list[IncludedItem] = Field(min_length=1)
    exports: list[str] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(min_length=1)
    reporting: str
