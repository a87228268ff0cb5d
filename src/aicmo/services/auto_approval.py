"""Automatic approval under autonomy assisted or full (SPEC §5): a module whose every part is
written and which passes every quality gate is approved, recorded as the autopilot's doing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aicmo.domain.artifacts import Action, ArtifactStatus, Module
from aicmo.domain.gating import gate_reasons
from aicmo.domain.quality import Finding
from aicmo.domain.schemas.plans import JobStatus
from aicmo.domain.schemas.resources import AutonomyLevel
from aicmo.services import artifacts, module_draft, proposals
from aicmo.services.generation import AUTOPILOT
from aicmo.services.generators.base import GenerationInputs
from aicmo.services.plan_parts import finish_module
from aicmo.services.plans import plan_jobs_of
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import PlanRow


def approve_if_module_done(
    uow: UnitOfWork,
    plan: PlanRow,
    module: Module,
    inputs: GenerationInputs,
    findings: list[Finding] | None = None,
) -> bool:
    """Approve a module's artifact once all its jobs are done and it passes every quality gate
    (also a flagged one whose re-run left it unchanged); never one with an open proposal, which
    waits for a person. `findings`: the gates' verdict when the caller just computed them. True
    when it approved."""
    engagement = uow.engagements.get(plan.engagement_id)
    if engagement is None or engagement.autonomy_level == AutonomyLevel.MANUAL.value:
        return False
    jobs = module_draft.parts_of(plan_jobs_of(uow, plan.id), module.value)
    if any(j.status != JobStatus.COMPLETED.value for j in jobs) or module_draft.unstored(jobs):
        return False
    rows = uow.artifacts.by_engagement(plan.engagement_id)
    row = rows.get(module.value)
    if row is None or row.status in (ArtifactStatus.APPROVED.value, ArtifactStatus.ARCHIVED.value):
        return False
    if proposals.open_for(uow, row.id):
        return False
    if gate_reasons(module, {Module(t): ArtifactStatus(r.status) for t, r in rows.items()}):
        return False
    if findings is None:
        _, _, findings = finish_module(module, row.content, inputs)
    if any(f.severity == "error" for f in findings):
        return False
    artifacts.apply_decision(
        uow,
        AUTOPILOT,
        row,
        Action.AUTO_APPROVE,
        comment=f"autonomy {engagement.autonomy_level}: every quality gate passed",
    )
    return True
