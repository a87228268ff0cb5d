"""Names turned into identifiers: one slug rule (`python-slugify`) and one hashtag rule.

A slug is ASCII for URLs, UTM campaigns and file names ("Müller & Söhne" -> "muller-sohne"); a hashtag
keeps the letters of every alphabet, because platforms do ("Café Crème" -> "#CaféCrème").
"""

from __future__ import annotations

import unicodedata

import regex
from slugify import slugify

# A hashtag word: letters (with their combining marks, for scripts like Devanagari) and digits.
# Apostrophes inside a word are dropped ("Joe's" -> "Joes"), any other character splits words.
_APOSTROPHES = [["'", ""], ["’", ""]]
_TAG_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*")


def slug(text: str, fallback: str = "item", max_length: int = 60) -> str:
    """ASCII, lower case, hyphens; at most `max_length` characters, cut at a hyphen; `fallback` if empty."""
    cleaned = slugify(
        text or "", max_length=max_length, word_boundary=True, save_order=True, replacements=_APOSTROPHES
    )
    return cleaned or fallback


def hashtag(text: str) -> str:
    """'on-site childcare' -> '#OnSiteChildcare', 'Zürich Dental' -> '#ZürichDental'; '' when no letters.

    Lower-case words are capitalised; acronyms and inner capitals stay as written ('iPhone', 'NHS').
    """
    text = unicodedata.normalize("NFC", text or "")
    parts = [regex.sub(r"['’]", "", word) for word in _TAG_WORD.findall(text)]
    if not parts:
        return ""
    return "#" + "".join(part.capitalize() if part.islower() else part for part in parts)


def clean_hashtag(tag: str) -> str:
    """A hashtag as written, minus what platforms cut a tag at: '#Café-Crème!' -> '#CaféCrème'."""
    body = regex.sub(r"[^\p{L}\p{M}\p{N}_]", "", unicodedata.normalize("NFC", (tag or "").lstrip("#")))
    return f"#{body}" if body else ""
