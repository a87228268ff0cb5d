"""The delivery manifest, its checks, and export records as the API shows them (SPEC §1 tab 8).

`export.py` holds what the renderers read (ExportPackage) and the ZIP's manifest.json; this module
holds what the Delivery tab and the API exchange about a delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, computed_field

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.schemas.common import Strict
from aicmo.domain.schemas.intake import OutputFormat
from aicmo.domain.schemas.resources import Provenance


class ExportFormat(StrEnum):
    PDF = "PDF"
    PPTX = "PPTX"
    ZIP = "ZIP"
    MD = "MD"
    JSON = "JSON"


class ArtifactFormat(StrEnum):
    """Per-artifact downloads (SPEC §2.5)."""

    MD = "md"
    JSON = "json"


@dataclass(frozen=True)
class FormatSpec:
    """How one export format is stored and served."""

    extension: str
    media_type: str
    kind: str  # the word in the file name: acme-report-20261204-120000.pdf


FORMATS: dict[ExportFormat, FormatSpec] = {
    ExportFormat.PDF: FormatSpec("pdf", "application/pdf", "report"),
    ExportFormat.PPTX: FormatSpec(
        "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "deck"
    ),
    ExportFormat.ZIP: FormatSpec("zip", "application/zip", "assets"),
    ExportFormat.MD: FormatSpec("md", "text/markdown; charset=utf-8", "artifacts"),
    ExportFormat.JSON: FormatSpec("json", "application/json", "package"),
}
"""The one formats table; the exporter of each is `services.export_render.EXPORTERS`."""


def media_type(fmt: ExportFormat | str) -> str:
    return FORMATS[ExportFormat(fmt)].media_type


class CheckPublic(BaseModel):
    name: str
    title: str
    passed: bool
    reasons: list[str] = Field(description="One named reason per problem; empty when the check passes.")


class ManifestEntry(BaseModel):
    """One artifact of the engagement and whether (and as which version) it goes into the delivery."""

    type: Module
    id: str
    version: int
    status: ArtifactStatus
    included: bool
    note: str = ""
    approved_by: str | None = None
    approved_at: datetime | None = None
    inputs_hash: str = ""
    source_versions: dict[str, int] = Field(default_factory=dict)
    provenance: Provenance = Field(default_factory=Provenance)
    content_sha256: str = Field(description="sha256 of the version's content and Markdown.")


class OutputStatus(BaseModel):
    """One export format: whether the brief asks for it and whether the latest export is current."""

    format: ExportFormat
    required: bool
    latest_export_id: str | None = None
    latest_at: datetime | None = None
    current: bool = Field(description="The latest export was made from exactly the current approved content.")


class DeliveryManifest(BaseModel):
    engagement_id: str
    client_id: str
    client_name: str
    engagement_name: str
    period_start: date
    period_end: date
    timezone: str
    required_outputs: list[OutputFormat]
    artifacts: list[ManifestEntry]
    checks: list[CheckPublic]
    ready: bool
    reasons: list[str] = Field(description="Every failing check's reasons, in check order.")
    content_hash: str = Field(
        description="sha256 over the included artifact versions and the outputs asked for."
    )
    outputs: list[OutputStatus]
    generated_at: datetime


class ExportCreate(Strict):
    format: ExportFormat


class ExportPublic(BaseModel):
    id: str
    client_id: str
    engagement_id: str
    format: ExportFormat
    filename: str
    media_type: str
    bytes: int
    sha256: str
    content_hash: str = Field(description="The delivery manifest's content hash when it was exported.")
    artifact_versions: dict[str, int] = Field(description="Artifact type -> the version delivered.")
    created_by: str
    created_at: datetime
    download_path: str
    superseded_by: str | None = Field(
        default=None, description="The newer export of the same format that replaces this one, if any"
    )

    @computed_field(description="A newer export of the same format exists: send that one instead")  # type: ignore[prop-decorator]
    @property
    def superseded(self) -> bool:
        return self.superseded_by is not None
