"""Operator views (SPEC §7): the projects pipeline."""

from __future__ import annotations

from fastapi import APIRouter

from aicmo.domain.schemas.projects import Pipeline
from aicmo.entrypoints.api.deps import PrincipalDep, UowDep
from aicmo.services import projects

router = APIRouter(tags=["projects"])


@router.get("/projects")
def get_pipeline(uow: UowDep, principal: PrincipalDep) -> Pipeline:
    """Every live engagement the caller may see: its stage (the first delivery step not approved yet),
    artifact statuses, and lead, campaign and performance-data counts."""
    return projects.pipeline(uow, principal)
