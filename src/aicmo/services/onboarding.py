"""Onboarding a brief in one step: client, engagement, saved and approved intake (which creates the
plan). The pipeline, the benchmarks and the tests all start a client this way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aicmo.adapters.llm.base import Provider
from aicmo.domain.artifacts import Action, Module
from aicmo.domain.errors import Invalid, NotFound
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.generation import GenerateRequest
from aicmo.domain.schemas.intake import Intake
from aicmo.domain.schemas.resources import AutonomyLevel, ClientCreate, ClientPublic, EngagementCreate
from aicmo.services import artifacts, clients, engagements, generation
from aicmo.services.unit_of_work import UnitOfWork, UowFactory


@dataclass(frozen=True)
class Onboarded:
    client_id: str
    engagement_id: str
    intake_artifact_id: str
    reused_client: bool = False


def onboard_brief(
    uow_factory: UowFactory,
    provider: Provider,
    principal: Principal,
    brief: Any,
    *,
    autonomy: AutonomyLevel = AutonomyLevel.MANUAL,
    approve: bool = True,
    client_ref: str | None = None,
    reuse_client: bool = False,
) -> Onboarded:
    """Validate `brief` (Invalid names each field), then create and approve everything it needs.

    `client_ref` (an id or a name) puts the new engagement under that existing client; with
    `reuse_client`, a live client named like the brief's client is reused instead of a second one
    being created. Either way a new engagement is made: re-running a brief never overwrites work."""
    report = generation.validate_brief(brief)
    if not report.ok:
        raise Invalid("the brief has errors", [e.model_dump() for e in report.errors])
    intake = Intake.model_validate(report.intake)
    with uow_factory() as uow:
        client = _existing_client(uow, principal, client_ref, intake.client_name if reuse_client else None)
        reused = client is not None
        if client is None:
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
    return Onboarded(client.id, engagement.id, saved.artifact.id, reused_client=reused)


def _existing_client(
    uow: UnitOfWork, principal: Principal, client_ref: str | None, brief_name: str | None
) -> ClientPublic | None:
    if client_ref:
        found = clients.find_client(uow, principal, client_ref)
        if found is None:
            raise NotFound(f"no client with id or name {client_ref!r}")
        return found
    return clients.find_client(uow, principal, brief_name) if brief_name else None
