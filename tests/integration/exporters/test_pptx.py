"""The deck: re-opened with python-pptx, every slide on the canvas, with notes and no overflow."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.util import Emu

from aicmo.adapters.exporters.pptx import render_pptx
from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.export import ExportPackage

# title, agenda, summary, highlights, 7 strategy slides, creatives, calendar, 3 platforms of sample
# posts, KPIs, performance, next steps
EXPECTED_SLIDES = 1 + 1 + 1 + 1 + 7 + 1 + 1 + 3 + 1 + 1 + 1


def open_deck(data: bytes) -> Presentation:
    return Presentation(io.BytesIO(data))


def slide_texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def test_deck_reopens_with_the_expected_slides(pptx_bytes: bytes) -> None:
    deck = open_deck(pptx_bytes)
    assert len(deck.slides) == EXPECTED_SLIDES
    titles = [slide_texts(s) for s in deck.slides]
    assert "Kestrel Cargo Bikes" in titles[0]
    assert "Agenda" in titles[1]
    needles = (
        "Ideal customer profile", "Positioning", "Messaging framework", "Content pillars",
        "Platform strategy", "Media plan", "Measurement plan", "Calendar overview",
        "Sample posts: Instagram", "KPIs and targets", "Performance to date", "Next steps", "Highlights",
    )  # fmt: skip
    for needle in needles:
        assert any(needle in t for t in titles), needle


def test_every_slide_has_speaker_notes(pptx_bytes: bytes) -> None:
    for number, slide in enumerate(open_deck(pptx_bytes).slides, start=1):
        assert slide.has_notes_slide, number
        assert len(slide.notes_slide.notes_text_frame.text.strip()) > 20, number


def test_no_shape_leaves_the_slide(pptx_bytes: bytes) -> None:
    deck = open_deck(pptx_bytes)
    width, height = deck.slide_width, deck.slide_height
    slack = Emu(12_700)  # 1 pt of rounding
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= width + slack, (number, shape.name)
            assert shape.top + shape.height <= height + slack, (number, shape.name)


def test_full_text_lives_in_the_notes_when_the_slide_shortens_it(pptx_bytes: bytes, package) -> None:
    deck = open_deck(pptx_bytes)
    long_post = max(package.execution().posts, key=lambda p: len(p.text))
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in deck.slides)
    assert long_post.text in notes


def test_brand_colour_is_used_for_accents(pptx_bytes: bytes) -> None:
    deck = open_deck(pptx_bytes)
    xml = b"".join(slide.part.blob for slide in deck.slides)
    assert b'val="0B4F6C"' in xml


def test_a_package_without_execution_or_metrics_gives_a_shorter_deck(package: ExportPackage) -> None:
    lean = package.model_copy(
        update={
            "artifacts": [package.artifact(Module.INTAKE), package.artifact(Module.STRATEGY)],
            "metrics": [],
        }
    )
    deck = open_deck(render_pptx(lean))
    # title, agenda, summary, 7 strategy slides, KPIs, next steps
    assert len(deck.slides) == 12
    assert all(s.notes_slide.notes_text_frame.text.strip() for s in deck.slides)


def test_no_placeholder_text_on_any_slide(pptx_bytes: bytes) -> None:
    for slide in open_deck(pptx_bytes).slides:
        text = slide_texts(slide).lower()
        assert "lorem" not in text and "tbd" not in text and "none" not in text.split()


def test_same_package_gives_the_same_deck(pptx_bytes: bytes, package: ExportPackage) -> None:
    assert render_pptx(package) == pptx_bytes


def test_next_steps_come_from_the_delivery_summary(pptx_bytes: bytes, package: ExportPackage) -> None:
    last = open_deck(pptx_bytes).slides[-1]
    first_step = package.delivery().next_steps[0]
    assert first_step.step in slide_texts(last)
    assert f"{first_step.owner} · {first_step.when}" in slide_texts(last)
