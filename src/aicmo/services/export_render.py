"""Render one export format from an ExportPackage: bytes and a file name. Pure apart from the clock.

PDF, PPTX and ZIP come from the exporters; MD is every included artifact in one Markdown document;
JSON is the delivery manifest plus the package (what the PDF and deck were rendered from).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aicmo.adapters.exporters.markdown import artifact_markdown
from aicmo.adapters.exporters.text import module_label
from aicmo.domain import names
from aicmo.domain.schemas.export import ExportPackage
from aicmo.domain.schemas.exports import EXTENSIONS, KINDS, DeliveryManifest, ExportFormat


@dataclass(frozen=True)
class Rendered:
    data: bytes
    files: list[dict[str, Any]] = field(default_factory=list)  # for a ZIP: its manifest's file list


def slug(text: str, fallback: str = "client") -> str:
    """ASCII, lower case, hyphens: safe in a Content-Disposition header and on every file system."""
    return names.slug(text, fallback=fallback)


def export_filename(client_name: str, fmt: ExportFormat, when: datetime) -> str:
    return f"{slug(client_name)}-{KINDS[fmt.value]}-{when:%Y%m%d-%H%M%S}.{EXTENSIONS[fmt.value]}"


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


def render(
    fmt: ExportFormat,
    package: ExportPackage,
    manifest: DeliveryManifest,
    *,
    pdf: bytes | None = None,
    pptx: bytes | None = None,
) -> Rendered:
    """The file for `fmt`. A ZIP embeds the PDF and the deck: pass them to reuse bytes already made."""
    # the exporters import WeasyPrint and python-pptx: load them only when a file is rendered
    if fmt is ExportFormat.PDF:
        from aicmo.adapters.exporters.pdf import render_pdf

        return Rendered(render_pdf(package))
    if fmt is ExportFormat.PPTX:
        from aicmo.adapters.exporters.pptx import render_pptx

        return Rendered(render_pptx(package))
    if fmt is ExportFormat.ZIP:
        from aicmo.adapters.exporters.bundle import render_zip

        pdf = pdf if pdf is not None else render(ExportFormat.PDF, package, manifest).data
        pptx = pptx if pptx is not None else render(ExportFormat.PPTX, package, manifest).data
        data, zip_manifest = render_zip(package, pdf=pdf, pptx=pptx)
        return Rendered(data, [f.model_dump() for f in zip_manifest.files])
    if fmt is ExportFormat.MD:
        return Rendered(engagement_markdown(package).encode("utf-8"))
    return Rendered(package_json(package, manifest))
