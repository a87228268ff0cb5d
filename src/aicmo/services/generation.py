"""Generation (SPEC §8, §9): approved inputs -> provider -> repair -> quality gates -> a draft version.

Gating is checked against the upstreams actually read; the provider either returns validated
content or fails (PROVIDER_ERROR, nothing stored). Remaining gate findings are reported (PARTIAL),
never hidden. Every run is recorded with its provider, tokens and cost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from aicmo.adapters.llm.base import Provider, ProviderResult, Usage
from aicmo.adapters.llm.offline import OfflineProvider
from aicmo.domain.artifacts import Action, ArtifactStatus, Module
from aicmo.domain.errors import Invalid, ProviderFailed
from aicmo.domain.hashing import content_hash
from aicmo.domain.intake_rules import normalise_intake, validate_intake
from aicmo.domain.provider_calls import CallKind, CallScope, call_scope
from aicmo.domain.quality import Finding, check_quality
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.envelope import Deliverable, Envelope, EnvelopeStatus, ErrorInfo, ErrorType
from aicmo.domain.schemas.generation import BriefReview, GenerateRequest, IntakeIssue, IntakeValidation
from aicmo.domain.schemas.intake import Intake
from aicmo.domain.schemas.resources import Provenance
from aicmo.services import artifacts, audit
from aicmo.services.access import require_write
from aicmo.services.brief_review import review_brief
from aicmo.services.context import current_trace_id, new_id
from aicmo.services.engagements import load_engagement
from aicmo.services.generators import get_generator
from aicmo.services.generators.base import GenerationInputs
from aicmo.services.inputs import LoadedInputs, load_inputs
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ArtifactRow, EngagementRow, GenerationRunRow

AUTOPILOT = "system:autopilot"


@dataclass
class GenerationOutcome:
    """What one generation produced, for the envelope, the pipeline manifest and the runner."""

    module: Module
    run_id: str
    artifact: ArtifactRow | None
    deliverables: list[Deliverable]
    findings: list[Finding]
    provider: str
    model: str
    usage: Usage = field(default_factory=Usage)
    attempts: int = 0
    elapsed_s: float = 0.0
    auto_approved: bool = False
    skipped: bool = False  # the inputs were unchanged: no provider call, no new version

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def envelope(self) -> Envelope:
        status = EnvelopeStatus.PARTIAL if self.errors else EnvelopeStatus.SUCCESS
        meta: dict[str, Any] = {
            "provider": self.provider,
            "model": self.model,
            "artifact_id": self.artifact.id if self.artifact else None,
            "version": self.artifact.version if self.artifact else None,
            "artifact_status": self.artifact.status if self.artifact else None,
            "inputs_hash": self.artifact.inputs_hash if self.artifact else None,
            "findings": [f.as_dict() for f in self.findings],
            "usage": self.usage.model_dump(),
            "attempts": self.attempts,
            "elapsed_ms": round(self.elapsed_s * 1000, 1),
            "auto_approved": self.auto_approved,
            "skipped_unchanged": self.skipped,
        }
        error = None
        if self.errors:
            error = ErrorInfo(
                type=ErrorType.VALIDATION_ERROR,
                message=f"{len(self.errors)} quality finding(s) remain; review before approving",
                details=[f.as_dict() for f in self.errors],
            )
        envelope = Envelope(
            status=status,
            run_id=self.run_id,
            module=self.module.value,
            trace_id=current_trace_id(),
            deliverables=self.deliverables,
            error=error,
        )
        envelope.meta.update(meta)
        return envelope


# ---- brief validation -------------------------------------------------------------------------
def validate_brief(raw: Any, review_with: Provider | None = None, *, actor: str = "") -> IntakeValidation:
    """The rules' errors and warnings; with `review_with`, also the LLM review's warnings (only
    for a brief without errors: the review reads the parsed brief; its call is in the cost ledger
    as a brief review by `actor`)."""
    report = validate_intake(raw, today=date.today())
    warnings, review = list(report.warnings), None
    if review_with is not None:
        if report.intake is None or report.errors:
            review = BriefReview(state="skipped", detail="The LLM review waits until the errors are fixed.")
        else:
            scope = CallScope(CallKind.BRIEF_REVIEW, actor=actor, trace_id=current_trace_id())
            with call_scope(scope):
                remarks, review = review_brief(review_with, report.intake, warnings)
            warnings += remarks
    return IntakeValidation(
        ok=report.ok,
        errors=[IntakeIssue(**i.as_dict()) for i in report.errors],
        warnings=[IntakeIssue(**i.as_dict()) for i in warnings],
        intake=report.intake.model_dump(mode="json") if report.intake else None,
        review=review,
    )


def _parse_brief(raw: Any, engagement: EngagementRow) -> Intake:
    report = validate_intake(raw)
    if report.intake is None or report.errors:
        raise Invalid(
            "the brief has errors: " + ", ".join(sorted({i.field or "brief" for i in report.errors})),
            [i.as_dict() for i in report.errors],
        )
    intake = normalise_intake(report.intake)
    if intake.start_date is None:  # pin the window so inputs (and their hash) do not drift daily
        start = engagement.start_date or _next_monday(date.today())
        intake = intake.model_copy(update={"start_date": start})
    return intake


def _next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


# ---- the use case -----------------------------------------------------------------------------
def generate(
    uow: UnitOfWork,
    provider: Provider,
    principal: Principal | str,
    module: Module,
    request: GenerateRequest,
    *,
    skip_if_unchanged: bool = False,
) -> GenerationOutcome:
    """Generate `module` for an engagement and store it as a new draft version (commits)."""
    actor = principal.actor if isinstance(principal, Principal) else principal
    if isinstance(principal, Principal):
        require_write(principal)
        engagement = load_engagement(uow, principal, request.engagement_id)
    else:
        engagement = uow.engagements.get(request.engagement_id)
        if engagement is None:
            raise Invalid("unknown engagement", [{"field": "engagement_id", "message": "not found"}])
    generator = get_generator(module)
    started = time.perf_counter()
    run_id = new_id("run")

    if module is Module.INTAKE:
        if request.intake is None:
            raise Invalid("the brief is required", [{"field": "intake", "message": "intake is required"}])
        intake = _parse_brief(request.intake, engagement)
        loaded = LoadedInputs(
            GenerationInputs.for_intake(intake), {}, content_hash(intake.model_dump(mode="json"))
        )
        provider = OfflineProvider()
    else:
        if request.intake is not None:
            raise Invalid(
                "only the intake module takes a brief", [{"field": "intake", "message": "not allowed here"}]
            )
        artifacts.require_gates(uow, engagement.id, module, doing="generated")
        loaded = load_inputs(uow, engagement.id, module)
        if not getattr(generator, "uses_llm", True):
            provider = OfflineProvider()

    existing = uow.artifacts.by_engagement(engagement.id).get(module.value)
    if (
        skip_if_unchanged
        and existing is not None
        and existing.inputs_hash == loaded.inputs_hash
        and existing.status != ArtifactStatus.ARCHIVED.value
    ):
        return GenerationOutcome(
            module,
            run_id,
            existing,
            [],
            [],
            provider.id,
            provider.model,
            skipped=True,
            elapsed_s=time.perf_counter() - started,
        )

    scope = CallScope(
        CallKind.GENERATE, engagement.client_id, engagement.id, actor=actor, trace_id=current_trace_id()
    )
    try:
        with call_scope(scope):
            result: ProviderResult = provider.generate(generator.task(loaded.inputs))
    except ProviderFailed as exc:
        record_run(
            uow, run_id, engagement, module, loaded.inputs_hash, actor, provider=provider, error=str(exc)
        )
        audit_run(uow, actor, engagement, None, run_id, "FAILED", provider.id, str(exc))
        uow.commit()
        raise
    content = generator.repair(result.output, loaded.inputs)
    inputs = loaded.inputs
    findings = check_quality(module, content, inputs.intake, inputs.window_start, inputs.window_end)
    made = Made(
        module,
        content.model_dump(mode="json"),
        findings,
        loaded,
        result.provider,
        result.model,
    )
    row = store_generation(uow, actor, engagement, made, run_id, expected_version=request.expected_version)
    record_run(uow, run_id, engagement, module, loaded.inputs_hash, actor, result=result, made=(row, made))
    auto_approved = False
    if request.auto_approve and not made.errors:
        artifacts.apply_decision(
            uow,
            f"{AUTOPILOT} (for {actor})",
            row,
            Action.AUTO_APPROVE,
            comment="every quality gate passed",
        )
        auto_approved = True
    artifacts.sync_plan(uow, engagement.id, actor)
    uow.commit()
    return GenerationOutcome(
        module=module,
        run_id=run_id,
        artifact=row,
        deliverables=generator.deliverables(content),
        findings=findings,
        provider=result.provider,
        model=result.model,
        usage=result.usage,
        attempts=result.attempts,
        elapsed_s=time.perf_counter() - started,
        auto_approved=auto_approved,
    )


# ---- storing a generation (the route and the plan's jobs alike) --------------------------------
@dataclass(frozen=True)
class Made:
    """A module's content as a provider made it, repaired and gate-checked, ready to store."""

    module: Module
    content: dict[str, Any]  # the Markdown is rendered from it when it is stored
    findings: list[Finding]
    loaded: LoadedInputs
    provider: str
    model: str

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def status(self) -> str:
        return "PARTIAL" if self.errors else "SUCCESS"

    def provenance(self, run_id: str) -> Provenance:
        return Provenance(
            generator=f"aicmo.{self.module.value}",
            provider=self.provider,
            model=self.model,
            prompt_version=get_generator(self.module).prompt_version,
            run_id=run_id,
            trace_id=current_trace_id(),
        )

    def new_content(self, run_id: str, notes: str = "") -> artifacts.NewContent:
        return artifacts.NewContent(
            content=self.content,
            notes=notes,
            inputs_hash=self.loaded.inputs_hash,
            source_versions=self.loaded.source_versions,
            provenance=self.provenance(run_id),
        )


def store_generation(
    uow: UnitOfWork,
    actor: str,
    engagement: EngagementRow,
    made: Made,
    run_id: str,
    *,
    expected_version: int | None = None,
) -> ArtifactRow:
    """Store `made` as the module's new draft version with its provenance, and record the
    generation in the audit trail. The one way a generation becomes a version: the generate route
    and the plan's jobs both come here. No commit."""
    existing = uow.artifacts.by_engagement(engagement.id).get(made.module.value)
    row = artifacts.store_generated(
        uow,
        actor,
        engagement.id,
        made.module,
        made.new_content(run_id, existing.notes if existing else ""),
        expected_version=expected_version,
    )
    audit_run(uow, actor, engagement, row, run_id, made.status, made.provider, "")
    return row


def audit_run(
    uow: UnitOfWork,
    actor: str,
    engagement: EngagementRow,
    row: ArtifactRow | None,
    run_id: str,
    status: str,
    provider: str,
    error: str,
) -> None:
    audit.record(
        uow,
        actor,
        f"generation.{status.lower()}",
        client_id=engagement.client_id,
        engagement_id=engagement.id,
        artifact=row,
        comment=error,
        data={"run_id": run_id, "provider": provider},
    )


def record_run(
    uow: UnitOfWork,
    run_id: str,
    engagement: EngagementRow,
    module: Module,
    inputs_hash: str,
    actor: str,
    *,
    result: ProviderResult[Any] | None = None,
    provider: Provider | None = None,
    made: tuple[ArtifactRow, Made] | None = None,
    error: str = "",
) -> GenerationRunRow:
    """One provider call in the cost ledger: who asked, which provider answered, tokens, cost;
    with `made`, the version it produced and the gates' findings. No commit."""
    usage = result.usage if result else Usage()
    row, output = made if made else (None, None)
    return uow.runs.create(
        id=run_id,
        client_id=engagement.client_id,
        engagement_id=engagement.id,
        module=module.value,
        artifact_id=row.id if row else None,
        version=row.version if row else None,
        status="FAILED" if error else (output.status if output else "SUCCESS"),
        provider=result.provider if result else (provider.id if provider else ""),
        model=result.model if result else (provider.model if provider else ""),
        prompt_version=get_generator(module).prompt_version,
        inputs_hash=inputs_hash,
        requests=usage.requests,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cost_usd=usage.cost_usd,
        attempts=result.attempts if result else 0,
        latency_ms=int((result.latency_s if result else 0) * 1000),
        findings=[f.as_dict() for f in output.findings] if output else [],
        error=error,
        trace_id=current_trace_id(),
        created_by=actor,
    )
