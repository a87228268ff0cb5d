"""The report is the agency's: its name and logo from the settings, never the tool's name as author;
the provenance appendix says plainly which approvals were automatic."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import pytest

from aicmo.adapters.exporters import agency as agency_module
from aicmo.adapters.exporters.agency import Agency, logo_from_data_uri, logo_from_file
from aicmo.adapters.exporters.pdf import render_html
from aicmo.adapters.exporters.view import ReportView
from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.export import ExportPackage

# a 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def with_approver(package: ExportPackage, module: Module, actor: str) -> ExportPackage:
    artifacts = [
        a.model_copy(update={"approved_by": actor}) if a.type is module else a for a in package.artifacts
    ]
    return package.model_copy(update={"artifacts": artifacts})


@pytest.fixture
def plain(package: ExportPackage) -> ExportPackage:
    return package.model_copy(update={"generated_by": "AICMO"})


def test_the_cover_names_the_agency_and_shows_its_logo(
    plain: ExportPackage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    monkeypatch.setattr(
        agency_module, "current_agency", lambda: Agency("Northlight Agency", *logo_from_file(logo))
    )
    html = render_html(plain)
    cover = html.split('<section class="cover">')[1].split('<nav class="toc">')[0]
    assert "Northlight Agency" in cover
    assert 'class="logo" src="data:image/png;base64,' in cover
    assert "AICMO" not in cover


def test_without_an_agency_the_tool_is_not_named_as_the_author(
    plain: ExportPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agency_module, "current_agency", lambda: Agency())
    html = render_html(plain)
    assert "Prepared by" not in html
    assert "with AICMO" not in html


def test_automatic_approvals_are_named_as_automatic(package: ExportPackage) -> None:
    mixed = with_approver(package, Module.EXECUTION, "system:autopilot")
    mixed = with_approver(mixed, Module.CREATIVES, "system:job creatives.image_prompts")
    mixed = with_approver(mixed, Module.INTAKE, "operator:pipeline")
    view = ReportView(mixed, agency=Agency("Northlight Agency"))
    note = view.approval_note
    assert "Approved automatically" in note and "no person reviewing" in note
    automatic = note.split("Approved automatically")[1]
    assert "Execution" in automatic or "execution" in automatic.lower()
    rows = {r.artifact.type: r for r in view.provenance_rows}
    assert rows[Module.EXECUTION].approved_by.startswith("Automatic")
    assert rows[Module.INTAKE].approved_by.startswith("Automatic")
    assert not rows[Module.STRATEGY].approved_by.startswith("Automatic")
    assert "maya.patel@northlight.agency" in note.split("Approved automatically")[0]
    html = render_html(mixed)
    assert "reviewed and approved before export" not in html
    assert "Approved automatically" in html


def test_logo_data_uris_are_read_and_bad_ones_ignored() -> None:
    uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert logo_from_data_uri(uri) == (PNG, "image/png")
    assert logo_from_data_uri("data:text/html;base64,PGI+") == (b"", "")
    assert logo_from_data_uri("data:image/png;base64,not base64!") == (b"", "")
    assert replace(Agency("A", PNG, "image/png")).raster_logo == PNG
    assert Agency("A", b"<svg/>", "image/svg+xml").raster_logo == b""
