"""Approved engagements made the way an operator makes them: real services, offline generators.

Each module is generated through `services.generation` with auto-approve (approved only when every
quality gate passes), after the brief itself is saved and approved. API tests import this too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aicmo.bootstrap import App
from aicmo.domain.artifacts import Action, Module
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.generation import GenerateRequest
from aicmo.services import artifacts, generation
from aicmo.services.onboarding import onboard_brief
from tests.conftest import SAMPLES

OPERATOR = Principal(name="maya", role=Role.OPERATOR)
BRIEFS = sorted(p.stem for p in SAMPLES.glob("*.json"))
GENERATED = (Module.STRATEGY, Module.CREATIVES, Module.EXECUTION, Module.MONITORING, Module.DELIVERY)


def load_brief(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


@dataclass
class Delivered:
    client_id: str
    engagement_id: str
    brief: dict[str, Any]
    artifact_ids: dict[str, str] = field(default_factory=dict)


def approved_delivery(app: App, brief: dict[str, Any], *, through: Module = Module.DELIVERY) -> Delivered:
    """A client and engagement with the brief approved and every module up to `through` generated
    and auto-approved by the offline generators."""
    onboarded = onboard_brief(app.uow, app.provider, OPERATOR, brief)
    result = Delivered(onboarded.client_id, onboarded.engagement_id, brief)
    result.artifact_ids["intake"] = onboarded.intake_artifact_id
    for module in GENERATED[: GENERATED.index(through) + 1]:
        with app.uow() as uow:
            outcome = generation.generate(
                uow,
                app.provider,
                OPERATOR,
                module,
                GenerateRequest(engagement_id=onboarded.engagement_id, auto_approve=True),
            )
        assert outcome.auto_approved, (module, [f.as_dict() for f in outcome.errors])
        assert outcome.artifact is not None
        result.artifact_ids[module.value] = outcome.artifact.id
    return result


def current(app: App, artifact_id: str) -> tuple[str, int]:
    """(status, version) of an artifact now."""
    with app.uow() as uow:
        row = uow.artifacts.get(artifact_id)
        assert row is not None
        return row.status, row.version


def approve(app: App, artifact_id: str) -> None:
    _, version = current(app, artifact_id)
    with app.uow() as uow:
        artifacts.decide(uow, OPERATOR, artifact_id, Action.APPROVE, expected_version=version)
