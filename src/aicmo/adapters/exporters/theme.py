"""Brand colours turned into a readable theme shared by the PDF, the deck and the charts.

A brand colour may be too light for text on white (a yellow) or too dark for a background: the
theme keeps the hue and adjusts lightness until the WCAG contrast ratio is met.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_PALETTE: tuple[str, ...] = ("#1F3A5F", "#2A9D8F", "#E9A23B", "#E76F51", "#6C5B7B", "#8AB17D")
WHITE = "#FFFFFF"
INK = "#1E2530"
MUTED = "#5B6573"
RULE = "#D9DEE5"


def to_rgb(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def to_hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in rgb)


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def mix(a: str, b: str, weight_b: float) -> str:
    """`a` moved towards `b` by `weight_b` (0 = a, 1 = b)."""
    ra, rb = to_rgb(a), to_rgb(b)
    return to_hex([x + (y - x) * weight_b for x, y in zip(ra, rb, strict=True)])


def readable_on(background: str, colour: str, ratio: float) -> str:
    """`colour`, darkened or lightened just enough to reach `ratio` against `background`."""
    target = "#000000" if luminance(background) > 0.4 else WHITE
    for step in range(21):
        candidate = mix(colour, target, step / 20)
        if contrast(candidate, background) >= ratio:
            return candidate
    return target


def text_on(background: str) -> str:
    return WHITE if contrast(WHITE, background) >= contrast(INK, background) else INK


@dataclass(frozen=True)
class Theme:
    palette: tuple[str, ...]

    @classmethod
    def from_colours(cls, colours: Sequence[str]) -> Theme:
        chosen = [c.upper() for c in colours if c]
        for fallback in DEFAULT_PALETTE:
            if len(chosen) >= 5:
                break
            if fallback not in chosen:
                chosen.append(fallback)
        return cls(palette=tuple(chosen))

    @property
    def primary(self) -> str:
        return self.palette[0]

    @property
    def secondary(self) -> str:
        return self.palette[1]

    @property
    def heading(self) -> str:
        """The primary colour as heading text on white (contrast ≥ 4.5)."""
        return readable_on(WHITE, self.primary, 4.5)

    @property
    def accent(self) -> str:
        """The secondary colour for rules, bars and labels on white (contrast ≥ 3)."""
        return readable_on(WHITE, self.secondary, 3.0)

    @property
    def band(self) -> str:
        """A solid background for the cover and table heads: a light primary as it is (dark text on
        it), any other primary deepened just enough for white text."""
        if luminance(self.primary) > 0.4:
            return self.primary
        return readable_on(WHITE, self.primary, 4.5)

    @property
    def on_band(self) -> str:
        return text_on(self.band)

    @property
    def tint(self) -> str:
        return mix(self.primary, WHITE, 0.92)

    @property
    def tint_strong(self) -> str:
        return mix(self.primary, WHITE, 0.82)

    @property
    def accent_tint(self) -> str:
        return mix(self.secondary, WHITE, 0.85)

    def series(self, n: int) -> list[str]:
        """`n` distinct colours for chart series, brand colours first, each visible on white."""
        colours = [readable_on(WHITE, c, 2.0) for c in self.palette]
        extra = [c for c in DEFAULT_PALETTE if c not in colours]
        colours += extra
        while len(colours) < n:
            colours += [mix(c, WHITE, 0.4) for c in colours[: n - len(colours)]]
        return colours[:n]
