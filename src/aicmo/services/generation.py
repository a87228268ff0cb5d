"""Generation (SPEC §8, §9): approved inputs -> provider -> repair -> quality gates -> a draft version.

Gating is checked against the upstreams actually read; the provider either returns validated
content or fails (PROVIDER_ERROR, nothing stored). Remaining gate findings are reported (PARTIAL),
never hidden. Every run is recorded with its provider, tokens and cost.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta
from threading import Lock
from typing import Any

from pydantic import BaseModel

from aicmo.adapters.db.tables import ArtifactRow, EngagementRow, GenerationRunRow
from aicmo.adapters.llm.base import Provider, ProviderResult, Usage
from aicmo.adapters.llm.offline import OfflineProvider
from aicmo.domain.artifacts import UPSTREAMS, Action, ArtifactStatus, Module
from aicmo.domain.errors import Invalid, ProviderFailed
from aicmo.domain.hashing import content_hash
from aicmo.domain.intake_rules import normalise_intake, validate_intake
from aicmo.domain.metrics import to_record
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
from aicmo.services.generators.base import GenerationInputs, inputs_payload
from aicmo.services.learning import learn_inputs, learned_inputs
from aicmo.services.unit_of_work import UnitOfWork

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
def validate_brief(raw: Any, review_with: Provider | None = None) -> IntakeValidation:
    """The rules' errors and warnings; with `review_with`, also the LLM review's warnings (only
    for a brief without errors: the review reads the parsed brief)."""
    report = validate_intake(raw, today=date.today())
    warnings, review = list(report.warnings), None
    if review_with is not None:
        if report.intake is None or report.errors:
            review = BriefReview(state="skipped", detail="The LLM review waits until the errors are fixed.")
        else:
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


# ---- inputs -----------------------------------------------------------------------------------
def _upstream_closure(module: Module) -> list[Module]:
    seen: list[Module] = []
    stack = list(UPSTREAMS[module])
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.append(current)
            stack.extend(UPSTREAMS[current])
    return seen


def _typed(module: Module, content: dict[str, Any]) -> BaseModel:
    return get_generator(module).output_type.model_validate(content)


@dataclass(frozen=True)
class LoadedInputs:
    inputs: GenerationInputs
    source_versions: dict[str, int]
    inputs_hash: str
    payload: dict[str, Any] = field(default_factory=dict)  # inputs_payload(...), built once


class _InputsCache:
    """Loaded inputs by the exact artifact versions they were read from.

    A plan's jobs read the same approved upstream many times; validating and hashing it once per
    version (content never changes without a new version) keeps each job's own work small.
    """

    def __init__(self, size: int = 128) -> None:
        self._items: OrderedDict[tuple[Any, ...], LoadedInputs] = OrderedDict()
        self._lock = Lock()
        self._size = size

    def get(self, key: tuple[Any, ...]) -> LoadedInputs | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], value: LoadedInputs) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_INPUTS = _InputsCache()


def load_inputs(uow: UnitOfWork, engagement_id: str, module: Module) -> LoadedInputs:
    """The approved intake and upstream content a module generates from (gating already passed)."""
    rows = uow.artifacts.by_engagement(engagement_id)
    needed = [m for m in _upstream_closure(module) if m.value in rows]
    if Module.INTAKE not in needed:
        needed.append(Module.INTAKE)
    intake_row = rows.get(Module.INTAKE.value)
    if intake_row is None:
        raise Invalid("the engagement has no intake", [{"field": "intake", "message": "missing"}])
    extra = _extra_inputs(uow, engagement_id, module)
    key = (
        module.value,
        date.today(),
        *sorted((rows[m.value].id, rows[m.value].version) for m in needed),
        content_hash(extra) if extra else "",
    )
    cached = _INPUTS.get(key)
    if cached is not None:
        return cached
    loaded = inputs_from_contents(
        module,
        {m.value: rows[m.value].content for m in needed},
        {m.value: rows[m.value].version for m in needed},
        extra=extra,
    )
    _INPUTS.put(key, loaded)
    return loaded


def _extra_inputs(uow: UnitOfWork, engagement_id: str, module: Module) -> dict[str, Any]:
    """Inputs besides artifacts: monitoring reads the engagement's imported performance rows, and the
    execution plan what they taught (pillars and formats that perform), so a new import changes their
    inputs (and hash); neither invents a number."""
    if module is Module.MONITORING:
        return {"metrics": [to_record(r) for r in uow.metrics.rows(engagement_id)]}
    if module is Module.EXECUTION:
        return learned_inputs(uow, engagement_id)  # the learning loop: measured posts shape the mix
    if module is Module.LEARN:
        return learn_inputs(uow, engagement_id)
    return {}


def inputs_from_contents(
    module: Module,
    contents: dict[str, dict[str, Any]],
    source_versions: dict[str, int] | None = None,
    *,
    extra: dict[str, Any] | None = None,
) -> LoadedInputs:
    """`module`'s inputs from artifact contents by type: the intake and whichever modules of its
    upstream closure are given. What `load_inputs` reads from the database, and what the runner
    builds ahead from a module assembled in memory (`services.speculation`)."""
    intake = Intake.model_validate(contents[Module.INTAKE.value])
    upstream = {
        m: _typed(m, contents[m.value])
        for m in _upstream_closure(module)
        if m is not Module.INTAKE and m.value in contents
    }
    inputs = GenerationInputs.for_intake(intake, upstream=upstream, extra=extra or {})
    payload = inputs_payload(module, inputs)
    return LoadedInputs(inputs, dict(source_versions or {}), content_hash(payload), payload)


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

    try:
        result: ProviderResult = provider.generate(generator.task(loaded.inputs))
    except ProviderFailed as exc:
        _record_run(
            uow, run_id, engagement, module, None, "FAILED", provider, None, loaded, [], actor, str(exc)
        )
        uow.commit()
        raise
    content = generator.repair(result.output, loaded.inputs)
    inputs = loaded.inputs
    findings = check_quality(module, content, inputs.intake, inputs.window_start, inputs.window_end)
    provenance = Provenance(
        generator=f"aicmo.{module.value}",
        provider=result.provider,
        model=result.model,
        prompt_version=generator.prompt_version,
        run_id=run_id,
        trace_id=current_trace_id(),
    )
    row = artifacts.store_generated(
        uow,
        actor,
        engagement.id,
        module,
        artifacts.NewContent(
            content=content.model_dump(mode="json"),
            content_markdown=generator.render_markdown(content),
            notes=existing.notes if existing else "",
            inputs_hash=loaded.inputs_hash,
            source_versions=loaded.source_versions,
            provenance=provenance,
        ),
        expected_version=request.expected_version,
    )
    auto_approved = False
    if request.auto_approve and not [f for f in findings if f.severity == "error"]:
        artifacts.apply_decision(
            uow,
            f"{AUTOPILOT} (for {actor})",
            row,
            Action.AUTO_APPROVE,
            comment="every quality gate passed",
        )
        auto_approved = True
    artifacts.sync_plan(uow, engagement.id, actor)
    status = "PARTIAL" if any(f.severity == "error" for f in findings) else "SUCCESS"
    _record_run(uow, run_id, engagement, module, row, status, provider, result, loaded, findings, actor, "")
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


def _record_run(
    uow: UnitOfWork,
    run_id: str,
    engagement: EngagementRow,
    module: Module,
    row: ArtifactRow | None,
    status: str,
    provider: Provider,
    result: ProviderResult | None,
    loaded: LoadedInputs,
    findings: list[Finding],
    actor: str,
    error: str,
) -> None:
    usage = result.usage if result else Usage()
    uow.session.add(
        GenerationRunRow(
            id=run_id,
            client_id=engagement.client_id,
            engagement_id=engagement.id,
            module=module.value,
            artifact_id=row.id if row else None,
            version=row.version if row else None,
            status=status,
            provider=result.provider if result else provider.id,
            model=result.model if result else provider.model,
            prompt_version=get_generator(module).prompt_version,
            inputs_hash=loaded.inputs_hash,
            requests=usage.requests,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=usage.cost_usd,
            attempts=result.attempts if result else 0,
            latency_ms=int((result.latency_s if result else 0) * 1000),
            findings=[f.as_dict() for f in findings],
            error=error,
            trace_id=current_trace_id(),
            created_by=actor,
        )
    )
    audit.record(
        uow,
        actor,
        f"generation.{status.lower()}",
        client_id=engagement.client_id,
        engagement_id=engagement.id,
        artifact=row,
        comment=error,
        data={"run_id": run_id, "provider": result.provider if result else provider.id},
    )
