from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.resources import (
    EngagementCreate,
    EngagementPublic,
    EngagementUpdate,
    GatingPublic,
)
from aicmo.entrypoints.api.deps import Limit, Offset, PrincipalDep, UowDep
from aicmo.services import artifacts, engagements

router = APIRouter(prefix="/engagements", tags=["engagements"])
EngagementId = Annotated[str, Path(max_length=64)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_engagement(body: EngagementCreate, uow: UowDep, principal: PrincipalDep) -> EngagementPublic:
    return engagements.create_engagement(uow, principal, body)


@router.get("")
def list_engagements(
    uow: UowDep,
    principal: PrincipalDep,
    client_id: Annotated[str | None, Query(max_length=64)] = None,
    include_archived: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[EngagementPublic]:
    return engagements.list_engagements(
        uow, principal, client_id=client_id, include_archived=include_archived, limit=limit, offset=offset
    )


@router.get("/{engagement_id}")
def get_engagement(engagement_id: EngagementId, uow: UowDep, principal: PrincipalDep) -> EngagementPublic:
    return engagements.get_engagement(uow, principal, engagement_id)


@router.patch("/{engagement_id}")
def update_engagement(
    engagement_id: EngagementId, body: EngagementUpdate, uow: UowDep, principal: PrincipalDep
) -> EngagementPublic:
    return engagements.update_engagement(uow, principal, engagement_id, body)


@router.delete("/{engagement_id}")
def archive_engagement(engagement_id: EngagementId, uow: UowDep, principal: PrincipalDep) -> EngagementPublic:
    return engagements.archive_engagement(uow, principal, engagement_id)


@router.get("/{engagement_id}/gating/{module}")
def check_gating(
    engagement_id: EngagementId, module: Module, uow: UowDep, principal: PrincipalDep
) -> GatingPublic:
    """May `module` generate now? If not, one named reason per unapproved upstream (SPEC §4)."""
    return artifacts.check_gating(uow, principal, engagement_id, module)
