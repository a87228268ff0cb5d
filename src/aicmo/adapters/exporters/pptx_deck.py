"""The deck's canvas: slide size, content area, and the chrome every content slide shares."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation
from pptx.slide import Slide
from pptx.util import Inches

from aicmo.adapters.exporters import pptx_kit as kit
from aicmo.adapters.exporters.pptx_kit import Box, fit_items, fit_text, rect, text
from aicmo.adapters.exporters.theme import MUTED, Theme
from aicmo.adapters.exporters.view import ReportView

W, H = 13.333, 7.5
MARGIN = 0.6
CONTENT = Box(MARGIN, 1.65, W - 2 * MARGIN, 5.15)
WEEKS_PER_SLIDE = 8


@dataclass
class Deck:
    view: ReportView
    prs: Presentation

    @property
    def t(self) -> Theme:
        return self.view.theme

    def blank(self) -> Slide:
        return self.prs.slides.add_slide(self.prs.slide_layouts[6])

    def slide(self, title: str, section: str) -> Slide:
        """A content slide with the shared chrome: section kicker, title, footer, brand stripe."""
        s = self.blank()
        rect(s, Box(0, 0, 0.16, H), self.t.band)
        text(s, Box(MARGIN, 0.42, 9, 0.32), section, size=11, colour=self.t.accent, bold=True, caps=True)
        text(
            s,
            Box(MARGIN, 0.72, W - 2 * MARGIN, 0.75),
            fit_text(title, Box(0, 0, 12, 0.75), 28),
            size=28,
            colour=self.t.heading,
            bold=True,
        )
        rect(s, Box(MARGIN + 0.08, 1.42, 0.7, 0.06), self.t.secondary)
        footer = f"{self.view.client} · {self.view.engagement}"
        text(
            s, Box(MARGIN, H - 0.5, 9, 0.3), kit.fit_text(footer, Box(0, 0, 9, 0.3), 9), size=9, colour=MUTED
        )
        number = len(self.prs.slides)
        text(
            s,
            Box(W - MARGIN - 1.5, H - 0.5, 1.5, 0.3),
            str(number),
            size=9,
            colour=MUTED,
            align=PP_ALIGN.RIGHT,
        )
        self.stripe(s, Box(0.16, H - 0.08, W - 0.16, 0.08))
        return s

    def stripe(self, s: Slide, box: Box) -> None:
        colours = self.t.palette[:5]
        for part, colour in zip(box.columns(len(colours), 0), colours, strict=True):
            rect(s, part, colour)

    def card(self, s: Slide, box: Box, title: str, items: Sequence[str], *, size: float = 13) -> None:
        rect(s, box, self.t.tint, rounded=True)
        inner = box.inset(0.18, 0.15)
        head, body = inner.split_top(0.36, 0.04)
        text(s, head, title, size=11, colour=self.t.accent, bold=True, caps=True)
        text(s, body, [f"• {i}" for i in fit_items(items, body, size)], size=size, spacing=5)

    def png(self, s: Slide, png: bytes, box: Box) -> None:
        s.shapes.add_picture(io.BytesIO(png), Inches(box.left), Inches(box.top), width=Inches(box.width))
