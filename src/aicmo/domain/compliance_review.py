"""The compliance review of a regulated client's content (issue 15): every asset of the strategy,
the creatives and the execution plan read against the brief's compliance rules
(`domain.compliance.rules_for`: the sector packs, the brief's constraints and its required
disclaimers) and its never-say list. Pure: content in as JSON-like dicts, a `ComplianceReview` out.

What blocks (the review is not approved automatically, and an unapproved review holds the
delivery): a forbidden claim anywhere, a banned word anywhere, a required disclosure missing from
a published asset (post, e-mail, reel script, carousel, video script). What is advisory (a person
checks it before publishing): patient stories and testimonials (consent), performance figures
next to the risk warning, job ads without pay, case-result stories, a regulated brief that names
no disclosure at all.

Decisions worth knowing:
- Findings are per asset, not per string: a post whose text and call to action both say a banned
  word is one finding, and its path (`execution.posts.3`) is what the operator opens.
- Disclosures are matched whitespace-insensitively on the whole asset (its text, slides, beats
  and on-screen lines): a disclosure on the last slide of a carousel is on the carousel.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aicmo.domain.compliance import PACKS, ComplianceRules, Sector, rules_for
from aicmo.domain.modules import UPSTREAMS, Module
from aicmo.domain.quality import find_banned, iter_strings
from aicmo.domain.schemas.compliance import ComplianceCheck, ComplianceFinding, ComplianceReview
from aicmo.domain.schemas.intake import Intake, Platform

REVIEWED: tuple[str, ...] = tuple(m.value for m in UPSTREAMS[Module.COMPLIANCE])  # what it reads
# The groups of items a client publishes (each item is one asset that carries the disclosure);
# every other string of a module is checked for claims and banned words on its own path.
PUBLISHED: dict[str, tuple[str, ...]] = {
    Module.CREATIVES.value: ("carousels", "video_scripts"),
    Module.EXECUTION.value: ("posts", "email_sequence", "reel_scripts"),
}
# Items that are seen by the public but too short to carry a disclosure (a reel cover's headline).
SHOWN: dict[str, tuple[str, ...]] = {Module.CREATIVES.value: ("reel_covers", "thumbnails")}

_CONSENT = re.compile(
    r"(?i)\b(?:testimonials?|patient stor(?:y|ies)|before[- ](?:and|&)[- ]after|success stor(?:y|ies)|"
    r"case stud(?:y|ies)|in (?:their|his|her) own words)\b"
)
_FIGURE_WORDS = r"(?:return(?:s|ed)?|yield(?:ed)?|growth|grew|gain(?:s|ed)?|interest|apy|apr|performance)"
_PERFORMANCE = re.compile(
    rf"(?i)\d+(?:\.\d+)?\s?%[^.\n]{{0,40}}\b{_FIGURE_WORDS}\b|\b{_FIGURE_WORDS}\b[^.\n]{{0,40}}\d+(?:\.\d+)?\s?%"
)
_PAY = re.compile(
    r"(?i)[$£€]\s?\d|\d+(?:[.,]\d+)?\s?(?:k|usd|gbp|eur)\b|per hour|an hour|/h(?:ou)?r\b|salary|"
    r"pay (?:range|rate|from|starts)|wage"
)
_EQUAL_OPPORTUNITY = re.compile(r"(?i)equal[- ]opportunit|eeo\b|all qualified applicants")
_CASE_RESULT = re.compile(r"(?i)\b(?:we won|won (?:the|their|his|her) case|settlement of|recovered [$£€])")


_NOT_COPY = frozenset(
    {"id", "post_id", "platform", "scheduled_at", "status", "format", "date", "aspect_ratio"}
)


@dataclass(frozen=True)
class Asset:
    key: str  # dotted path: module.group.index, or module.path for a string outside any item
    text: str  # every string of the asset, one per line
    published: bool  # carries the required disclosure
    platform: str = ""


def assets_of(module: str, content: Mapping[str, Any]) -> Iterator[Asset]:
    """The module's assets: each published item whole, each other string on its own (not `brand`)."""
    grouped = PUBLISHED.get(module, ()) + SHOWN.get(module, ())
    for group in grouped:
        for i, item in enumerate(content.get(group) or []):
            text = "\n".join(t for path, t in iter_strings(item) if path not in _NOT_COPY)
            platform = str(item.get("platform") or "") if isinstance(item, Mapping) else ""
            yield Asset(f"{module}.{group}.{i}", text, group in PUBLISHED.get(module, ()), platform)
    for path, text in iter_strings({k: v for k, v in content.items() if k not in grouped and k != "brand"}):
        yield Asset(f"{module}.{path}", text, False)


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()


def _excerpt(text: str, words: str, width: int = 60) -> str:
    """The sentence-ish stretch around `words` in `text` (one line, at most ~2*width characters)."""
    flat = " ".join(text.split())
    at = flat.lower().find(words.lower())
    if at < 0:
        return flat[: 2 * width]
    start, end = max(0, at - width), min(len(flat), at + len(words) + width)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def _claim_findings(asset: Asset, rules: ComplianceRules, banned: list[str]) -> list[ComplianceFinding]:
    found: dict[tuple[str, str], ComplianceFinding] = {}
    for name, words in rules.violations(asset.text):
        found.setdefault(
            (f"forbidden claim ({name})", words.lower()),
            ComplianceFinding(
                asset=asset.key,
                rule=f"forbidden claim ({name})",
                severity="blocking",
                excerpt=_excerpt(asset.text, words),
                action="Rewrite without the claim: state what the client does, never a promised outcome.",
            ),
        )
    for words in find_banned(asset.text, banned):
        found.setdefault(
            ("banned word", words.lower()),
            ComplianceFinding(
                asset=asset.key,
                rule=f"banned word '{words.lower()}' (the brief's never-say list)",
                severity="blocking",
                excerpt=_excerpt(asset.text, words),
                action="Remove the word; the brief says it must never appear.",
            ),
        )
    return list(found.values())


def _disclosure_findings(asset: Asset, rules: ComplianceRules) -> list[ComplianceFinding]:
    flat = _squash(asset.text)
    return [
        ComplianceFinding(
            asset=asset.key,
            rule="required disclosure missing",
            severity="blocking",
            excerpt=disclosure,
            action="Add the disclosure verbatim (in a script: on screen and in the voice-over's last beat).",
        )
        for disclosure in rules.disclosures
        if _squash(disclosure) not in flat
    ]


def _advisories(asset: Asset, sectors: tuple[Sector, ...]) -> list[ComplianceFinding]:
    if not asset.published:
        return []
    found = []

    def note(rule: str, match: re.Match[str], action: str) -> None:
        excerpt = _excerpt(asset.text, match.group(0))
        found.append(
            ComplianceFinding(asset=asset.key, rule=rule, severity="advisory", excerpt=excerpt, action=action)
        )

    if Sector.HEALTHCARE in sectors and (m := _CONSENT.search(asset.text)):
        note("patient story or testimonial", m, "Publish only with the patient's written consent on file.")
    if Sector.FINANCIAL in sectors and (m := _PERFORMANCE.search(asset.text)):
        note(
            "performance or rate figure",
            m,
            "Keep the risk warning next to the figure; past performance is not a reliable indicator.",
        )
    if Sector.LEGAL in sectors and (m := _CASE_RESULT.search(asset.text)):
        note("case result", m, "Results depend on each case: add that line or remove the result.")
    if (
        Sector.EMPLOYMENT in sectors
        and asset.platform == Platform.JOB_BOARDS.value
        and not _PAY.search(asset.text)
    ):
        found.append(
            ComplianceFinding(
                asset=asset.key,
                rule="job ad without pay",
                severity="advisory",
                excerpt=_excerpt(asset.text, ""),
                action="State the pay range (required in several states and boards; it widens the pool).",
            )
        )
    return found


def review(intake: Intake, contents: Mapping[str, Mapping[str, Any]]) -> ComplianceReview:
    """Review the strategy, creatives and execution in `contents` (module value -> content JSON)
    against `intake`'s compliance rules; modules not in `contents` are not reviewed."""
    rules = rules_for(intake)
    banned = [w for w in intake.banned_words if w.strip()]
    assets = [a for module in REVIEWED if module in contents for a in assets_of(module, contents[module])]
    published = [a for a in assets if a.published]
    claims = [f for a in assets for f in _claim_findings(a, rules, banned)]
    missing = [f for a in published for f in _disclosure_findings(a, rules)]
    advisory = [f for a in assets for f in _advisories(a, rules.sectors)]
    if rules.sectors and not rules.disclosures:
        advisory.append(
            ComplianceFinding(
                asset="intake.required_disclaimers",
                rule="no disclosure named for a regulated sector",
                severity="advisory",
                action="Ask the client's compliance officer for the disclosure every asset must carry.",
            )
        )
    employment_line = [a for a in published if _EQUAL_OPPORTUNITY.search(a.text)]
    if Sector.EMPLOYMENT in rules.sectors and published and not employment_line:
        advisory.append(
            ComplianceFinding(
                asset="execution.posts",
                rule="no equal-opportunity line",
                severity="advisory",
                action="Add the employer's equal-opportunity line to the job ads.",
            )
        )
    blocking = claims + missing
    checks = [
        ComplianceCheck(
            check="No forbidden claims (the sector's pack and the brief's constraints) and no banned words",
            assets=len(assets),
            passed=not claims,
            detail=f"{len(claims)} found"
            if claims
            else f"{len(rules.claims)} claim rules, {len(banned)} banned words checked",
        ),
        ComplianceCheck(
            check="Required disclosure on every published asset",
            assets=len(published),
            passed=not missing,
            detail=(
                f"{len(published) - len({f.asset for f in missing})} of {len(published)} carry it"
                if rules.disclosures
                else "the brief names no disclosure"
            ),
        ),
        ComplianceCheck(
            check="Points for the reviewer (consent, figures, pay, results)",
            assets=len(published),
            passed=True,
            detail=f"{len(advisory)} to check by hand" if advisory else "none",
        ),
    ]
    brand = intake.client_name
    sectors = [PACKS[s].label for s in rules.sectors]
    if blocking:
        verdict = (
            f"{brand}: not ready to publish: {len(blocking)} blocking finding(s) must be fixed, and this "
            "review approved, before the content is published or delivered."
        )
    elif sectors:
        verdict = (
            f"{brand}: ready for the compliance officer's sign-off: no blocking finding across "
            f"{len(assets)} texts ({len(published)} published assets) under {', '.join(sectors)}"
            + (f"; {len(advisory)} point(s) to check by hand." if advisory else ".")
        )
    else:
        verdict = (
            f"{brand}: the brief falls under no regulated sector; its own rules were checked across "
            f"{len(assets)} texts ({len(published)} published assets) and nothing blocks."
        )
    return ComplianceReview(
        brand=brand,
        sectors=sectors,
        verdict=verdict,
        assets_reviewed=len(assets),
        checks=checks,
        findings=blocking + advisory,
        reviewer_notes=list(rules.review_notes),
    )
