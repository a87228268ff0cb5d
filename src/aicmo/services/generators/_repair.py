"""Mechanical repairs behind the quality gates: banned words, placeholders, disclaimers, length.

These work on any content, whoever wrote it (an LLM, an operator's amendment, the offline planner).
The brand name and the required disclaimers are protected: they are never rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from aicmo.domain.compliance import ComplianceRules, rules_for
from aicmo.domain.quality import (
    HASHTAG_HARD_LIMITS,
    PLATFORM_LIMITS,
    banned_regex,
    brand_names,
    find_banned,
    find_placeholders,
    iter_strings,
    render_caption,
)
from aicmo.domain.schemas.intake import Intake, Platform
from aicmo.domain.text_length import measure
from aicmo.services.generators._posts import HASHTAG_COUNTS, clean_hashtags
from aicmo.services.generators._text import trim_to

T = TypeVar("T", bound=BaseModel)

# Plain replacements for words clients commonly ban; anything else is removed.
SYNONYMS: dict[str, str] = {
    "leverage": "use",
    "leveraging": "using",
    "utilize": "use",
    "utilise": "use",
    "world-class": "proven",
    "best-in-class": "proven",
    "guarantee": "commitment",
    "guaranteed": "assured",
    "artisanal": "small-batch",
    "rockstar": "standout",
    "ninja": "expert",
    "guru": "expert",
    "synergy": "teamwork",
    "disruptive": "new",
    "revolutionary": "new",
    "cutting-edge": "modern",
    "game-changer": "big step",
    "game-changing": "meaningful",
    "seamless": "smooth",
    "seamlessly": "smoothly",
    "innovative": "new",
    "cheap": "affordable",
    "amazing": "great",
    "unlock": "open up",
    "journey": "path",
}
_BRACKETS = re.compile(r"(?i)\[\s*(?:insert|your)[^\]]*\]|<\s*insert[^>]*>|\{\{[^}]*\}\}")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n")


def protected_phrases(intake: Intake) -> list[str]:
    return [p for p in [*intake.required_disclaimers, intake.client_name] if p]


def scrub_text(text: str, banned: Sequence[str], protected: Sequence[str] = ()) -> str:
    """`text` with banned words replaced (or removed) and placeholders taken out."""
    if not text:
        return text
    masks: dict[str, str] = {}
    for index, phrase in enumerate(sorted(protected, key=len, reverse=True)):
        if phrase and phrase in text:
            token = f"\x00{index}\x00"
            masks[token] = phrase
            text = text.replace(phrase, token)
    if find_placeholders(text):
        text = _remove_placeholders(text)
    pattern = banned_regex(banned)
    if pattern and pattern.search(text):
        text = _tidy(pattern.sub(lambda m: _replacement(m.group(0), banned), text))
    for token, phrase in masks.items():
        text = text.replace(token, phrase)
    return text


def _replacement(word: str, banned: Sequence[str]) -> str:
    key = word.lower()
    plural = ""
    if key not in SYNONYMS and key.endswith("s") and key[:-1] in SYNONYMS:
        key, plural = key[:-1], "s"
    synonym = SYNONYMS.get(key, "")
    if synonym and not find_banned(synonym, banned):
        synonym += plural
        return synonym[:1].upper() + synonym[1:] if word[:1].isupper() else synonym
    return ""


def _remove_placeholders(text: str) -> str:
    text = _BRACKETS.sub("", text)
    if not find_placeholders(text):
        return _tidy(text)
    kept = [s for s in _SENTENCES.split(text) if s and not find_placeholders(s)]
    return _tidy(" ".join(kept))


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])\1+", r"\1", text)
    text = re.sub(r"(^|\n)[ \t]*[,;:] *", r"\1", text)
    text = re.sub(r"\b(a|an|the) +([,.;:!?])", r"\2", text)
    return text.strip(" ")


def scrub_model(content: T, intake: Intake) -> T:
    """Banned words and placeholders removed from every string; hashtags with them are dropped;
    sentences making a claim the brief's sector or constraints forbid are dropped (when something
    is left: otherwise the gate reports it)."""
    banned = list(intake.banned_words)
    protected = protected_phrases(intake)
    data = content.model_dump(mode="python")
    cleaned = _walk(data, banned, protected, key="")
    cleaned = _without_claims(cleaned, rules_for(intake), key="")
    return type(content).model_validate(cleaned)


def drop_claims(text: str, rules: ComplianceRules) -> str:
    """`text` without the sentences (or lines) that make a forbidden claim; unchanged when every
    sentence does, so nothing is emptied silently."""
    if not rules.violations(text):
        return text
    lines = []
    for line in text.split("\n"):
        kept = [s for s in _SENTENCES.split(line) if s and not rules.violations(s)]
        lines.append(" ".join(kept))
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return result if result and result != text else text


def _without_claims(value: Any, rules: ComplianceRules, key: str) -> Any:
    if not rules.claims:
        return value
    if isinstance(value, str):
        return drop_claims(value, rules) if key not in {"brand", "hashtags"} else value
    if isinstance(value, dict):
        return {k: _without_claims(v, rules, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        if key == "hashtags":
            return [t for t in value if not (isinstance(t, str) and rules.violations(t.lstrip("#")))]
        return [_without_claims(v, rules, key) for v in value]
    return value


def with_disclosure(items: Sequence[str], disclaimers: Sequence[str]) -> list[str]:
    """A script's on-screen lines with every required disclaimer among them."""
    text = "\n".join(items)
    return [*items, *(d for d in disclaimers if d not in text)]


def _walk(value: Any, banned: list[str], protected: list[str], key: str) -> Any:
    if isinstance(value, str):
        return scrub_text(value, banned, protected) if key != "brand" else value
    if isinstance(value, dict):
        return {k: _walk(v, banned, protected, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        if key == "hashtags":
            tags = [t for t in value if isinstance(t, str) and not find_placeholders(t)]
            return clean_hashtags(tags, banned)
        items = [_walk(v, banned, protected, key) for v in value]
        if key == "hashtag_sets":  # a set whose every tag was dropped goes as well
            items = [i for i in items if not isinstance(i, dict) or i.get("hashtags")]
        return items
    return value


def with_disclaimers(text: str, disclaimers: Sequence[str]) -> str:
    missing = [d for d in disclaimers if d not in text]
    return "\n\n".join([text.rstrip(), *missing]) if missing else text


def cap_hashtags(platform: Platform, hashtags: Sequence[str]) -> list[str]:
    limit = min(HASHTAG_COUNTS.get(platform, 3), HASHTAG_HARD_LIMITS.get(platform, 30))
    if platform in HASHTAG_COUNTS and HASHTAG_COUNTS[platform] == 0:
        return []
    return list(hashtags)[: max(limit, 0)]


def shorten(
    platform: Platform, text: str, hashtags: Sequence[str], cta: str, disclaimers: Sequence[str]
) -> tuple[str, list[str]]:
    """Fit the caption within the platform limit, keeping the CTA line and the disclaimers.

    Hashtags go first (they are least important), then the body is trimmed at a sentence or
    word boundary.
    """
    limit = PLATFORM_LIMITS[platform]
    tags = list(hashtags)
    while tags and overflow(platform, text, tags) > 0:
        tags.pop()
    if overflow(platform, text, tags) <= 0:
        return text, tags
    body = text
    for disclaimer in disclaimers:
        body = body.replace(disclaimer, "")
    cta_line = ""
    at = body.lower().rfind(cta.lower()) if cta else -1
    if at >= 0:
        line_end = body.find("\n", at)
        line_end = len(body) if line_end < 0 else line_end
        cta_line = body[at:line_end].strip()
        body = body[:at] + body[line_end:]
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    tail = "\n\n".join(p for p in [cta_line, *disclaimers] if p)
    room = limit - len(render_caption(tail, tags)) - 2
    body = trim_to(body, room) if room > 0 else ""
    result = "\n\n".join(p for p in [body, tail] if p)
    while body and (over := overflow(platform, result, tags)) > 0:  # a weighted limit (X, SMS)
        body = trim_to(body, len(body) - over) if len(body) > over else ""
        result = "\n\n".join(p for p in [body, tail] if p)
    if len(render_caption(result, tags)) > limit:  # the CTA itself is too long: trim it as well
        keep = "\n\n".join(disclaimers)
        room = limit - len(render_caption(keep, tags)) - 2
        result = "\n\n".join(
            p for p in [trim_to(f"{body} {cta_line}".strip(), room) if room > 0 else "", keep] if p
        )
    return _trim_until_it_fits(platform, result, tags, disclaimers), tags


def overflow(platform: Platform, text: str, hashtags: Sequence[str]) -> int:
    """How far the caption is over the platform's limit, counted the platform's way (X weighs links,
    emoji and CJK; SMS counts its segment): > 0 means too long."""
    size = measure(render_caption(text, hashtags), platform, PLATFORM_LIMITS[platform])
    return size.length - size.limit


def _trim_until_it_fits(
    platform: Platform, text: str, tags: Sequence[str], disclaimers: Sequence[str]
) -> str:
    """Character-based trimming can still be over a weighted limit (CJK, emoji, '…' on X; a Unicode
    SMS): trim the body before the disclaimers by the overflow until it fits."""
    keep = "\n\n".join(disclaimers)
    body = text.removesuffix(keep).rstrip() if keep else text
    while body and (over := overflow(platform, "\n\n".join(p for p in [body, keep] if p), tags)) > 0:
        body = trim_to(body, max(len(body) - over, 0)) if len(body) > over else ""
    return "\n\n".join(p for p in [body, keep] if p)


def ensure_brand(content: T, intake: Intake, path: str) -> T:
    """Name the brand at `path` (a dotted path to a text field) when the content never names it."""
    names = [n.lower() for n in brand_names(intake.client_name)]
    data = content.model_dump(mode="python")
    texts = [text.lower() for key, text in iter_strings(data) if key != "brand"]
    if any(name in text for name in names for text in texts):
        return content
    *parents, leaf = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[leaf] = f"{intake.client_name}: {node[leaf]}" if node.get(leaf) else intake.client_name
    return type(content).model_validate(data)
