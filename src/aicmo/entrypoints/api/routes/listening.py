"""Social listening (SPEC §7 monitoring): import a mentions export, read its topics and sentiment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from aicmo.domain.schemas.listening import ListeningReport, MentionImport, MentionImportResult
from aicmo.entrypoints.api.deps import PrincipalDep, UowDep
from aicmo.services import listening

router = APIRouter(prefix="/listening", tags=["listening"])
EngagementQuery = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


@router.post("/import", status_code=status.HTTP_201_CREATED)
def import_mentions(body: MentionImport, uow: UowDep, principal: PrincipalDep) -> MentionImportResult:
    """Import a CSV of mentions (date, platform, text; author, reach, sentiment when present): good rows
    are kept, each bad row is named by row and field; a missing sentiment is scored from the text
    offline. 422 when no row is usable (nothing is saved then)."""
    return listening.import_mentions(uow, principal, body)


@router.get("/report")
def get_report(engagement_id: EngagementQuery, uow: UowDep, principal: PrincipalDep) -> ListeningReport:
    """The engagement's mentions: sentiment overall, per platform and per week, the topics most
    mentions use (with the CSV lines behind each), and the most negative and positive mentions."""
    return listening.listening_report(uow, principal, engagement_id)
