"""Render one export format from an ExportPackage: bytes and a file name. Pure apart from the clock.

PDF, PPTX and ZIP come from the exporters; MD is every included artifact in one Markdown document;
JSON is the delivery manifest plus the package (what the PDF and deck were rendered from).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from aicmo.adapters.exporters.markdown import artifact_markdown
from aicmo.adapters.exporters.text import module_label
from aicmo.domain import names
from aicmo.domain.schemas.export import ExportPackage
from aicmo.domain.schemas.exports import FORMATS, DeliveryManifest, ExportFormat


@dataclass(frozen=True)
class Rendered:
    data: bytes
    files: list[dict[str, Any]] = field(default_factory=list)  # for a ZIP: its manifest's file list


def slug(text: str, fallback: str = "client") -> str:
    """ASCII, lower case, hyphens: safe in a Content-Disposition header and on every file system."""
    return names.slug(text, fallback=fallback)


def export_filename(client_name: str, fmt: ExportFormat, when: datetime) -> str:
    spec = FORMATS[fmt]
    return f"{slug(client_name)}-{spec.kind}-{when:%Y%m%d-%H%M%S}.{spec.extension}"


def engagement_markdown(package: ExportPackage) -> str:
    """Every included artifact, each with its version and approval, in one Markdown document."""
    lines = [
        f"# {package.client_name} — {package.engagement_name}",
        "",
        f"Period {package.period_start.isoformat()} to {package.period_end.isoformat()} "
        f"({package.timezone}). Prepared {package.generated_at:%Y-%m-%d %H:%M} UTC "
        f"by {package.generated_by}.",
        "",
        "## Contents",
        "",
        *(f"- {module_label(a.type)} (v{a.version})" for a in package.artifacts),
        "",
    ]
    sections = [artifact_markdown(a, client_name=package.client_name).strip() for a in package.artifacts]
    return "\n".join(lines) + "\n" + "\n\n---\n\n".join(sections) + "\n"


def package_json(package: ExportPackage, manifest: DeliveryManifest) -> bytes:
    data = {"manifest": manifest.model_dump(mode="json"), "package": package.model_dump(mode="json")}
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


class Exporter(Protocol):
    """Renders one export format from the package. `needs`: formats whose bytes it embeds (the ZIP
    bundles the PDF and the deck); `render` receives them in `made`, rendered or reused."""

    needs: tuple[ExportFormat, ...]

    def render(
        self, package: ExportPackage, manifest: DeliveryManifest, made: Mapping[ExportFormat, bytes]
    ) -> Rendered: ...


# The exporters import WeasyPrint and python-pptx: each loads its adapter only when it renders.
class _Pdf:
    needs = ()

    def render(self, package: ExportPackage, manifest: DeliveryManifest, made: Mapping) -> Rendered:
        from aicmo.adapters.exporters.pdf import render_pdf

        return Rendered(render_pdf(package))


class _Pptx:
    needs = ()

    def render(self, package: ExportPackage, manifest: DeliveryManifest, made: Mapping) -> Rendered:
        from aicmo.adapters.exporters.pptx import render_pptx

        return Rendered(render_pptx(package))


class _Zip:
    needs = (ExportFormat.PDF, ExportFormat.PPTX)

    def render(self, package: ExportPackage, manifest: DeliveryManifest, made: Mapping) -> Rendered:
        from aicmo.adapters.exporters.bundle import render_zip

        data, zip_manifest = render_zip(package, pdf=made[ExportFormat.PDF], pptx=made[ExportFormat.PPTX])
        return Rendered(data, [f.model_dump() for f in zip_manifest.files])


class _Markdown:
    needs = ()

    def render(self, package: ExportPackage, manifest: DeliveryManifest, made: Mapping) -> Rendered:
        return Rendered(engagement_markdown(package).encode("utf-8"))


class _Json:
    needs = ()

    def render(self, package: ExportPackage, manifest: DeliveryManifest, made: Mapping) -> Rendered:
        return Rendered(package_json(package, manifest))


EXPORTERS: dict[ExportFormat, Exporter] = {
    ExportFormat.PDF: _Pdf(),
    ExportFormat.PPTX: _Pptx(),
    ExportFormat.ZIP: _Zip(),
    ExportFormat.MD: _Markdown(),
    ExportFormat.JSON: _Json(),
}


def render(
    fmt: ExportFormat,
    package: ExportPackage,
    manifest: DeliveryManifest,
    *,
    pdf: bytes | None = None,
    pptx: bytes | None = None,
) -> Rendered:
    """The file for `fmt`. A ZIP embeds the PDF and the deck: pass them to reuse bytes already made."""
    made = {f: data for f, data in ((ExportFormat.PDF, pdf), (ExportFormat.PPTX, pptx)) if data is not None}
    exporter = EXPORTERS[fmt]
    for need in exporter.needs:
        if need not in made:
            made[need] = render(need, package, manifest).data
    return exporter.render(package, manifest, made)
