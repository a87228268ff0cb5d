"""What the exporters read and what the asset bundle declares (SPEC §1 tab 8, §4).

`ExportPackage` is an in-memory snapshot of one engagement's artifacts: the renderers (PDF, PPTX,
ZIP, Markdown, JSON) are pure functions of it and never touch a database. `ExportManifest` is the
`manifest.json` written into the ZIP: which artifact versions went in and a hash of every file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator, model_validator

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.schemas.creatives import Creatives
from aicmo.domain.schemas.delivery import DeliverySummary
from aicmo.domain.schemas.execution import Execution
from aicmo.domain.schemas.intake import Intake, OutputFormat
from aicmo.domain.schemas.resources import Provenance
from aicmo.domain.schemas.strategy import Strategy

M = TypeVar("M", bound=BaseModel)


def normalise_hex(value: str) -> str:
    """'#abc' or 'AABBCC' -> '#AABBCC'; anything else is a ValueError naming the value."""
    text = value.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in text):
        raise ValueError(f"{value!r} is not a hex colour such as #1F3A5F")
    return f"#{text.upper()}"


class ExportArtifact(BaseModel):
    """One artifact version as it goes into a deliverable."""

    type: Module
    id: str
    version: int = Field(ge=1)
    status: ArtifactStatus
    approved_by: str | None = None
    approved_at: datetime | None = None
    content: dict[str, Any] = Field(default_factory=dict)
    content_markdown: str = ""
    provenance: Provenance = Field(default_factory=Provenance)
    inputs_hash: str = ""
    source_versions: dict[str, int] = Field(default_factory=dict)

    @property
    def is_approved(self) -> bool:
        return self.status is ArtifactStatus.APPROVED


class ExportPackage(BaseModel):
    """Everything a client deliverable is rendered from."""

    client_name: str = Field(min_length=1, max_length=200)
    engagement_name: str = Field(min_length=1, max_length=200)
    period_start: date
    period_end: date
    timezone: str = "UTC"
    brand_colors: list[str] = Field(default_factory=list, max_length=8)
    required_outputs: list[OutputFormat] = Field(default_factory=list)
    artifacts: list[ExportArtifact] = Field(default_factory=list)
    metrics: list[dict[str, Any]] = Field(
        default_factory=list,
        description="performance rows: date, platform, impressions, reach, clicks, engagements, "
        "conversions, spend",
    )
    generated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    generated_by: str = "AICMO"

    @field_validator("brand_colors")
    @classmethod
    def _colours(cls, value: list[str]) -> list[str]:
        return [normalise_hex(colour) for colour in value]

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        value = value or "UTC"
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/London)") from exc
        return value

    @model_validator(mode="after")
    def _period(self) -> ExportPackage:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def artifact(self, module: Module) -> ExportArtifact | None:
        """The newest version of the artifact of this type, if the package holds one."""
        matches = [a for a in self.artifacts if a.type is module]
        return max(matches, key=lambda a: a.version) if matches else None

    def content_as(self, module: Module, model: type[M]) -> M | None:
        """The artifact's content validated as `model` (a ValidationError if it does not fit)."""
        found = self.artifact(module)
        return model.model_validate(found.content) if found else None

    def intake(self) -> Intake | None:
        return self.content_as(Module.INTAKE, Intake)

    def strategy(self) -> Strategy | None:
        return self.content_as(Module.STRATEGY, Strategy)

    def creatives(self) -> Creatives | None:
        return self.content_as(Module.CREATIVES, Creatives)

    def execution(self) -> Execution | None:
        """The execution plan as delivered: posts an operator rejected are left out."""
        execution = self.content_as(Module.EXECUTION, Execution)
        return execution.without_rejected() if execution else None

    def delivery(self) -> DeliverySummary | None:
        return self.content_as(Module.DELIVERY, DeliverySummary)

    def unapproved(self) -> list[ExportArtifact]:
        return [a for a in self.artifacts if not a.is_approved]


# ---- manifest.json --------------------------------------------------------------------------
class ManifestPeriod(BaseModel):
    start: date
    end: date
    timezone: str


class ManifestArtifact(BaseModel):
    type: Module
    id: str
    version: int
    status: ArtifactStatus
    approved_by: str | None
    approved_at: datetime | None
    inputs_hash: str
    provenance: Provenance

    @classmethod
    def of(cls, artifact: ExportArtifact) -> ManifestArtifact:
        return cls.model_validate(artifact.model_dump(include=set(cls.model_fields)))


class ManifestFile(BaseModel):
    name: str
    bytes: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @classmethod
    def of(cls, name: str, data: bytes) -> ManifestFile:
        return cls(name=name, bytes=len(data), sha256=hashlib.sha256(data).hexdigest())


def files_content_hash(files: Iterable[ManifestFile]) -> str:
    """sha256 of the sorted file hashes joined by newlines: names and order do not matter."""
    joined = "\n".join(sorted(f.sha256 for f in files))
    return hashlib.sha256(joined.encode("ascii")).hexdigest()


class ExportManifest(BaseModel):
    client: str
    engagement: str
    period: ManifestPeriod
    generated_at: datetime
    generated_by: str
    artifacts: list[ManifestArtifact]
    files: list[ManifestFile]
    content_hash: str

    @classmethod
    def build(cls, package: ExportPackage, files: list[ManifestFile]) -> ExportManifest:
        return cls(
            client=package.client_name,
            engagement=package.engagement_name,
            period=ManifestPeriod(
                start=package.period_start, end=package.period_end, timezone=package.timezone
            ),
            generated_at=package.generated_at,
            generated_by=package.generated_by,
            artifacts=[ManifestArtifact.of(a) for a in package.artifacts],
            files=files,
            content_hash=files_content_hash(files),
        )

    def is_consistent(self) -> bool:
        return self.content_hash == files_content_hash(self.files)
