"""Services create rows through the unit of work's repositories (`uow.<table>.create`), so the same
use cases run on the fake: a client, its engagement, a hand-made brief with its first version, a
token - each with its audit entry, no database."""

from __future__ import annotations

import json

from tests.conftest import SAMPLES
from tests.fakes import FakeUnitOfWork

from aicmo.domain.artifacts import Module
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.resources import ArtifactCreate, ClientCreate, EngagementCreate, TokenCreate
from aicmo.services import artifacts, clients, engagements, tokens

ADMIN = Principal(name="root", role=Role.ADMIN)


def test_a_client_engagement_brief_and_token_are_stored_on_the_fake() -> None:
    uow = FakeUnitOfWork()
    client = clients.create_client(uow, ADMIN, ClientCreate(name="Saltmarsh"))
    engagement = engagements.create_engagement(
        uow, ADMIN, EngagementCreate(client_id=client.id, name="Launch")
    )
    brief = json.loads((SAMPLES / "coffee_ecommerce.json").read_text(encoding="utf-8"))
    artifact = artifacts.create_artifact(
        uow, ADMIN, ArtifactCreate(engagement_id=engagement.id, type=Module.INTAKE, content=brief)
    )
    issued = tokens.create_token(uow, ADMIN, TokenCreate(name="ci", role=Role.VIEWER), key=b"k" * 32)

    assert uow.clients.get(client.id).name == "Saltmarsh Coffee Roasters"  # the brief's facts synced
    assert uow.engagements.get(engagement.id).client_id == client.id
    stored = uow.artifacts.by_engagement(engagement.id)["intake"]
    assert (artifact.version, artifact.status, stored.id) == (1, "draft", artifact.id)
    [version] = uow.artifacts.version_rows
    assert (version.artifact_id, version.version, version.action) == (artifact.id, 1, "create")
    assert uow.tokens.get(issued.id).token_hash != issued.token
    actions = uow.audit.actions()
    assert [a for a in actions if a.endswith(".create")] == [
        "client.create",
        "engagement.create",
        "artifact.create",
        "token.create",
    ]
    assert uow.commits == 4
