"""Learning events over the API (SPEC §7 Kaizen): what happened to a client's work, queryable per client."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from aicmo.domain.schemas.learning import LearningEvents
from aicmo.entrypoints.api.deps import PrincipalDep, UowDep
from aicmo.services import learning

router = APIRouter(tags=["learning"])
ClientId = Annotated[str, Path(max_length=64)]
Kind = Literal["generation", "approval", "rejection", "amendment", "publication", "outcome"]


@router.get("/clients/{client_id}/learning-events")
def get_learning_events(
    client_id: ClientId,
    uow: UowDep,
    principal: PrincipalDep,
    engagement_id: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")] = None,
    kind: Kind | None = None,
) -> LearningEvents:
    """The client's learning events, newest first: generations, approvals, rejections (with the
    reason), amendments (what changed, the phrases taken out), publications and measured outcomes, each
    naming the audit entry it comes from; and the phrases operators keep amending away (the next
    generation avoids them)."""
    return learning.learning_events(uow, principal, client_id, engagement_id=engagement_id, kind=kind)
