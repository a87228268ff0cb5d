"""Small text utilities for the offline planner: splitting brief fields, casing, trimming.

Slugs, hashtags, money and numbers come from the domain (`names`, `locale`) and are re-exported here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from aicmo.domain.locale import DEFAULT_LOCALE, format_money, format_number
from aicmo.domain.names import hashtag as hashtag
from aicmo.domain.names import slug as slug
from aicmo.domain.quality import find_placeholders

_SPLIT_STRONG = re.compile(r"\s*(?:;|\n|\u2022|\s\|\s)\s*")
_SPLIT_COMMA = re.compile(r"\s*,(?!\d{3})\s*")
_QUESTIONS = re.compile(r"(?<=\?)\s+(?=[A-Z])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def clean(text: str | None) -> str:
    """The text without surrounding space; empty when it is a placeholder ('TBD', 'lorem ...')."""
    text = " ".join((text or "").split())
    return "" if find_placeholders(text) else text


def split_items(text: str | None, limit: int = 8) -> list[str]:
    """Split a brief list into items: one per line, per ';' or bullet, per question, or per comma.

    Lines are split before anything else, so a multi-line answer never runs together into one
    sentence. Commas split only a real list: three or more parts of two words or more, or two
    parts of three words or more, so "Fresh, interesting coffee" and "A fast, filling lunch" stay
    whole while "Mentored first year, flexible rosters, on-site childcare" becomes three.
    """
    if not clean(text):
        return []
    lines = [clean(line) for line in (text or "").splitlines()]
    parts = [p.strip(" .") for line in lines for p in _SPLIT_STRONG.split(line) if p.strip(" .")]
    parts = [q.strip() for p in parts for q in _QUESTIONS.split(p) if q.strip(" .")]
    if len(parts) == 1:
        commas = [p.strip(" .") for p in _SPLIT_COMMA.split(parts[0]) if p.strip(" .")]
        sizes = [len(p.split()) for p in commas]
        if (len(commas) >= 3 and min(sizes) >= 2) or (len(commas) == 2 and min(sizes) >= 3):
            parts = commas
    items = [cap(p) for p in parts if not find_placeholders(p)]
    return list(dict.fromkeys(items))[:limit]


def clean_items(items: Iterable[str], limit: int = 8) -> list[str]:
    return list(dict.fromkeys(cap(c) for c in (clean(i) for i in items) if c))[:limit]


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# "Weeks-long", "Plant-based", "Award-winning": an ordinary compound whatever its head ("Slack-native"
# keeps its capital: it may be a name)
_HYPHEN_TAILS = frozenset(
    [
        "long",
        "based",
        "old",
        "free",
        "round",
        "run",
        "owned",
        "winning",
        "friendly",
        "only",
        "wide",
        "led",
        "produced",
        "made",
        "built",
        "safe",
        "sized",
        "priced",
        "looking",
    ]
)
_HYPHEN_HEADS = frozenset(
    [
        "on",
        "off",
        "in",
        "out",
        "self",
        "well",
        "long",
        "short",
        "high",
        "low",
        "full",
        "part",
        "same",
        "next",
        "first",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "non",
        "co",
        "re",
        "pre",
        "post",
        "multi",
        "all",
        "fixed",
        "real",
        "world",
        "best",
        "cross",
        "top",
        "end",
        "open",
        "hands",
        "day",
        "week",
        "year",
        "single",
        "small",
        "family",
        "plant",
        "data",
        "time",
        "cost",
        "user",
        "easy",
        "award",
        "new",
        "sugar",
        "gluten",
        "plant",
        "ready",
    ]
)


def lc_first(text: str, proper: Iterable[str] = ()) -> str:
    """Lower-case the first letter when the first word is an ordinary capitalised word.

    Acronyms (HR), inner capitals (iPhone), names listed in `proper` and hyphenated words whose
    head is not a common word ("Slack-native") keep their case.
    """
    if not text:
        return text
    first = text.split(maxsplit=1)[0]
    core = first.strip(".,:;!?'\"()")
    if core.lower() in {p.lower() for p in proper}:
        return text
    head, _, rest = core.partition("-")
    if rest and head.lower() not in _HYPHEN_HEADS and rest.lower() not in _HYPHEN_TAILS:
        return text
    words_ = text.split()
    if len(words_) > 1 and words_[1][:1].isupper() and words_[1][1:].islower():
        return text  # a title-case name ("Great Place to Work certified") keeps its capitals
    plain = (head + rest.replace("-", "")).isalpha()
    if (
        plain
        and head[:1].isupper()
        and (head[1:].islower() or len(head) == 1)
        and (not rest or rest.islower())
    ):
        return text[:1].lower() + text[1:]
    return text


def short_phrase(text: str, max_words: int = 8) -> str:
    """A short form of a brief item for titles: whole when short, else cut at a natural break."""
    text = strip_end(text)
    if len(text.split()) <= max_words:
        return text
    _, colon, tail = text.partition(": ")
    if colon and len(tail.split()) <= max_words:
        return strip_end(tail)
    for marker in (" — ", " - ", "; ", ", ", " with ", " that ", " who ", " because ", " and ", " for "):
        cut = text.split(marker, 1)[0]
        if marker in text and 2 <= len(cut.split()) <= max_words:
            return strip_end(cut)
    return strip_end(" ".join(text.split()[:max_words])) + "…"


def sentence(text: str) -> str:
    """`text` as one sentence: capitalised, ending with punctuation."""
    text = text.strip()
    if not text:
        return text
    text = cap(text)
    return text if text[-1] in ".!?:" else f"{text}."


def strip_end(text: str) -> str:
    return text.strip().rstrip(".!?;:, ")


def human_list(items: Sequence[str], conjunction: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def words(text: str, count: int) -> str:
    parts = text.split()
    return " ".join(parts[:count]) if len(parts) > count else text


def trim_to(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a sentence end, else a word boundary (with an ellipsis)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    if limit <= 1:
        return text[:limit]
    window = text[:limit]
    ends = [m.start() for m in _SENTENCE_END.finditer(window + " ")]
    if ends and ends[-1] >= limit * 0.5:
        return window[: ends[-1]].strip()
    cut = window[: limit - 1].rsplit(None, 1)[0] if " " in window else window[: limit - 1]
    return cut.rstrip(",;:-– ") + "…"


def stable_index(seed: str, size: int) -> int:
    """A deterministic pseudo-random index in range(size) derived from `seed`."""
    if size <= 0:
        return 0
    return int(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:12], 16) % size


def rotate(items: Sequence[str], start: int) -> list[str]:
    if not items:
        return []
    start %= len(items)
    return [*items[start:], *items[:start]]


def pick(items: Sequence[str], index: int, fallback: str = "") -> str:
    return items[index % len(items)] if items else fallback


def money(amount: float, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """The domain's one money formatter ('$20K', '£2.5M', '15.000 €')."""
    return format_money(amount, currency, locale)


def number(value: float, locale: str = DEFAULT_LOCALE) -> str:
    return format_number(value, locale)
