"""A module's working draft in a plan run (issue 16): one version per module per run.

Each job of a module keeps the part it wrote on its own row (`PlanJobRow.output`); nothing is
written to the artifact while parts are missing. The draft is the module's current content with
its jobs' parts merged in plan order; the job that writes the last part assembles it, finishes it
(repair, quality gates, Markdown) and stores it once - as the module's next version through the
one generation path (`generation.store_generation`), or, when a person amended the module since
it was last generated, as a proposal beside it (`services.proposals`): a plan never overwrites
a person's edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.quality import Finding
from aicmo.services import generation, proposals
from aicmo.services.inputs import LoadedInputs
from aicmo.services.plan_parts import Window, finish_module, merge_part
from aicmo.services.plans import job_spec
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ArtifactRow, EngagementRow, PlanJobRow, ProposalRow


def parts_of(jobs: Iterable[PlanJobRow], module: str) -> list[PlanJobRow]:
    """The jobs that write `module`'s parts (enabled generate jobs), in plan order."""
    return [j for j in jobs if j.module == module and j.enabled and j.kind == "generate"]


def has_written(job: PlanJobRow) -> bool:
    """The job wrote its part in some run (`artifact_version`: before parts were kept on jobs)."""
    return job.output is not None or job.artifact_version is not None


def unstored(jobs: Iterable[PlanJobRow]) -> bool:
    """Some part written in this run is in no version or proposal yet (the module must be stored)."""
    return any(j.output is not None and j.artifact_version is None for j in jobs)


def draft(base: dict[str, Any], jobs: Sequence[PlanJobRow], window: Window) -> dict[str, Any]:
    """`base` (the module's current content) with the parts of `jobs` merged in plan order."""
    content = dict(base)
    for job in sorted(jobs, key=lambda j: j.position):
        if job.output is not None:
            spec = job_spec(job)
            content = merge_part(content, job.output, spec.content_fields, spec.scope, window)
    return content


@dataclass
class ModuleWrite:
    """What the last part of a module led to: a new version, a proposal, or nothing new."""

    row: ArtifactRow | None
    findings: list[Finding] = field(default_factory=list)
    proposal: ProposalRow | None = None

    @property
    def note(self) -> str:
        errors = [f for f in self.findings if f.severity == "error"]
        if self.proposal is not None:
            return (
                f"{self.proposal.type} has a person's edits: kept as they are; the regenerated module "
                f"is proposal {self.proposal.id} to accept, merge or discard"
            )
        return f"{len(errors)} quality finding(s) to review" if errors else ""


def write_module(
    uow: UnitOfWork,
    engagement: EngagementRow,
    module: Module,
    jobs: Sequence[PlanJobRow],
    loaded: LoadedInputs,
    *,
    run_id: str,
    provider: str,
    model: str,
    actor: str,
) -> ModuleWrite:
    """Assemble, finish and store the module whose every part is written (no commit)."""
    own = uow.artifacts.by_engagement(engagement.id).get(module.value)
    window = (loaded.inputs.window_start, loaded.inputs.window_end)
    content = draft(own.content if own else {}, jobs, window)
    content, _, findings = finish_module(module, content, loaded.inputs)
    made = generation.Made(module, content, findings, loaded, provider, model)
    live = own is not None and own.status != ArtifactStatus.ARCHIVED.value
    if own is not None and live and own.content == content:
        return ModuleWrite(own, findings)
    if own is not None and live and proposals.has_amendments(uow, own):
        proposal = proposals.propose(uow, actor, own, made.new_content(run_id, own.notes), findings)
        return ModuleWrite(None, findings, proposal)
    return ModuleWrite(generation.store_generation(uow, actor, engagement, made, run_id), findings)
