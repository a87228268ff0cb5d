"""How long a piece of text is, the way each platform counts it.

- X counts weighted characters (twitter-text v3, via `twitter-text-parser`): most Latin, Greek,
  Cyrillic and general punctuation weigh 1; CJK, emoji (a whole emoji sequence, skin tone and ZWJ
  families included), "…" and "€" weigh 2; every link counts 23 whatever its length.
- SMS is one segment: 160 GSM-7 characters (^ { } [ ] ~ \\ | € count two), or 70 UTF-16 units when
  any character is outside GSM-7 (an emoji, "ł", "ő", Cyrillic ...). Typographic quotes, dashes and
  "…" are sent as their GSM-7 forms, as gateways' smart encoding does.
- Every other platform counts characters (Unicode code points).
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from twitter_text import parse_tweet

from aicmo.domain.schemas.intake import Platform

SMS_UNICODE_SEGMENT = 70
_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
# What SMS gateways' "smart encoding" sends in GSM-7 instead (typographic quotes, dashes, spaces).
_SMART = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "′": "'",
        "–": "-",
        "—": "-",
        "…": "...",
        "•": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


@dataclass(frozen=True)
class Measure:
    """A text's length as `platform` counts it, the limit that applies to it, and the unit's name."""

    length: int
    limit: int
    unit: str = "characters"

    @property
    def fits(self) -> bool:
        return self.length <= self.limit


def measure(text: str, platform: Platform, limit: int) -> Measure:
    """`text` against the platform's `limit` (from the channel registry), counted the platform's way."""
    if platform is Platform.X:
        return Measure(parse_tweet(text).weightedLength, limit, "weighted characters")
    if platform is Platform.SMS:
        text = text.translate(_SMART)
        if all(ch in _GSM7 or ch in _GSM7_EXTENDED for ch in text):
            return Measure(sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text), limit, "GSM-7 characters")
        units = len(text.encode("utf-16-le")) // 2
        return Measure(units, min(limit, SMS_UNICODE_SEGMENT), "UTF-16 units (Unicode SMS)")
    return Measure(len(text), limit)


def x_length(text: str) -> int:
    """X's weighted length of `text` (280 is the limit of a standard post)."""
    return parse_tweet(text).weightedLength
