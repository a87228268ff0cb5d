"""Proposals (issue 16): a plan's regeneration of a module a person amended, kept beside it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from aicmo.domain.schemas.proposals import ProposalAccept, ProposalDetail, ProposalPublic, ProposalStatus
from aicmo.entrypoints.api.deps import PrincipalDep, UowDep
from aicmo.services import proposals

router = APIRouter(tags=["proposals"])
Id = Annotated[str, Path(max_length=64)]


@router.get("/engagements/{engagement_id}/proposals")
def list_proposals(
    engagement_id: Id,
    uow: UowDep,
    principal: PrincipalDep,
    status: Annotated[ProposalStatus | None, Query()] = None,
) -> list[ProposalPublic]:
    """The engagement's proposals, newest first (`status=open`: those waiting for a decision)."""
    return proposals.list_proposals(uow, principal, engagement_id, status)


@router.get("/proposals/{proposal_id}")
def get_proposal(proposal_id: Id, uow: UowDep, principal: PrincipalDep) -> ProposalDetail:
    """The proposal and its difference from the artifact's current version (Markdown and content)."""
    return proposals.get_proposal(uow, principal, proposal_id)


@router.post("/proposals/{proposal_id}/accept")
def accept_proposal(
    proposal_id: Id, body: ProposalAccept, uow: UowDep, principal: PrincipalDep
) -> ProposalDetail:
    """Take the whole proposal as the artifact's next version, or (`fields`) merge those fields of
    it into the current content as an amendment. 409 when the artifact moved past `expected_version`."""
    return proposals.accept(uow, principal, proposal_id, body)


@router.post("/proposals/{proposal_id}/discard")
def discard_proposal(proposal_id: Id, uow: UowDep, principal: PrincipalDep) -> ProposalDetail:
    """Keep the artifact as it is and close the proposal."""
    return proposals.discard(uow, principal, proposal_id)
