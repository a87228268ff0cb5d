"""Onboarding a brief in one step: client, engagement, saved and approved intake (which creates the
plan). The pipeline, the benchmarks and the tests all start a client this way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aicmo.adapters.llm.base import Provider
from aicmo.domain.artifacts import Action, Module
from aicmo.domain.errors import Invalid
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.generation import GenerateRequest
from aicmo.domain.schemas.intake import Intake
from aicmo.domain.schemas.resources import AutonomyLevel, ClientCreate, EngagementCreate
from aicmo.services import artifacts, clients, engagements, generation
from aicmo.services.unit_of_work import UowFactory


@dataclass(frozen=True)
class Onboarded:
    client_id: str
    engagement_id: str
    intake_artifact_id: str


def onboard_brief(
    uow_factory: UowFactory,
    provider: Provider,
    principal: Principal,
    brief: Any,
    *,
    autonomy: AutonomyLevel = AutonomyLevel.MANUAL,
    approve: bool = True,
) -> Onboarded:
    """Validate `brief` (Invalid names each field), then create and approve everything it needs."""
    report = generation.validate_brief(brief)
    if not report.ok:
        raise Invalid("the brief has errors", [e.model_dump() for e in report.errors])
    intake = Intake.model_validate(report.intake)
    with uow_factory() as uow:
        client = clients.create_client(
            uow,
            principal,
            ClientCreate(name=intake.client_name, industry=intake.industry, website=intake.website),
        )
    with uow_factory() as uow:
        engagement = engagements.create_engagement(
            uow,
            principal,
            EngagementCreate(
                client_id=client.id,
                name=f"{intake.client_name}: {intake.objective.value}",
                start_date=intake.start_date,
                duration_weeks=intake.duration_weeks,
                autonomy_level=autonomy,
            ),
        )
    with uow_factory() as uow:
        saved = generation.generate(
            uow,
            provider,
            principal,
            Module.INTAKE,
            GenerateRequest(engagement_id=engagement.id, intake=brief),
        )
    assert saved.artifact is not None
    if approve:
        with uow_factory() as uow:
            artifacts.decide(
                uow,
                principal,
                saved.artifact.id,
                Action.APPROVE,
                expected_version=saved.artifact.version,
                comment="validated brief",
            )
    return Onboarded(client.id, engagement.id, saved.artifact.id)
