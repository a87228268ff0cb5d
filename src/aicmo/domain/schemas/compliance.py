"""Compliance review content (issue 15): a regulated client's strategy, creatives and execution
read against the brief's compliance rules before anything is published or delivered.

A finding names the asset (a dotted path such as `execution.posts.3`), the rule it breaks, the
words as written and what to do. `blocking` findings (a forbidden claim, a banned word, a missing
disclosure) keep the review from being approved automatically and, while the review is not
approved, keep the delivery from going out; `advisory` ones are what a compliance officer checks
by hand (consent for patient stories, the risk warning next to performance figures).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["blocking", "advisory"]


class ComplianceFinding(BaseModel):
    asset: str = Field(description="dotted path of the asset, e.g. execution.posts.3")
    rule: str = Field(description="the rule broken, e.g. 'forbidden claim (guarantees)'")
    severity: Severity
    excerpt: str = Field(default="", description="the words as written")
    action: str = Field(description="what the reviewer or writer must do")


class ComplianceCheck(BaseModel):
    """One line of the sign-off sheet: what was checked, over how many assets, and the result."""

    check: str
    assets: int = Field(default=0, ge=0)
    passed: bool
    detail: str = ""


class ComplianceReview(BaseModel):
    brand: str
    sectors: list[str] = Field(default_factory=list, description="the regulated sectors' labels")
    verdict: str
    assets_reviewed: int = Field(default=0, ge=0)
    checks: list[ComplianceCheck] = Field(default_factory=list)
    findings: list[ComplianceFinding] = Field(default_factory=list)
    reviewer_notes: list[str] = Field(
        default_factory=list, description="what the sector's compliance reviewer checks before publishing"
    )

    @property
    def blocking(self) -> list[ComplianceFinding]:
        return [f for f in self.findings if f.severity == "blocking"]
