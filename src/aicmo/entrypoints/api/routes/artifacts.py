from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from aicmo.domain.artifacts import Action, ArtifactStatus, Module
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.resources import (
    ArtifactAmend,
    ArtifactCreate,
    ArtifactDecision,
    ArtifactDiff,
    ArtifactPublic,
    ArtifactReject,
    ArtifactVersionPublic,
)
from aicmo.entrypoints.api.deps import Limit, Offset, PrincipalDep, UowDep
from aicmo.services import artifacts

router = APIRouter(prefix="/artifacts", tags=["artifacts"])
ArtifactId = Annotated[str, Path(max_length=64)]
VersionNo = Annotated[int, Path(ge=1, le=1_000_000)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_artifact(body: ArtifactCreate, uow: UowDep, principal: PrincipalDep) -> ArtifactPublic:
    return artifacts.create_artifact(uow, principal, body)


@router.get("")
def list_artifacts(
    uow: UowDep,
    principal: PrincipalDep,
    client_id: Annotated[str | None, Query(max_length=64)] = None,
    engagement_id: Annotated[str | None, Query(max_length=64)] = None,
    type: Module | None = None,
    status: ArtifactStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ArtifactPublic]:
    return artifacts.list_artifacts(
        uow,
        principal,
        client_id=client_id,
        engagement_id=engagement_id,
        type=type,
        status=status,
        limit=limit,
        offset=offset,
    )


@router.get("/{artifact_id}")
def get_artifact(artifact_id: ArtifactId, uow: UowDep, principal: PrincipalDep) -> ArtifactPublic:
    return artifacts.get_artifact(uow, principal, artifact_id)


@router.post("/{artifact_id}/amend")
def amend_artifact(
    artifact_id: ArtifactId, body: ArtifactAmend, uow: UowDep, principal: PrincipalDep
) -> ArtifactPublic:
    """Save an edit as a new version; `expected_version` must be the version you edited."""
    return artifacts.amend_artifact(uow, principal, artifact_id, body)


def _decide(action: Action):
    def handler(
        artifact_id: ArtifactId, body: ArtifactDecision, uow: UowDep, principal: PrincipalDep
    ) -> ArtifactPublic:
        return artifacts.decide(
            uow, principal, artifact_id, action, expected_version=body.expected_version, comment=body.comment
        )

    handler.__name__ = f"{action.value}_artifact"
    handler.__doc__ = f"{action.value.title()} the current version (status machine, SPEC §4)."
    return handler


for _action in (Action.APPROVE, Action.REVOKE, Action.ARCHIVE):
    router.add_api_route(
        f"/{{artifact_id}}/{_action.value}", _decide(_action), methods=["POST"], response_model=ArtifactPublic
    )


@router.post("/{artifact_id}/reject")
def reject_artifact(
    artifact_id: ArtifactId, body: ArtifactReject, uow: UowDep, principal: PrincipalDep
) -> ArtifactPublic:
    """Request changes with a comment; the artifact goes back to draft."""
    return artifacts.decide(
        uow,
        principal,
        artifact_id,
        Action.REJECT,
        expected_version=body.expected_version,
        comment=body.comment,
    )


@router.get("/{artifact_id}/versions")
def list_versions(
    artifact_id: ArtifactId, uow: UowDep, principal: PrincipalDep
) -> list[ArtifactVersionPublic]:
    return artifacts.list_versions(uow, principal, artifact_id)


@router.get("/{artifact_id}/versions/{version}")
def get_version(
    artifact_id: ArtifactId, version: VersionNo, uow: UowDep, principal: PrincipalDep
) -> ArtifactVersionPublic:
    return artifacts.get_version(uow, principal, artifact_id, version)


@router.get("/{artifact_id}/diff")
def diff_versions(
    artifact_id: ArtifactId,
    uow: UowDep,
    principal: PrincipalDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=1_000_000)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=1_000_000)],
) -> ArtifactDiff:
    return artifacts.diff_versions(uow, principal, artifact_id, from_version, to_version)
