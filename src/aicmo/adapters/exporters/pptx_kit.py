"""Drawing primitives for the deck: boxes, text that fits its box, tables, notes.

python-pptx cannot measure text, so fitting is estimated: a character is about half the font size
wide and a line is 1.2 × the font size tall. Text is shortened at a word boundary (and list items
dropped) until the estimate fits; the full text always goes into the speaker notes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from aicmo.adapters.exporters.text import truncate

FONT = "Calibri"
CHAR_WIDTH = 0.5  # average glyph width as a share of the font size
LINE_HEIGHT = 1.2
PAD = 0.08  # inches of inner margin on text boxes


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


@dataclass(frozen=True)
class Box:
    """A rectangle in inches."""

    left: float
    top: float
    width: float
    height: float

    @property
    def emu(self) -> tuple[Emu, Emu, Emu, Emu]:
        return Inches(self.left), Inches(self.top), Inches(self.width), Inches(self.height)

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def inset(self, dx: float, dy: float | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.left + dx, self.top + dy, self.width - 2 * dx, self.height - 2 * dy)

    def columns(self, n: int, gap: float) -> list[Box]:
        width = (self.width - gap * (n - 1)) / n
        return [Box(self.left + i * (width + gap), self.top, width, self.height) for i in range(n)]

    def split_top(self, height: float, gap: float = 0.0) -> tuple[Box, Box]:
        return (
            Box(self.left, self.top, self.width, height),
            Box(self.left, self.top + height + gap, self.width, self.height - height - gap),
        )


# ---- fitting ---------------------------------------------------------------------------------------
def chars_per_line(width_in: float, size_pt: float) -> int:
    return max(8, int((width_in - 2 * PAD) * 72 / (size_pt * CHAR_WIDTH)))


def lines_available(height_in: float, size_pt: float) -> int:
    return max(1, int((height_in - 2 * PAD) * 72 / (size_pt * LINE_HEIGHT)))


def lines_needed(text: str, per_line: int) -> int:
    return max(1, math.ceil(len(text) / per_line))


def fit_text(text: str, box: Box, size_pt: float) -> str:
    """`text` shortened so that it fits `box` at `size_pt`."""
    per_line = chars_per_line(box.width, size_pt)
    budget = per_line * lines_available(box.height, size_pt)
    # wrapping wastes part of each line: keep ~12% slack
    return truncate(text, max(12, int(budget * 0.88)))


def largest_size(text: str, box: Box, sizes: Sequence[float]) -> float:
    """The first of `sizes` (largest first) at which `text` fits `box` uncut; else the smallest."""
    for size in sizes:
        if fit_text(text, box, size) == " ".join(text.split()):
            return size
    return sizes[-1]


def fit_items(
    items: Sequence[str],
    box: Box,
    size_pt: float,
    *,
    prefix: str = "• ",
    spacing: float = 0.35,
    max_lines: int = 4,
) -> list[str]:
    """As many list items as fit `box` (each shortened to at most `max_lines` lines), in order."""
    per_line = chars_per_line(box.width, size_pt) - len(prefix)
    available = lines_available(box.height, size_pt)
    out: list[str] = []
    used = 0.0
    for item in items:
        text = truncate(item, int(per_line * max_lines * 0.9))
        need = lines_needed(text, int(per_line * 0.92)) + (spacing if out else 0)
        if used + need > available:
            break
        out.append(text)
        used += need
    return out


# ---- shapes ----------------------------------------------------------------------------------------
def rect(
    slide: Slide,
    box: Box,
    fill: str,
    *,
    rounded: bool = False,
    line: str | None = None,
    preset: MSO_SHAPE | None = None,
) -> Shape:
    """A filled shape without theme effects; rounded corners or any `preset` geometry on request."""
    kind = preset or (MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE)
    shape = slide.shapes.add_shape(kind, *box.emu)
    if rounded and kind == MSO_SHAPE.ROUNDED_RECTANGLE:
        shape.adjustments[0] = 0.06
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(fill)
    if line:
        shape.line.color.rgb = rgb(line)
        shape.line.width = Pt(0.75)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False
    style = shape._element.find(qn("p:style"))  # theme effects (a drop shadow in LibreOffice)
    if style is not None:
        shape._element.remove(style)
    return shape


def text(
    slide: Slide,
    box: Box,
    content: str | Sequence[str],
    *,
    size: float = 14,
    colour: str = "#1E2530",
    bold: bool = False,
    italic: bool = False,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
    spacing: float = 0.0,
    caps: bool = False,
) -> Shape:
    """A text box; a sequence becomes one paragraph per item. Nothing here grows the box."""
    shape = slide.shapes.add_textbox(*box.emu)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(PAD))
    paragraphs = [content] if isinstance(content, str) else list(content)
    for index, line in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        if spacing and index:
            paragraph.space_before = Pt(spacing)
        run = paragraph.add_run()
        run.text = line.upper() if caps else line
        font = run.font
        font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
        font.color.rgb = rgb(colour)
    return shape


def table(
    slide: Slide,
    box: Box,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    header_fill: str,
    header_colour: str,
    stripe: str = "#F4F6F9",
    size: float = 11,
    max_lines: int = 2,
) -> GraphicFrame:
    """A table whose cells are shortened to `max_lines` lines of their column width."""
    total = sum(widths)
    col_in = [box.width * w / total for w in widths]
    row_h = (size * LINE_HEIGHT * max_lines + 10) / 72
    head_h = (size * LINE_HEIGHT + 12) / 72
    height = min(box.height, head_h + row_h * len(rows))
    shape = slide.shapes.add_table(len(rows) + 1, len(header), *Box(box.left, box.top, box.width, height).emu)
    grid = shape.table
    grid.first_row = True
    for i, width in enumerate(col_in):
        grid.columns[i].width = Inches(width)
    grid.rows[0].height = Inches(head_h)
    for r in range(1, len(rows) + 1):
        grid.rows[r].height = Inches(row_h)
    for r, values in enumerate([list(header), *[list(v) for v in rows]]):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(0.08)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(header_fill if r == 0 else (stripe if r % 2 == 0 else "#FFFFFF"))
            limit = chars_per_line(col_in[c], size) * (1 if r == 0 else max_lines)
            frame = cell.text_frame
            frame.word_wrap = True
            paragraph = frame.paragraphs[0]
            run = paragraph.add_run()
            run.text = truncate(str(value), int(limit * 0.9))
            font = run.font
            font.name, font.size = FONT, Pt(size - 1 if r == 0 else size)
            font.bold = r == 0 or c == 0
            font.color.rgb = rgb(header_colour if r == 0 else "#1E2530")
    return shape


def notes(slide: Slide, lines: Sequence[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(line for line in lines if line)
