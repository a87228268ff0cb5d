"""Assess one engagement for delivery: which artifact versions go in, the checks, the content hash,
and the ExportPackage the renderers read. Reads only; never writes or commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.delivery import (
    CHECK_TITLES,
    DELIVERED,
    Check,
    DeliveryReason,
    approval_reasons,
    finding_reasons,
    freshness_reasons,
    included_modules,
    left_out_note,
    schema_reason,
)
from aicmo.domain.hashing import content_hash
from aicmo.domain.metrics import MetricRow, to_record
from aicmo.domain.modules import MODULES
from aicmo.domain.quality import check_quality
from aicmo.domain.schemas.export import ExportArtifact, ExportPackage
from aicmo.domain.schemas.exports import CheckPublic, DeliveryManifest, ManifestEntry, OutputStatus
from aicmo.domain.schemas.intake import Intake, OutputFormat
from aicmo.domain.schemas.resources import Provenance
from aicmo.domain.staleness import ArtifactState, StaleCause
from aicmo.services.artifact_content import version_markdown
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ArtifactRow, EngagementRow


def artifact_sha256(row: ArtifactRow) -> str:
    """What a delivered version is: its content and notes (its Markdown is rendered from them)."""
    return content_hash({"content": row.content, "notes": row.notes})


@dataclass
class Assessment:
    """An engagement's delivery state at one moment: build the manifest or the package from it."""

    engagement: EngagementRow
    client_name: str
    rows: dict[Module, ArtifactRow]
    included: list[Module]
    intake: Intake | None
    period: tuple[date, date]
    reasons: dict[Check, list[DeliveryReason]]
    content_hash: str
    metric_rows: list[MetricRow] = field(default_factory=list)
    assessed_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def failures(self) -> list[DeliveryReason]:
        return [reason for check in Check for reason in self.reasons.get(check, [])]

    @property
    def ready(self) -> bool:
        return not self.failures

    @property
    def required_outputs(self) -> list[OutputFormat]:
        return list(dict.fromkeys(self.intake.required_outputs)) if self.intake else []

    @property
    def artifact_versions(self) -> dict[str, int]:
        return {m.value: self.rows[m].version for m in self.included}

    def manifest(self, outputs: list[OutputStatus]) -> DeliveryManifest:
        entries = []
        for module in DELIVERED:
            row = self.rows.get(module)
            if row is None:
                continue
            included = module in self.included
            note = "" if included else left_out_note(module, ArtifactStatus(row.status))
            entries.append(
                ManifestEntry(
                    type=module,
                    id=row.id,
                    version=row.version,
                    status=ArtifactStatus(row.status),
                    included=included,
                    note=note,
                    approved_by=row.approved_by,
                    approved_at=row.approved_at,
                    inputs_hash=row.inputs_hash,
                    source_versions=dict(row.source_versions or {}),
                    provenance=Provenance.model_validate(row.provenance or {}),
                    content_sha256=artifact_sha256(row),
                )
            )
        checks = [
            CheckPublic(
                name=check.value,
                title=CHECK_TITLES[check],
                passed=not self.reasons.get(check),
                reasons=[str(r) for r in self.reasons.get(check, [])],
            )
            for check in Check
        ]
        return DeliveryManifest(
            engagement_id=self.engagement.id,
            client_id=self.engagement.client_id,
            client_name=self.client_name,
            engagement_name=self.engagement.name,
            period_start=self.period[0],
            period_end=self.period[1],
            timezone=self.intake.timezone if self.intake else "UTC",
            required_outputs=self.required_outputs,
            artifacts=entries,
            checks=checks,
            ready=self.ready,
            reasons=[str(r) for r in self.failures],
            content_hash=self.content_hash,
            outputs=outputs,
            generated_at=self.assessed_at,
        )

    def package(self, *, generated_at: datetime | None = None) -> ExportPackage:
        """What the renderers read: the included versions (operator notes stay in-house)."""
        artifacts = [as_export_artifact(module, self.rows[module]) for module in self.included]
        intake = self.intake
        return ExportPackage(
            client_name=self.client_name,
            engagement_name=self.engagement.name,
            period_start=self.period[0],
            period_end=self.period[1],
            timezone=intake.timezone if intake else "UTC",
            brand_colors=list(intake.brand_colors) if intake else [],
            required_outputs=self.required_outputs,
            artifacts=artifacts,
            metrics=self._metrics(),
            generated_at=generated_at or self.assessed_at,
        )

    def _metrics(self) -> list[dict[str, Any]]:
        """The imported rows the included monitoring version reports on (its period), for charts."""
        return [to_record(r) for r in self.metric_rows] if Module.MONITORING in self.included else []


def as_export_artifact(module: Module, row: ArtifactRow) -> ExportArtifact:
    return ExportArtifact(
        type=module,
        id=row.id,
        version=row.version,
        status=ArtifactStatus(row.status),
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        content=row.content,
        content_markdown=version_markdown(module, row),
        provenance=Provenance.model_validate(row.provenance or {}),
        inputs_hash=row.inputs_hash,
        source_versions=dict(row.source_versions or {}),
    )


def delivery_period(engagement: EngagementRow, intake: Intake | None) -> tuple[date, date]:
    """The campaign window: the brief's start and length, else the engagement's."""
    start = (intake.start_date if intake else None) or engagement.start_date or engagement.created_at.date()
    weeks = intake.duration_weeks if intake else engagement.duration_weeks
    return start, start + timedelta(weeks=max(1, weeks)) - timedelta(days=1)


def read_intake(rows: dict[Module, ArtifactRow]) -> Intake | None:
    row = rows.get(Module.INTAKE)
    if row is None:
        return None
    typed, _ = _typed(Module.INTAKE, row)
    return typed if isinstance(typed, Intake) else None


def _typed(module: Module, row: ArtifactRow) -> tuple[BaseModel | None, DeliveryReason | None]:
    model = MODULES[module].content
    try:
        return model.model_validate(row.content), None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "content"
        problem = f"{exc.error_count()} problem(s), first {where}: {first.get('msg', 'invalid')}"
        return None, schema_reason(module, model.__name__, problem)


def assess(uow: UnitOfWork, engagement: EngagementRow, client_name: str) -> Assessment:
    """Assess `engagement` now. `client_name` is the fallback when there is no readable brief."""
    all_rows = uow.artifacts.by_engagement(engagement.id)
    rows = {m: all_rows[m.value] for m in DELIVERED if m.value in all_rows}
    statuses = {m: ArtifactStatus(r.status) for m, r in rows.items()}
    included = included_modules(statuses)
    reasons: dict[Check, list[DeliveryReason]] = {check: [] for check in Check}
    reasons[Check.APPROVED] = approval_reasons(statuses)
    states = {
        Module(t): ArtifactState(
            version=r.version,
            status=ArtifactStatus(r.status),
            source_versions=r.source_versions or {},
            causes=tuple(StaleCause.from_dict(c) for c in r.stale_causes or []),
        )
        for t, r in all_rows.items()
    }
    reasons[Check.FRESH] = freshness_reasons(states, included)

    intake: Intake | None = None
    if Module.INTAKE in rows:
        typed, problem = _typed(Module.INTAKE, rows[Module.INTAKE])
        intake = typed if isinstance(typed, Intake) else None
        if problem:
            reasons[problem.check].append(problem)
    period = delivery_period(engagement, intake)
    for module in included:
        if module is Module.INTAKE:
            continue
        content, problem = _typed(module, rows[module])
        if problem:
            reasons[problem.check].append(problem)
        if content is None or intake is None:
            continue
        for reason in finding_reasons(module, check_quality(module, content, intake, *period)):
            reasons[reason.check].append(reason)

    outputs = list(dict.fromkeys(intake.required_outputs)) if intake else []
    digest = content_hash(
        {
            "artifacts": [[m.value, rows[m].id, rows[m].version, artifact_sha256(rows[m])] for m in included],
            "outputs": [o.value for o in outputs],
        }
    )
    return Assessment(
        metric_rows=_reported_rows(uow, engagement.id, rows.get(Module.MONITORING)),
        engagement=engagement,
        client_name=intake.client_name if intake else client_name,
        rows=rows,
        included=included,
        intake=intake,
        period=period,
        reasons=reasons,
        content_hash=digest,
    )


def _reported_rows(uow: UnitOfWork, engagement_id: str, monitoring: ArtifactRow | None) -> list[MetricRow]:
    """Imported rows inside the period a monitoring version reports on ([] when it reports none)."""
    content = monitoring.content if monitoring is not None else {}
    if content.get("data_status") != "imported":
        return []
    first, last = str(content.get("period_start", "")), str(content.get("period_end", ""))
    return [r for r in uow.metrics.rows(engagement_id) if first <= r.date.isoformat() <= last]
