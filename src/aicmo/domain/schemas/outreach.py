"""Outreach over the API (SPEC §7): sequences, enrolment, runs, the suppression list."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from aicmo.domain.contacts import Email
from aicmo.domain.leads import Tier
from aicmo.domain.outreach import VARIABLES, Channel, Suppression, template_problems
from aicmo.domain.schemas.common import Id, Strict

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Subject = Annotated[str, StringConstraints(max_length=300)]
Body = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Variable = Annotated[str, StringConstraints(max_length=40)]
Hour = Annotated[int, Field(ge=0, le=23)]


class Step(Strict):
    channel: Channel = Channel.EMAIL
    wait_days: int = Field(default=0, ge=0, le=90, description="Days after the previous step (0: at once).")
    subject: Subject = Field(default="", description="E-mail subject; {{variables}} allowed.")
    body: Body = Field(
        description="The message or the task's script; variables as {{" + "}}, {{".join(VARIABLES) + "}}."
    )
    required: list[Variable] = Field(
        default_factory=list,
        max_length=len(VARIABLES),
        description="Variables a lead must have for this step to go out (used ones are required too).",
    )

    @model_validator(mode="after")
    def _usable(self) -> Step:
        if self.channel is Channel.EMAIL and not self.subject.strip():
            raise ValueError("an e-mail step needs a subject")
        problems = template_problems(f"{self.subject}\n{self.body}", self.required)
        if problems:
            raise ValueError("; ".join(problems))
        return self


class SequenceCreate(Strict):
    client_id: Id
    name: Name
    steps: list[Step] = Field(min_length=1, max_length=20)
    daily_caps: dict[Channel, Annotated[int, Field(ge=0, le=100_000)]] = Field(
        default_factory=lambda: {Channel.EMAIL: 50},
        description="Most sends per day (in default_timezone) per channel for this sequence; a channel "
        "not named sends none.",
    )
    quiet_start: Hour = Field(default=20, description="Quiet hours start (recipient's local hour).")
    quiet_end: Hour = Field(default=8, description="Quiet hours end (recipient's local hour).")
    default_timezone: Annotated[str, StringConstraints(max_length=64)] = Field(
        default="UTC",
        description="The sequence's market (IANA): its days for the daily caps, and the time zone of "
        "leads without one of their own.",
    )
    sender: Email = Field(description="The From address.")
    sender_name: Annotated[str, StringConstraints(max_length=200)] = ""
    postal_address: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=500)] = (
        Field(description="The sender's postal address, printed in every e-mail.")
    )


class SequencePublic(BaseModel):
    id: str
    client_id: str
    name: str
    steps: list[dict]
    daily_caps: dict[str, int]
    quiet_start: int
    quiet_end: int
    default_timezone: str
    sender: str
    postal_address: str
    created_at: datetime
    enrolments: dict[str, int] = Field(
        default_factory=dict, description="Enrolments by status (ACTIVE, DONE, STOPPED, BLOCKED)."
    )
    sent_today: dict[str, int] = Field(
        default_factory=dict,
        description="Sends counted against today's caps, by channel (today in default_timezone).",
    )


class Enrol(Strict):
    tiers: list[Tier] = Field(default_factory=list, max_length=4, description="Leads of these tiers.")
    lead_ids: list[Id] = Field(default_factory=list, max_length=10_000)
    status: Annotated[str, StringConstraints(max_length=32)] | None = None
    q: Annotated[str, StringConstraints(max_length=200)] = ""
    min_score: int | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _something(self) -> Enrol:
        if not (self.tiers or self.lead_ids or self.status or self.q or self.min_score is not None):
            raise ValueError("say whom to enrol: tiers, lead_ids, status, q or min_score")
        return self


class EnrolResult(BaseModel):
    enrolled: int
    already: int
    skipped: list[dict[str, str]] = Field(
        description="Leads not enrolled (suppressed, closed), each with why."
    )


class RunRequest(Strict):
    limit: int = Field(default=500, ge=1, le=10_000, description="Most enrolments looked at in this run.")


class RunResult(BaseModel):
    sent: list[dict[str, str]]
    tasks: list[dict[str, str]] = Field(description="Call or LinkedIn steps due now, for a person.")
    skipped: list[dict[str, str]] = Field(description="Not sent now, each with why (quiet hours, cap, ...).")
    stopped: list[dict[str, str]]
    failed: list[dict[str, str]]


class SuppressionAdd(Strict):
    client_id: Id
    emails: list[Email] = Field(min_length=1, max_length=10_000)
    reason: Suppression = Suppression.SUPPRESSED
    note: Annotated[str, StringConstraints(max_length=500)] = ""


class SuppressionPublic(BaseModel):
    email: str
    reason: str
    note: str
    created_at: datetime
