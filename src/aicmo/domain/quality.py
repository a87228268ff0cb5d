"""Quality gates (SPEC §9): pure checks that run on every generated output, whoever wrote it.

`check_quality` walks every string of a content model and returns named findings; an empty list
means the output passes. Generators repair what they can (`services.generators`), the rest is
reported to the operator.

Decisions worth knowing:
- A post's caption is rendered as ``text + "\\n\\n" + " ".join(hashtags)`` (see `render_caption`),
  and platform length limits count that whole caption, hashtags included.
- Banned words match as whole words or phrases, case-insensitively, plus a plain plural
  ("guarantee" also catches "guarantees"); "#leverage" counts as the word "leverage".
- The top-level `brand` field does not count as "brand named": the brand must appear in the prose.
- Near-duplicate posts: after removing disclaimers, hashtags, links and punctuation, word 3-shingle
  Jaccard >= 0.8 or a word-level difflib ratio >= 0.9 (one changed word in a short post counts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel

from aicmo.domain import quality_sense as sense
from aicmo.domain.artifacts import Module
from aicmo.domain.channels import CHANNELS
from aicmo.domain.schemas.intake import Intake, Platform
from aicmo.domain.text_length import measure

Severity = Literal["error", "warning"]

# Hard caption limits in characters (rendered caption, hashtags included).
PLATFORM_LIMITS: dict[Platform, int] = {p: c.caption_limit for p, c in CHANNELS.items()}
# Hard hashtag limits (the platform rejects or hides more) and the recommended maximum.
HASHTAG_HARD_LIMITS: dict[Platform, int] = {
    p: c.hashtag_hard for p, c in CHANNELS.items() if c.hashtag_hard is not None
}
HASHTAG_SOFT_LIMITS: dict[Platform, int] = {p: c.hashtag_soft for p, c in CHANNELS.items()}
NEAR_DUPLICATE_JACCARD = 0.8
NEAR_DUPLICATE_RATIO = 0.9

_PLACEHOLDERS = re.compile(
    r"(?i)(\blorem\b|\bipsum dolor\b|\btbd\b|\btbc\b|\btodo\b|\bfixme\b|\[\s*insert|<\s*insert|"
    r"\[\s*your\s|\{\{|\}\}|\bxxx\b)"
)
# Every _PLACEHOLDERS match contains one of these (lower-cased): a cheap test before the regex.
_PLACEHOLDER_HINTS = ("lorem", "ipsum", "tbd", "tbc", "todo", "fixme", "[", "<", "{{", "}}", "xxx")
_HASHTAG_OK = re.compile(r"^#[^\s#]+$")
_LEGAL_SUFFIX = re.compile(
    r"(?i)[\s,]+(inc\.?|ltd\.?|llc|llp|plc|gmbh|pty\.?(\s+ltd\.?)?|co\.?|corp\.?|limited|s\.?a\.?)$"
)


@dataclass(frozen=True)
class Finding:
    """One quality problem at one place (a dotted path into the content, e.g. `posts.3.text`)."""

    code: str
    field: str
    message: str
    severity: Severity = "error"

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


# ---- matchers shared with intake rules and generators ---------------------------------------
@lru_cache(maxsize=256)
def _banned_regex(words: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = sorted({w.strip().lower() for w in words if w and w.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in cleaned)
    return re.compile(rf"(?i)(?<![\w-])(?:{alternation})(?:e?s)?(?![\w-])")


def banned_regex(words: Iterable[str]) -> re.Pattern[str] | None:
    """One compiled pattern matching any banned word or phrase (None when the list is empty)."""
    return _banned_regex(tuple(words))


def find_banned(text: str, words: Iterable[str]) -> list[str]:
    """The banned words/phrases found in `text`, as written there."""
    pattern = banned_regex(words)
    return [m.group(0) for m in pattern.finditer(text)] if pattern else []


def find_placeholders(text: str) -> list[str]:
    low = text.lower()
    if not any(hint in low for hint in _PLACEHOLDER_HINTS):  # most text: skip the regex
        return []
    return [m.group(0) for m in _PLACEHOLDERS.finditer(text)]


def render_caption(text: str, hashtags: Sequence[str]) -> str:
    """The caption as it is posted: the text, a blank line, then the hashtags on one line."""
    tags = " ".join(h for h in hashtags if h)
    return f"{text}\n\n{tags}" if tags else text


def brand_names(client_name: str) -> list[str]:
    """Ways the brand may be named: the full name and the name without a legal suffix."""
    full = " ".join(client_name.split())
    short = _LEGAL_SUFFIX.sub("", full).strip()
    return [n for n in dict.fromkeys([full, short]) if n]


def normalise_for_similarity(text: str, disclaimers: Sequence[str] = ()) -> str:
    for disclaimer in disclaimers:
        text = text.replace(disclaimer, " ")
    text = re.sub(r"https?://\S+|#\S+", " ", text.lower())
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def shingles(text: str, size: int = 3) -> frozenset[tuple[str, ...]]:
    words = text.split()
    if len(words) < size:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def similarity(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    """Jaccard index of two shingle sets."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


@dataclass(frozen=True)
class Comparable:
    """A post text prepared once for near-duplicate comparisons."""

    normalised: str
    tokens: tuple[str, ...]
    vocab: frozenset[str]
    shingles: frozenset[tuple[str, ...]]


def comparable(text: str, disclaimers: Sequence[str] = ()) -> Comparable:
    normalised = normalise_for_similarity(text, disclaimers)
    tokens = tuple(normalised.split())
    return Comparable(normalised, tokens, frozenset(tokens), shingles(normalised))


def is_near_duplicate(a: Comparable, b: Comparable) -> bool:
    """Identical once normalised, 3-shingle Jaccard >= 0.8, or word-level difflib ratio >= 0.9."""
    if not a.normalised or not b.normalised:
        return False
    if a.normalised == b.normalised:
        return True
    small, large = sorted((len(a.tokens), len(b.tokens)))
    if small < NEAR_DUPLICATE_RATIO * large * 0.5:  # lengths too different for either test to pass
        return False
    # Jaccard <= smaller/larger set size: only sets of similar size can reach the threshold.
    sizes = sorted((len(a.shingles), len(b.shingles)))
    if sizes[0] >= NEAR_DUPLICATE_JACCARD * sizes[1] and (
        similarity(a.shingles, b.shingles) >= NEAR_DUPLICATE_JACCARD
    ):
        return True
    if 2 * small / (small + large) < NEAR_DUPLICATE_RATIO or _overlap(a.vocab, b.vocab) < 0.5:
        return False
    return _ratio(list(a.tokens), list(b.tokens)) >= NEAR_DUPLICATE_RATIO


def near_duplicate_pairs(texts: Sequence[str], disclaimers: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Index pairs (i < j) whose texts are identical or near-identical once normalised (see
    `is_near_duplicate`)."""
    return list(_near_duplicate_pairs(tuple(texts), tuple(disclaimers)))


@lru_cache(maxsize=32)
def _near_duplicate_pairs(
    texts: tuple[str, ...], disclaimers: tuple[str, ...]
) -> tuple[tuple[int, int], ...]:
    """Memoised: a module's repair and then its quality gate ask about the same posts (quadratic)."""
    prepared = [comparable(t, disclaimers) for t in texts]
    return tuple(
        (i, j) for j in range(len(prepared)) for i in range(j) if is_near_duplicate(prepared[i], prepared[j])
    )


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) if a and b else 0.0


def _ratio(a: list[str], b: list[str]) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < NEAR_DUPLICATE_RATIO or matcher.quick_ratio() < NEAR_DUPLICATE_RATIO:
        return 0.0
    return matcher.ratio()


# ---- walking content ----------------------------------------------------------------------------
def iter_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a JSON-like tree with its dotted path (`posts.3.text`)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from iter_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from iter_strings(item, f"{path}.{index}" if path else str(index))


# ---- the gates --------------------------------------------------------------------------------
def check_quality(
    module: Module,
    content: BaseModel,
    intake: Intake,
    window_start: date,
    window_end: date,
) -> list[Finding]:
    """All findings for `content` of `module`; an empty list means the output passes SPEC §9."""
    data = content.model_dump(mode="json")
    strings = list(iter_strings(data))
    is_brief = module is Module.INTAKE
    findings: list[Finding] = []
    findings += _placeholder_findings(strings, "warning" if is_brief else "error")
    if is_brief:
        return findings
    findings += _brand_findings(strings, intake.client_name)
    if module is Module.COMPLIANCE:  # it quotes claims and banned words on purpose: its own
        return findings + _compliance_findings(data)  # blocking findings are its errors
    findings += _banned_findings(strings, intake.banned_words)
    if module is Module.EXECUTION:
        findings += _execution_findings(data, content, intake, window_start, window_end)
    findings += _sense_findings(module, content, data, strings, intake, window_start, window_end)
    return findings


def check_partial(
    module: Module,
    output_type: type[BaseModel],
    data: dict[str, Any],
    intake: Intake,
    window_start: date,
    window_end: date,
) -> list[Finding]:
    """The sense and coverage gates on a module whose parts do not all validate (a missing or
    unusable part): what is there is still checked, so the findings name the incoherent fields and
    the channels and weeks with no posts, not only the missing part."""
    strings = [(p, t) for p, t in iter_strings(data) if p != "brand"]
    found = sense.prose_findings(getattr(output_type, "PROSE_FIELDS", ()), data)
    found += sense.fit_findings(module, data, strings, intake)
    if module is Module.STRATEGY:
        found += sense.kpi_findings(data, intake)
    if module is Module.EXECUTION:
        found += sense.coverage_findings(data, intake, window_start, window_end)
    return [Finding(code, field, message) for code, field, message in found]


def _sense_findings(
    module: Module,
    content: BaseModel,
    data: dict[str, Any],
    strings: list[tuple[str, str]],
    intake: Intake,
    window_start: date,
    window_end: date,
) -> list[Finding]:
    """Sense, fit and coverage (domain.quality_sense): prose, calls to action, claims, disclosures,
    KPIs with numbers, posts across the whole window. Every one is an error."""
    found = sense.prose_findings(getattr(type(content), "PROSE_FIELDS", ()), data)
    found += sense.fit_findings(module, data, [(p, t) for p, t in strings if p != "brand"], intake)
    if module is Module.STRATEGY:
        found += sense.kpi_findings(data, intake)
    if module is Module.EXECUTION:
        found += sense.coverage_findings(data, intake, window_start, window_end)
    return [Finding(code, field, message) for code, field, message in found]


def _compliance_findings(data: dict[str, Any]) -> list[Finding]:
    """A compliance review's blocking findings, one error each: never approved automatically."""
    return [
        Finding(
            "compliance_blocking",
            f"findings.{i}",
            f"{f.get('asset', '')}: {f.get('rule', '')} ({f.get('excerpt', '')!r})",
        )
        for i, f in enumerate(data.get("findings") or [])
        if isinstance(f, dict) and f.get("severity") == "blocking"
    ]


def _placeholder_findings(strings: list[tuple[str, str]], severity: Severity) -> list[Finding]:
    findings = []
    for path, text in strings:
        found = find_placeholders(text)
        if found:
            findings.append(
                Finding("placeholder", path, f"placeholder text {found[0]!r} must be replaced", severity)
            )
    return findings


def _brand_findings(strings: list[tuple[str, str]], client_name: str) -> list[Finding]:
    names = [n.lower() for n in brand_names(client_name)]
    for path, text in strings:
        if path == "brand":
            continue
        lowered = " ".join(text.lower().split())
        if any(name in lowered for name in names):
            return []
    return [Finding("brand_missing", "", f"the brand {client_name!r} is not named anywhere in the content")]


def _banned_findings(strings: list[tuple[str, str]], banned: Sequence[str]) -> list[Finding]:
    if not banned_regex(banned):
        return []
    findings = []
    for path, text in strings:
        found = find_banned(text, banned)
        if found:
            words = ", ".join(sorted({f"'{w.lower()}'" for w in found}))
            findings.append(Finding("banned_word", path, f"uses banned word(s) {words}"))
    return findings


def _execution_findings(
    data: dict[str, Any],
    content: BaseModel,
    intake: Intake,
    window_start: date,
    window_end: date,
) -> list[Finding]:
    findings: list[Finding] = []
    posts = getattr(content, "posts", []) or []
    disclaimers = list(intake.required_disclaimers)
    for index, post in enumerate(posts):
        findings += _post_findings(index, post, disclaimers, window_start, window_end)
    for index, email in enumerate(getattr(content, "email_sequence", []) or []):
        for disclaimer in disclaimers:
            if disclaimer not in email.body:
                findings.append(
                    Finding(
                        "disclaimer_missing",
                        f"email_sequence.{index}.body",
                        f"required disclaimer missing: {disclaimer!r}",
                    )
                )
    findings += _calendar_findings(data, {p.id for p in posts}, window_start, window_end)
    for i, j in near_duplicate_pairs([p.text for p in posts], disclaimers):
        findings.append(
            Finding(
                "duplicate_post",
                f"posts.{j}.text",
                f"post {posts[j].id!r} duplicates post {posts[i].id!r}",
            )
        )
    return findings


def _post_findings(
    index: int, post: Any, disclaimers: list[str], window_start: date, window_end: date
) -> list[Finding]:
    path = f"posts.{index}"
    platform = Platform(post.platform)
    findings: list[Finding] = []
    for disclaimer in disclaimers:
        if disclaimer not in post.text:
            findings.append(
                Finding("disclaimer_missing", f"{path}.text", f"required disclaimer missing: {disclaimer!r}")
            )
    size = measure(render_caption(post.text, post.hashtags), platform, PLATFORM_LIMITS[platform])
    if not size.fits:  # X weighs links as 23 and emoji/CJK as 2; SMS counts GSM-7 or UTF-16
        findings.append(
            Finding(
                "too_long",
                f"{path}.text",
                f"{platform.value} caption is {size.length} {size.unit} with hashtags (limit {size.limit})",
            )
        )
    count = len(post.hashtags)
    hard = HASHTAG_HARD_LIMITS.get(platform)
    soft = HASHTAG_SOFT_LIMITS.get(platform)
    if hard is not None and count > hard:
        findings.append(
            Finding(
                "too_many_hashtags", f"{path}.hashtags", f"{count} hashtags on {platform.value} (max {hard})"
            )
        )
    elif soft is not None and count > soft:
        findings.append(
            Finding(
                "too_many_hashtags",
                f"{path}.hashtags",
                f"{count} hashtags on {platform.value} (recommended at most {soft})",
                "warning",
            )
        )
    for h_index, tag in enumerate(post.hashtags):
        if not _HASHTAG_OK.match(tag):
            findings.append(
                Finding("hashtag_format", f"{path}.hashtags.{h_index}", f"{tag!r} is not a single #hashtag")
            )
    findings += _date_findings(f"{path}.scheduled_at", post.scheduled_at, window_start, window_end)
    return findings


def _date_findings(path: str, when: datetime, window_start: date, window_end: date) -> list[Finding]:
    findings = []
    if when.tzinfo is None or when.utcoffset() is None:
        findings.append(Finding("timezone_missing", path, "scheduled time has no UTC offset"))
    if not window_start <= when.date() <= window_end:
        findings.append(
            Finding(
                "outside_window",
                path,
                f"{when.date().isoformat()} is outside the engagement window "
                f"{window_start.isoformat()} to {window_end.isoformat()}",
            )
        )
    return findings


def _calendar_findings(
    data: dict[str, Any], post_ids: set[str], window_start: date, window_end: date
) -> list[Finding]:
    findings = []
    for index, entry in enumerate(data.get("calendar") or []):
        path = f"calendar.{index}"
        if entry.get("post_id") not in post_ids:
            findings.append(
                Finding("calendar_orphan", f"{path}.post_id", f"no post with id {entry.get('post_id')!r}")
            )
        try:
            day = date.fromisoformat(str(entry.get("date", ""))[:10])
        except ValueError:
            findings.append(Finding("bad_date", f"{path}.date", f"{entry.get('date')!r} is not a date"))
            continue
        if not window_start <= day <= window_end:
            findings.append(
                Finding(
                    "outside_window",
                    f"{path}.date",
                    f"{day.isoformat()} is outside the engagement window "
                    f"{window_start.isoformat()} to {window_end.isoformat()}",
                )
            )
    return findings


def check_posts(posts: Sequence[Any], intake: Intake, window_start: date, window_end: date) -> list[Finding]:
    """The gates one post at a time, for posts outside an execution plan (campaign items): placeholders,
    banned words, disclaimers, the platform's length and hashtag limits, dates inside the window."""
    findings: list[Finding] = []
    disclaimers = list(intake.required_disclaimers)
    for index, post in enumerate(posts):
        strings = [
            (f"posts.{index}.text", post.text),
            *((f"posts.{index}.hashtags", h) for h in post.hashtags),
        ]
        findings += _placeholder_findings(strings, "error")
        findings += _banned_findings(strings, intake.banned_words)
        findings += _post_findings(index, post, disclaimers, window_start, window_end)
    return findings
