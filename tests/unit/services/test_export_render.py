"""One formats table and one exporter per format; a ZIP renders what it bundles only when needed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from aicmo.domain.schemas.exports import FORMATS, ExportFormat, media_type
from aicmo.services import export_render
from aicmo.services.export_render import EXPORTERS, Rendered, export_filename, render


def test_every_format_has_its_spec_and_its_exporter() -> None:
    assert set(FORMATS) == set(EXPORTERS) == set(ExportFormat)
    assert media_type("PDF") == "application/pdf"
    when = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    assert (
        export_filename("Calder & Finch", ExportFormat.PPTX, when) == "calder-finch-deck-20261204-120000.pptx"
    )


class Recording:
    def __init__(self, name: str, needs: tuple[ExportFormat, ...] = ()) -> None:
        self.name, self.needs, self.calls = name, needs, 0

    def render(self, package: Any, manifest: Any, made: Mapping[ExportFormat, bytes]) -> Rendered:
        self.calls += 1
        return Rendered(self.name.encode() + b"".join(made[n] for n in self.needs))


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> dict[ExportFormat, Recording]:
    fakes = {
        ExportFormat.PDF: Recording("pdf"),
        ExportFormat.PPTX: Recording("pptx"),
        ExportFormat.ZIP: Recording("zip", (ExportFormat.PDF, ExportFormat.PPTX)),
    }
    monkeypatch.setattr(export_render, "EXPORTERS", {**EXPORTERS, **fakes})
    return fakes


def test_a_zip_renders_the_files_it_bundles_when_they_were_not_made(recording) -> None:
    assert render(ExportFormat.ZIP, None, None).data == b"zippdfpptx"  # type: ignore[arg-type]
    assert (recording[ExportFormat.PDF].calls, recording[ExportFormat.PPTX].calls) == (1, 1)


def test_a_zip_reuses_the_files_already_made(recording) -> None:
    made = render(ExportFormat.ZIP, None, None, pdf=b"<P>", pptx=b"<D>")  # type: ignore[arg-type]
    assert made.data == b"zip<P><D>"
    assert (recording[ExportFormat.PDF].calls, recording[ExportFormat.PPTX].calls) == (0, 0)
