"""Delivery use cases (SPEC §1 tab 8, §2.5, §4): the manifest, exports, downloads.

An export is refused with one named reason per failing check (Gated -> 409 GATING_ERROR). A made
export is stored with the file, its sha256, the manifest of the artifact versions it was built
from and who made it; the audit trail records it too.

Files are kept in the database (`exports.data`), not in a folder: the plan's export jobs run on
whichever worker takes them and commit with the job (`store_export` gets only the caller's unit
of work), while the download may be served by an API on another host. A blob is visible to both
with no shared volume, and a rolled-back job leaves no orphan file behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aicmo.adapters.exporters.markdown import artifact_json, artifact_markdown
from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.delivery import refusal_message
from aicmo.domain.errors import Gated, Invalid, JobCannotRun, NotFound
from aicmo.domain.gating import GateReason
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.exports import (
    ArtifactFormat,
    DeliveryManifest,
    ExportFormat,
    ExportPublic,
    OutputStatus,
    media_type,
)
from aicmo.services import audit
from aicmo.services.access import require_write
from aicmo.services.artifacts import load_artifact
from aicmo.services.context import new_id
from aicmo.services.delivery_manifest import Assessment, as_export_artifact, assess
from aicmo.services.engagements import load_engagement
from aicmo.services.export_render import export_filename, render, slug
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import EngagementRow, ExportRow

DOCUMENT_FORMATS = (ExportFormat.PDF, ExportFormat.PPTX, ExportFormat.ZIP)


@dataclass(frozen=True)
class ExportFile:
    """A file ready to send: what the download routes and the CLI write out."""

    filename: str
    media_type: str
    data: bytes
    sha256: str = ""


def newest_by_format(uow: UnitOfWork, engagement_id: str) -> dict[str, str]:
    """The id of the engagement's newest export of each format: every older one is superseded."""
    return {
        fmt.value: row.id for fmt in ExportFormat if (row := uow.exports.latest(engagement_id, fmt.value))
    }


def to_public(row: ExportRow, newest: Mapping[str, str] | None = None) -> ExportPublic:
    """`newest` (from `newest_by_format`) marks an older export superseded by the newest one."""
    latest = (newest or {}).get(row.format)
    return ExportPublic(
        id=row.id,
        client_id=row.client_id,
        engagement_id=row.engagement_id,
        format=ExportFormat(row.format),
        filename=row.filename,
        media_type=media_type(row.format),
        bytes=row.size_bytes,
        sha256=row.sha256,
        content_hash=row.content_hash,
        artifact_versions={
            a["type"]: a["version"] for a in (row.manifest or {}).get("artifacts", []) if a.get("included")
        },
        created_by=row.created_by,
        created_at=row.created_at,
        download_path=f"/api/v1/exports/{row.id}/download",
        superseded_by=latest if latest and latest != row.id else None,
    )


# ---- the manifest ------------------------------------------------------------------------------
def assess_engagement(uow: UnitOfWork, engagement: EngagementRow) -> Assessment:
    client = uow.clients.get(engagement.client_id)
    return assess(uow, engagement, client.name if client else engagement.name)


def _outputs(uow: UnitOfWork, assessment: Assessment) -> list[OutputStatus]:
    required = {o.value for o in assessment.required_outputs}
    statuses = []
    for fmt in ExportFormat:
        latest = uow.exports.latest(assessment.engagement.id, fmt.value)
        statuses.append(
            OutputStatus(
                format=fmt,
                required=fmt.value in required,
                latest_export_id=latest.id if latest else None,
                latest_at=latest.created_at if latest else None,
                current=latest is not None and latest.content_hash == assessment.content_hash,
            )
        )
    return statuses


def delivery_manifest(uow: UnitOfWork, principal: Principal, engagement_id: str) -> DeliveryManifest:
    """The manifest and every check, passing or not (a refusal is data here, never an error)."""
    engagement = load_engagement(uow, principal, engagement_id)
    assessment = assess_engagement(uow, engagement)
    return assessment.manifest(_outputs(uow, assessment))


# ---- making exports ----------------------------------------------------------------------------
def _reusable(uow: UnitOfWork, engagement_id: str, fmt: ExportFormat, content_hash: str) -> bytes | None:
    """A stored PDF or deck made from exactly this content: the ZIP bundles the very same file."""
    row = uow.exports.latest(engagement_id, fmt.value, content_hash=content_hash)
    return row.data if row else None  # a deferred column: loaded on access


@dataclass(frozen=True)
class RenderedExport:
    """A rendered export, not stored yet: rendering reads only (it may take seconds), storing is a
    short write (a plan's export job commits it with the job's completion)."""

    engagement_id: str
    client_id: str
    format: ExportFormat
    filename: str
    data: bytes
    sha256: str
    content_hash: str
    manifest: dict[str, Any]
    artifact_versions: dict[str, int]
    created_at: datetime


def render_export(
    uow: UnitOfWork, engagement: EngagementRow, fmt: ExportFormat, *, now: datetime | None = None
) -> RenderedExport:
    """Check and render one export; reads only (Gated names each failing check)."""
    assessment = assess_engagement(uow, engagement)
    if not assessment.ready:
        failures = assessment.failures
        raise Gated(refusal_message(failures), [r.as_dict() for r in failures])
    when = now or datetime.now(UTC)
    manifest = assessment.manifest(_outputs(uow, assessment))
    reuse: dict[str, Any] = {}
    if fmt is ExportFormat.ZIP:
        reuse = {
            "pdf": _reusable(uow, engagement.id, ExportFormat.PDF, assessment.content_hash),
            "pptx": _reusable(uow, engagement.id, ExportFormat.PPTX, assessment.content_hash),
        }
    rendered = render(fmt, assessment.package(generated_at=when), manifest, **reuse)
    stored_manifest = manifest.model_dump(mode="json")
    if rendered.files:
        stored_manifest["files"] = rendered.files
    return RenderedExport(
        engagement_id=engagement.id,
        client_id=engagement.client_id,
        format=fmt,
        filename=export_filename(assessment.client_name, fmt, when),
        data=rendered.data,
        sha256=hashlib.sha256(rendered.data).hexdigest(),
        content_hash=assessment.content_hash,
        manifest=stored_manifest,
        artifact_versions=dict(assessment.artifact_versions),
        created_at=when,
    )


def store_export(uow: UnitOfWork, rendered: RenderedExport, actor: str) -> ExportRow:
    """Store a rendered export and record it in the audit trail. Does not commit."""
    row = uow.exports.create(
        id=new_id("ex"),
        client_id=rendered.client_id,
        engagement_id=rendered.engagement_id,
        format=rendered.format.value,
        filename=rendered.filename,
        size_bytes=len(rendered.data),
        sha256=rendered.sha256,
        content_hash=rendered.content_hash,
        manifest=rendered.manifest,
        data=rendered.data,
        created_by=actor,
        created_at=rendered.created_at,
    )
    uow.flush()
    audit.record(
        uow,
        actor,
        "export.create",
        client_id=rendered.client_id,
        engagement_id=rendered.engagement_id,
        comment=f"{rendered.format.value} {row.filename}",
        data={
            "export_id": row.id,
            "format": rendered.format.value,
            "sha256": rendered.sha256,
            "content_hash": rendered.content_hash,
            "artifact_versions": rendered.artifact_versions,
        },
    )
    return row


def produce_export(
    uow: UnitOfWork, engagement: EngagementRow, fmt: ExportFormat, actor: str, *, now: datetime | None = None
) -> ExportRow:
    """Check, render and store one export, recording it in the audit trail. Does not commit."""
    return store_export(uow, render_export(uow, engagement, fmt, now=now), actor)


def create_export(
    uow: UnitOfWork, principal: Principal, engagement_id: str, fmt: ExportFormat
) -> ExportPublic:
    require_write(principal)
    engagement = load_engagement(uow, principal, engagement_id)
    row = produce_export(uow, engagement, fmt, principal.actor)
    uow.commit()
    return to_public(row)


def render_export_job(uow: UnitOfWork, engagement_id: str, fmt: str) -> RenderedExport:
    """The plan's delivery jobs ("PDF", "PPTX", "ZIP"): render, reading only; the runner stores
    the result with `store_export` in the short transaction that completes the job. A refused
    delivery fails the job at once with the named reasons: retrying cannot approve an artifact.
    """
    engagement = uow.engagements.get(engagement_id)
    if engagement is None:
        raise NotFound(f"engagement {engagement_id} not found")
    try:
        chosen = ExportFormat(fmt.strip().upper())
    except ValueError as exc:
        raise JobCannotRun(f"unknown export format {fmt!r} (use PDF, PPTX or ZIP)") from exc
    try:
        return render_export(uow, engagement, chosen)
    except Gated as exc:
        raise JobCannotRun(exc.message) from exc


def run_export_job(uow: UnitOfWork, engagement_id: str, fmt: str, actor: str) -> None:
    """Render and store one delivery export in the caller's unit of work (the caller commits)."""
    store_export(uow, render_export_job(uow, engagement_id, fmt), actor)


# ---- reading and downloading -------------------------------------------------------------------
def list_exports(
    uow: UnitOfWork, principal: Principal, engagement_id: str, *, limit: int = 50, offset: int = 0
) -> Page[ExportPublic]:
    load_engagement(uow, principal, engagement_id)
    rows, count = uow.exports.for_engagement(engagement_id, limit=limit, offset=offset)
    newest = newest_by_format(uow, engagement_id)
    return Page[ExportPublic](data=[to_public(r, newest) for r in rows], count=count)


def load_export(
    uow: UnitOfWork, principal: Principal, export_id: str, *, with_data: bool = False
) -> ExportRow:
    row = uow.exports.get(export_id, with_data=with_data)
    if row is None or not principal.can_read_client(row.client_id):
        raise NotFound(f"export {export_id} not found")
    return row


def export_file(row: ExportRow) -> ExportFile:
    return ExportFile(row.filename, media_type(row.format), row.data, row.sha256)


def download_export(uow: UnitOfWork, principal: Principal, export_id: str) -> ExportFile:
    return export_file(load_export(uow, principal, export_id, with_data=True))


def export_artifact(
    uow: UnitOfWork, principal: Principal, artifact_id: str, fmt: ArtifactFormat
) -> ExportFile:
    """One approved artifact as Markdown or JSON (SPEC §2.5); any other status is refused, named."""
    row = load_artifact(uow, principal, artifact_id)
    status = ArtifactStatus(row.status)
    if status is not ArtifactStatus.APPROVED:
        reason = GateReason(Module(row.type), status)
        raise Gated(
            f"only an approved artifact can be exported: {reason}",
            [{"artifact_id": row.id, "version": row.version, "reason": str(reason)}],
        )
    intake = uow.artifacts.by_engagement(row.engagement_id).get(Module.INTAKE.value)
    client = uow.clients.get(row.client_id)
    client_name = str(
        (intake.content if intake else {}).get("client_name") or (client.name if client else "")
    )
    artifact = as_export_artifact(Module(row.type), row)
    stem = f"{slug(client_name)}-{row.type}-v{row.version}"
    if fmt is ArtifactFormat.MD:
        data = artifact_markdown(artifact, client_name=client_name).encode("utf-8")
        return ExportFile(f"{stem}.md", media_type(ExportFormat.MD), data)
    return ExportFile(f"{stem}.json", media_type(ExportFormat.JSON), artifact_json(artifact))


# ---- the pipeline ------------------------------------------------------------------------------
def copy_exports(uow: UnitOfWork, engagement_id: str, out_dir: Path) -> list[dict[str, Any]]:
    """Write the newest export of each format made for the engagement into `out_dir`."""
    written = []
    for fmt in ExportFormat:
        row = uow.exports.latest(engagement_id, fmt.value)
        if row is None:
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / row.filename).write_bytes(row.data)
        written.append(
            {
                "format": fmt.value,
                "file": row.filename,
                "export_id": row.id,
                "bytes": row.size_bytes,
                "sha256": row.sha256,
                "created_by": row.created_by,
            }
        )
    return written


def parse_format(value: str) -> ExportFormat:
    """'pdf' or 'PDF' -> ExportFormat.PDF; anything else is Invalid naming the choices."""
    try:
        return ExportFormat(value.strip().upper())
    except ValueError as exc:
        choices = ", ".join(f.value.lower() for f in ExportFormat)
        raise Invalid(
            f"unknown format {value!r}", [{"field": "format", "message": f"use {choices}"}]
        ) from exc
