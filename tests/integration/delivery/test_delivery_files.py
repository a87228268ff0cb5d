"""For every sample brief: the PDF report, the PPTX deck and the asset ZIP, made from artifacts the
offline generators wrote and the quality gates approved, stored and checked file by file.

Rendered pages are kept in test-output/delivery/<brief>/pages/ for a look.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from pptx import Presentation

from aicmo.adapters.exporters.pptx import _plan
from aicmo.adapters.exporters.view import ReportView
from aicmo.bootstrap import App
from aicmo.domain.schemas.export import ExportManifest, ExportPackage
from aicmo.domain.schemas.exports import ExportFormat, ExportPublic
from aicmo.services import audit, exports
from tests.conftest import REPO
from tests.integration.delivery.builders import BRIEFS, OPERATOR, Delivered, approved_delivery, load_brief

OUTPUT = REPO / "test-output" / "delivery"
poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")


@dataclass
class Exported:
    brief: str
    delivered: Delivered
    package: ExportPackage
    records: dict[ExportFormat, ExportPublic]
    files: dict[ExportFormat, bytes]
    folder: Path


@pytest.fixture(scope="module", params=BRIEFS)
def exported(request: pytest.FixtureRequest, shared_app: App) -> Exported:
    name = request.param
    delivered = approved_delivery(shared_app, load_brief(name))
    folder = OUTPUT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    records, files = {}, {}
    for fmt in (ExportFormat.PDF, ExportFormat.PPTX, ExportFormat.ZIP):
        with shared_app.uow() as uow:
            records[fmt] = exports.create_export(uow, OPERATOR, delivered.engagement_id, fmt)
        with shared_app.uow() as uow:
            file = exports.download_export(uow, OPERATOR, records[fmt].id)
        (folder / file.filename).write_bytes(file.data)
        files[fmt] = file.data
    with shared_app.uow() as uow:
        engagement = uow.engagements.get(delivered.engagement_id)
        package = exports.assess_engagement(uow, engagement).package()
    return Exported(name, delivered, package, records, files, folder)


def squash(text: str) -> str:
    return " ".join(text.split())


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert match, info
    return int(match.group(1))


@poppler
def test_the_pdf_renders_to_pages_that_name_the_client_and_carry_a_post(exported: Exported) -> None:
    pdf = exported.folder / exported.records[ExportFormat.PDF].filename
    pages = exported.folder / "pages"
    pages.mkdir()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(pages / "page")], check=True)
    pngs = sorted(pages.glob("page-*.png"))
    assert len(pngs) == page_count(pdf) >= 8
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)

    text = squash(
        subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    )
    assert exported.package.client_name in text
    cover = squash(
        subprocess.run(
            ["pdftotext", "-l", "1", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
    )
    assert exported.package.client_name in cover
    first_card = ReportView(exported.package).posts_by_platform[0].cards[0]
    opening = " ".join(first_card.post.text.split()[:8])
    assert opening in text, f"post {first_card.post.id} is not in the PDF text"


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_deck_reopens_with_every_planned_slide_and_speaker_notes(exported: Exported) -> None:
    deck = Presentation(io.BytesIO(exported.files[ExportFormat.PPTX]))
    slides = list(deck.slides)
    view = ReportView(exported.package)
    platforms = [group.label for group in view.posts_by_platform]
    plan = _plan(view)
    # title and agenda, then at least one slide per planned section (posts: one per platform)
    assert len(slides) >= 2 + len(plan) + len(platforms) - 1 >= 12
    texts = [slide_text(s) for s in slides]
    assert exported.package.client_name in texts[0]
    assert "Agenda" in texts[1]
    assert all(title in texts[1] for title, _, _ in plan if title)
    for label in platforms:
        assert any(f"Sample posts: {label}" in t for t in texts), label
    assert all(s.has_notes_slide and len(s.notes_slide.notes_text_frame.text.strip()) > 20 for s in slides)


def test_the_zip_bundles_every_artifact_the_calendar_and_the_very_same_pdf_and_deck(
    exported: Exported,
) -> None:
    with zipfile.ZipFile(io.BytesIO(exported.files[ExportFormat.ZIP])) as archive:
        names = set(archive.namelist())
        manifest = ExportManifest.model_validate(json.loads(archive.read("manifest.json")))
        for entry in manifest.files:
            assert hashlib.sha256(archive.read(entry.name)).hexdigest() == entry.sha256, entry.name
        bundled_pdf, bundled_deck = archive.read("report.pdf"), archive.read("deck.pptx")
    for artifact in exported.package.artifacts:
        assert {
            f"{artifact.type.value}/{artifact.type.value}.md",
            f"{artifact.type.value}/{artifact.type.value}.json",
        } <= names
    assert {
        "calendar.csv",
        "calendar.ics",
        "creatives/image_prompts.md",
        "README.md",
        "manifest.json",
    } <= names
    assert any(name.startswith("posts/") and name.endswith(".csv") for name in names)
    assert manifest.is_consistent()
    assert manifest.client == exported.package.client_name
    # the ZIP reuses the PDF and deck exported from the same approved content, byte for byte
    assert bundled_pdf == exported.files[ExportFormat.PDF]
    assert bundled_deck == exported.files[ExportFormat.PPTX]


def test_each_export_is_stored_with_its_hash_the_versions_it_holds_and_who_made_it(
    exported: Exported, shared_app: App
) -> None:
    engagement = exported.delivered.engagement_id
    with shared_app.uow() as uow:
        listed = exports.list_exports(uow, OPERATOR, engagement)
        manifest = exports.delivery_manifest(uow, OPERATOR, engagement)
        trail = audit.list_audit(uow, OPERATOR, engagement_id=engagement, action="export.create")
    assert listed.count == 3
    assert {e.format for e in listed.data} == {ExportFormat.PDF, ExportFormat.PPTX, ExportFormat.ZIP}
    for record in listed.data:
        assert record.created_by == "operator:maya"
        assert record.sha256 == hashlib.sha256(exported.files[record.format]).hexdigest()
        assert record.bytes == len(exported.files[record.format])
        assert record.content_hash == manifest.content_hash
        assert record.artifact_versions == {a.type.value: a.version for a in exported.package.artifacts}
        assert record.filename.endswith("." + record.format.value.lower())
    assert trail.count == 3 and {e.actor for e in trail.data} == {"operator:maya"}
    assert manifest.ready and all(c.passed for c in manifest.checks)
    asked = set(load_brief(exported.brief)["required_outputs"])
    assert {o.format.value for o in manifest.outputs if o.required} == asked
    assert all(o.current for o in manifest.outputs if o.format.value in {"PDF", "PPTX", "ZIP"})
