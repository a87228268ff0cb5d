from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.resources import AuditEntryPublic
from aicmo.entrypoints.api.deps import Limit, Offset, PrincipalDep, UowDep
from aicmo.services import audit

router = APIRouter(prefix="/audit", tags=["audit"])
IdQuery = Annotated[str | None, Query(max_length=64)]


@router.get("")
def list_audit(
    uow: UowDep,
    principal: PrincipalDep,
    client_id: IdQuery = None,
    engagement_id: IdQuery = None,
    artifact_id: IdQuery = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[AuditEntryPublic]:
    return audit.list_audit(
        uow,
        principal,
        client_id=client_id,
        engagement_id=engagement_id,
        artifact_id=artifact_id,
        action=action,
        limit=limit,
        offset=offset,
    )
