"""Leads (SPEC §7): statuses and their legal moves, CSV rows, and an explainable score. Pure.

A lead moves NEW → ENRICHED → CONTACTED → REPLIED → QUALIFIED → ROUTED, may be LOST from any
open state, and MANUAL_REVIEW parks it for a person to decide where it goes next. Labels from
other tools are read through `LEGACY_LABELS` (ENGAGED and RESPONDED are replies, WON is routed).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from aicmo.domain.contacts import email_domain, is_disposable, is_free_mail, normalise_email, normalise_phone
from aicmo.domain.csv_files import sniff_delimiter
from aicmo.domain.errors import FieldIssue
from aicmo.domain.names import slug

__all__ = ["normalise_email"]  # re-exported: the services dedupe on it


class LeadStatus(StrEnum):
    NEW = "NEW"
    ENRICHED = "ENRICHED"
    CONTACTED = "CONTACTED"
    REPLIED = "REPLIED"
    QUALIFIED = "QUALIFIED"
    ROUTED = "ROUTED"
    LOST = "LOST"
    MANUAL_REVIEW = "MANUAL_REVIEW"


S = LeadStatus
PIPELINE = (S.NEW, S.ENRICHED, S.CONTACTED, S.REPLIED, S.QUALIFIED, S.ROUTED)
LEGACY_LABELS = {"ENGAGED": S.REPLIED, "RESPONDED": S.REPLIED, "WON": S.ROUTED}
MOVES: dict[LeadStatus, frozenset[LeadStatus]] = {
    S.NEW: frozenset({S.ENRICHED, S.CONTACTED, S.LOST, S.MANUAL_REVIEW}),
    S.ENRICHED: frozenset({S.CONTACTED, S.LOST, S.MANUAL_REVIEW}),
    S.CONTACTED: frozenset({S.REPLIED, S.LOST, S.MANUAL_REVIEW}),
    S.REPLIED: frozenset({S.QUALIFIED, S.LOST, S.MANUAL_REVIEW}),
    S.QUALIFIED: frozenset({S.ROUTED, S.LOST, S.MANUAL_REVIEW}),
    S.ROUTED: frozenset(),  # handed to sales: closed here
    S.LOST: frozenset({S.MANUAL_REVIEW}),  # reopened only through a person's review
    S.MANUAL_REVIEW: frozenset({S.NEW, S.ENRICHED, S.CONTACTED, S.REPLIED, S.QUALIFIED, S.LOST}),
}


def parse_status(label: str) -> LeadStatus:
    """A status from any casing, spacing or legacy label; ValueError naming the allowed ones."""
    key = re.sub(r"[\s\-]+", "_", label.strip()).upper()
    if key in LEGACY_LABELS:
        return LEGACY_LABELS[key]
    try:
        return LeadStatus(key)
    except ValueError:
        allowed = ", ".join([*LeadStatus, *LEGACY_LABELS])
        raise ValueError(f"unknown lead status {label!r}; use one of {allowed}") from None


def can_move(current: LeadStatus, target: LeadStatus) -> bool:
    return target in MOVES[current]


def move_problem(current: LeadStatus, target: LeadStatus) -> str:
    """Why `current` → `target` is refused ("" when it is legal)."""
    if can_move(current, target):
        return ""
    if current == target:
        return f"the lead is already {current}"
    allowed = ", ".join(sorted(MOVES[current])) or "nothing (it is closed)"
    return f"a {current} lead can move to {allowed}, not {target}"


# ---- CSV import ---------------------------------------------------------------------------------
FIELDS = ("name", "email", "company", "title", "source", "campaign", "notes", "consent", "phone")
_ALIASES = {
    "full_name": "name",
    "contact": "name",
    "e_mail": "email",
    "email_address": "email",
    "mail": "email",
    "organisation": "company",
    "organization": "company",
    "firma": "company",
    "unternehmen": "company",
    "societe": "company",
    "entreprise": "company",
    "empresa": "company",
    "einwilligung": "consent",
    "account": "company",
    "job_title": "title",
    "role": "title",
    "position": "title",
    "lead_source": "source",
    "channel": "source",
    "opt_in": "consent",
    "gdpr_consent": "consent",
    "marketing_consent": "consent",
    "phone_number": "phone",
    "telephone": "phone",
    "tel": "phone",
    "mobile": "phone",
    "mobile_phone": "phone",
    "cell": "phone",
    "telefon": "phone",
    "telefonnummer": "phone",
    "handy": "phone",
    "telephone_number": "phone",
}
_YES = {"yes", "y", "true", "1", "opt-in", "opted in", "granted", "ja", "oui", "si", "sí", "sim"}
_NO = {"", "no", "n", "false", "0", "opt-out", "opted out", "withdrawn", "nein", "non", "não", "nao"}
MAX_ROWS = 20_000


@dataclass(frozen=True)
class CsvLead:
    email: str
    name: str = ""
    company: str = ""
    title: str = ""
    source: str = ""
    campaign: str = ""
    notes: str = ""
    consent: bool = False
    phone: str = ""  # E.164 when the file has a phone column


@dataclass
class ParsedCsv:
    rows: list[CsvLead] = field(default_factory=list)
    errors: list[FieldIssue] = field(default_factory=list)  # rows skipped, each named `row N.field`
    duplicates: int = 0  # rows repeating an e-mail earlier in the same file
    delimiter: str = ","


def _column(header: str) -> str:
    key = slug(header, fallback="", max_length=0).replace("-", "_")  # "Société" -> "societe"
    return _ALIASES.get(key, key)


def parse_leads_csv(text: str, region: str = "") -> ParsedCsv:
    """Rows of a leads CSV (header row required; `email` is the only required column). Bad rows
    are reported and skipped, never fatal; a repeated e-mail keeps its first row.

    The separator is sniffed (comma first, then semicolon, tab, pipe); e-mails are checked by the
    API's own rule (`contacts.check_email`); phones are normalised to E.164, national numbers read
    in `region` (the client's country).
    """
    text = text.lstrip("\ufeff")
    delimiter = sniff_delimiter(text, lambda row: "email" in {_column(h) for h in row})
    result = ParsedCsv(delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        _read(reader, result, region)
    except csv.Error as exc:  # e.g. a quote never closed: keep what was read, say where it broke
        result.errors.append(
            FieldIssue("csv", f"the CSV is malformed near line {reader.line_num}: {exc}", "invalid")
        )
    return result


def _read(reader: Iterator[list[str]], result: ParsedCsv, region: str) -> None:
    header = next(reader, None)
    columns = [_column(h) for h in header or []]
    if "email" not in columns:
        found = ", ".join(h for h in header or [] if h.strip()) or "nothing"
        result.errors.append(FieldIssue("csv", f"the CSV needs an email column (found: {found})", "missing"))
        return
    seen: set[str] = set()
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if number - 1 > MAX_ROWS:
            result.errors.append(
                FieldIssue("csv", f"only the first {MAX_ROWS} rows are imported", "too_many")
            )
            break
        record = {col: value.strip() for col, value in zip(columns, values, strict=False) if col in FIELDS}
        try:
            email = normalise_email(record.get("email", ""))
        except ValueError:
            shown = record.get("email", "")[:120] or "empty"
            result.errors.append(
                FieldIssue(f"row {number}.email", f"not an e-mail address: {shown}", "invalid")
            )
            continue
        try:
            phone = normalise_phone(record.get("phone", ""), region)
        except ValueError as exc:
            result.errors.append(FieldIssue(f"row {number}.phone", str(exc)[:200], "invalid"))
            continue
        consent = record.get("consent", "").lower()
        if consent not in _YES | _NO:
            result.errors.append(
                FieldIssue(f"row {number}.consent", f"consent must be yes or no, not {consent!r}", "invalid")
            )
            continue
        if email in seen:
            result.duplicates += 1
            continue
        seen.add(email)
        text_fields = {k: record.get(k, "")[:500] for k in ("name", "company", "title", "source", "campaign")}
        result.rows.append(
            CsvLead(
                email=email,
                notes=record.get("notes", "")[:2000],
                consent=consent in _YES,
                phone=phone,
                **text_fields,
            )
        )


# ---- scoring ------------------------------------------------------------------------------------
_SENIOR = re.compile(
    r"(?i)\b(chief|ceo|cfo|coo|cto|cmo|founder|owner|director|head|vp|vice president|partner|principal)\b"
)
_MANAGER = re.compile(r"(?i)\b(manager|lead|senior|supervisor)\b")
_WARM_SOURCES = re.compile(r"(?i)\b(referr\w*|inbound|demo|webinar|event|trial)\b")
_STAGE_POINTS = {S.CONTACTED: 5, S.REPLIED: 20, S.QUALIFIED: 30, S.ROUTED: 35}


@dataclass(frozen=True)
class LeadScore:
    """0–100: fit (who they are, up to 60) plus engagement (what they did, up to 40), with every
    point's reason, so an operator can see why a lead ranks where it does."""

    fit: int
    engagement: int
    reasons: tuple[str, ...]

    @property
    def total(self) -> int:
        return self.fit + self.engagement


def score_lead(lead: Mapping[str, object], status: LeadStatus, audience: Iterable[str] = ()) -> LeadScore:
    """Score a lead from its fields and status; `audience` holds words of the brief's target
    audience (`audience_terms`: an ICP match is worth the most)."""
    fit, engagement, reasons = 0, 0, []
    title = str(lead.get("title") or "")
    company = str(lead.get("company") or "")
    domain = email_domain(str(lead.get("email") or ""))
    if _SENIOR.search(title):
        fit += 20
        reasons.append(f"+20 senior title ({title})")
    elif _MANAGER.search(title):
        fit += 10
        reasons.append(f"+10 manager title ({title})")
    if company:
        fit += 10
        reasons.append(f"+10 company known ({company})")
    if domain and is_disposable(domain):
        reasons.append(f"0 disposable e-mail domain ({domain})")
    elif domain and is_free_mail(domain):
        reasons.append(f"0 free e-mail domain ({domain}), not a company's")
    elif domain:
        fit += 10
        reasons.append(f"+10 business e-mail domain ({domain})")
    haystack = f"{title} {company} {lead.get('notes') or ''}".lower()
    matched = sorted({t for t in (w.lower() for w in audience) if len(t) > 3 and t in haystack})
    if matched:
        fit += 20
        reasons.append(f"+20 matches the brief's audience ({', '.join(matched[:3])})")
    source = str(lead.get("source") or "")
    if _WARM_SOURCES.search(source):
        engagement += 5
        reasons.append(f"+5 warm source ({source})")
    if status in _STAGE_POINTS:
        engagement += _STAGE_POINTS[status]
        reasons.append(f"+{_STAGE_POINTS[status]} reached {status}")
    if status is S.LOST:
        reasons.append("0 engagement: lost")
        engagement = 0
    return LeadScore(min(fit, 60), min(engagement, 40), tuple(reasons))


def audience_terms(text: str) -> list[str]:
    """The words of a brief's target audience worth matching against a lead (no stop words)."""
    stop = {"and", "the", "for", "with", "who", "that", "their", "from", "into", "across", "people"}
    return sorted({w for w in re.findall(r"[a-z][a-z\-]{3,}", text.lower()) if w not in stop})
