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
from datetime import datetime
from enum import StrEnum
from functools import cache, lru_cache
from operator import itemgetter
from zoneinfo import available_timezones

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


@dataclass(frozen=True)
class LeadFilter:
    """Which of a client's leads a list, an export or an enrolment takes (all given ones apply)."""

    status: str | None = None
    tier: str | None = None
    q: str = ""  # in e-mail, name, company, city or title, any case
    batch_id: str | None = None
    min_score: int | None = None

    def matches(self, lead: Mapping[str, object]) -> bool:
        if self.status and lead.get("status") != self.status:
            return False
        if self.tier and lead.get("tier") != self.tier:
            return False
        if self.batch_id and lead.get("batch_id") != self.batch_id:
            return False
        if self.min_score is not None and int(str(lead.get("score") or 0)) < self.min_score:
            return False
        if self.q:
            text = " ".join(str(lead.get(k) or "") for k in ("email", "name", "company", "city", "title"))
            return self.q.lower() in text.lower()
        return True


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
FIELDS = (
    "email",
    "name",
    "first_name",
    "last_name",
    "company",
    "title",
    "source",
    "campaign",
    "notes",
    "consent",
    "phone",
    "city",
    "region",
    "timezone",
)
_ALIASES = {
    "full_name": "name",
    "contact": "name",
    "contact_name": "name",
    "first": "first_name",
    "firstname": "first_name",
    "given_name": "first_name",
    "forename": "first_name",
    "vorname": "first_name",
    "prenom": "first_name",
    "nombre": "first_name",
    "last": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "nachname": "last_name",
    "nom": "last_name",
    "apellido": "last_name",
    "town": "city",
    "stadt": "city",
    "ort": "city",
    "ville": "city",
    "ciudad": "city",
    "state": "region",
    "province": "region",
    "county": "region",
    "state_province": "region",
    "bundesland": "region",
    "time_zone": "timezone",
    "tz": "timezone",
    "e_mail": "email",
    "email_address": "email",
    "mail": "email",
    "organisation": "company",
    "organization": "company",
    "company_name": "company",
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
MAX_ROWS = 200_000
_SHORT = ("name", "company", "title", "source", "campaign")  # up to 500 characters
_PLACE = ("first_name", "last_name", "city", "region")  # up to 200 characters


@dataclass  # not frozen: a frozen dataclass's __init__ costs several times more per row of an import
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
    first_name: str = ""
    last_name: str = ""
    city: str = ""
    region: str = ""
    timezone: str = ""  # IANA, the recipient's (quiet hours)


@dataclass
class ParsedCsv:
    rows: list[CsvLead] = field(default_factory=list)
    errors: list[FieldIssue] = field(default_factory=list)  # rows skipped, each named `row N.field`
    duplicates: int = 0  # rows repeating an e-mail earlier in the same file
    delimiter: str = ","
    rows_read: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # file header -> lead field (as read)


def _column(header: str) -> str:
    key = slug(header, fallback="", max_length=0).replace("-", "_")  # "Société" -> "societe"
    return _ALIASES.get(key, key)


def column_mapping(headers: Iterable[str], mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each file header -> the lead field it fills ('' when ignored). `mapping` (header -> field,
    '' to ignore a column) overrides the built-in aliases; ValueError naming a bad target."""
    explicit = {k.strip().lower(): v.strip() for k, v in (mapping or {}).items()}
    for header, target in explicit.items():
        if target and target not in FIELDS:
            raise ValueError(
                f"column {header!r} maps to {target!r}, which is not a lead field ({', '.join(FIELDS)})"
            )
    result = {}
    for header in headers:
        key = header.strip().lower()
        target = explicit[key] if key in explicit else _column(header)
        result[header] = target if target in FIELDS else ""
    return result


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_timezone(value: str) -> str:
    """An IANA time zone name ('' stays ''); ValueError otherwise."""
    text = value.strip()
    if text and text not in _zones():
        raise ValueError(f"not an IANA time zone (e.g. Europe/London): {text[:60]}")
    return text


def parse_leads_csv(
    text: str, country: str = "", mapping: Mapping[str, str] | None = None, max_rows: int = MAX_ROWS
) -> ParsedCsv:
    """Rows of a leads CSV (header row required; `email` is the only required column). Bad rows
    are reported and skipped, never fatal; a repeated e-mail keeps its first row.

    The separator is sniffed (comma first, then semicolon, tab, pipe); e-mails are checked by the
    API's own rule (`contacts.check_email`); phones are normalised to E.164, national numbers read
    in `country` (the client's, ISO alpha-2). `mapping` names columns the aliases do not know.
    """
    text = text.lstrip("\ufeff")
    explicit = {k.strip().lower(): v for k, v in (mapping or {}).items()}

    def has_email(row: list[str]) -> bool:
        return "email" in {explicit.get(h.strip().lower()) or _column(h) for h in row}

    delimiter = sniff_delimiter(text, has_email)
    result = ParsedCsv(delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        _read(reader, result, country, mapping, max_rows)
    except csv.Error as exc:  # e.g. a quote never closed: keep what was read, say where it broke
        result.errors.append(
            FieldIssue("csv", f"the CSV is malformed near line {reader.line_num}: {exc}", "invalid")
        )
    return result


def _read(
    reader: Iterator[list[str]],
    result: ParsedCsv,
    country: str,
    mapping: Mapping[str, str] | None,
    max_rows: int,
) -> None:
    header = next(reader, None) or []
    result.columns = column_mapping(header, mapping)
    columns = list(result.columns.values())
    if "email" not in columns:
        found = ", ".join(h for h in header if h.strip()) or "nothing"
        result.errors.append(FieldIssue("csv", f"the CSV needs an email column (found: {found})", "missing"))
        return
    index = {col: i for i, col in enumerate(columns) if col}  # a field named twice: its last column
    present = tuple(index)
    take = itemgetter(*index.values())  # one column only (email): a bare value, not a tuple
    take_row = take if len(present) > 1 else lambda values: (take(values),)
    need = max(index.values()) + 1
    used = [(i, col) for i, col in enumerate(columns) if col]
    seen: set[str] = set()
    errors = result.errors
    append = result.rows.append
    strip = str.strip
    for number, values in enumerate(reader, start=2):
        if not any(values):
            continue
        if number - 1 > max_rows:
            errors.append(FieldIssue("csv", f"only the first {max_rows} rows are imported", "too_many"))
            break
        result.rows_read += 1
        width = len(values)
        if width >= need:
            record = dict(zip(present, map(strip, take_row(values)), strict=True))
        else:  # a short row: the cells it has (its missing ones read as empty)
            record = {col: values[i].strip() for i, col in used if i < width}
        raw_email = record.get("email", "")
        try:
            email = normalise_email(raw_email)
        except ValueError:
            shown = raw_email[:120] or "empty"
            errors.append(FieldIssue(f"row {number}.email", f"not an e-mail address: {shown}", "invalid"))
            continue
        try:
            phone = normalise_phone(record["phone"], country) if record.get("phone") else ""
        except ValueError as exc:
            errors.append(FieldIssue(f"row {number}.phone", str(exc)[:200], "invalid"))
            continue
        consent = record.get("consent", "").lower()
        if consent not in _YES and consent not in _NO:
            errors.append(
                FieldIssue(f"row {number}.consent", f"consent must be yes or no, not {consent!r}", "invalid")
            )
            continue
        try:
            zone = check_timezone(record["timezone"]) if record.get("timezone") else ""
        except ValueError as exc:
            errors.append(FieldIssue(f"row {number}.timezone", str(exc), "invalid"))
            continue
        if email in seen:
            result.duplicates += 1
            continue
        seen.add(email)
        first, last = record.get("first_name", "")[:200], record.get("last_name", "")[:200]
        name = record.get("name", "")[:500] or f"{first} {last}".strip()
        if name and not (first or last):
            first, _, last = name.partition(" ")
            first, last = first[:200], last.strip()[:200]
        get = record.get
        append(
            CsvLead(
                email,
                name,
                get("company", "")[:500],
                get("title", "")[:500],
                get("source", "")[:500],
                get("campaign", "")[:500],
                get("notes", "")[:2000],
                consent in _YES,
                phone,
                first,
                last,
                get("city", "")[:200],
                get("region", "")[:200],
                zone,
            )
        )


# ---- offline enrichment -------------------------------------------------------------------------
class Seniority(StrEnum):
    OWNER = "owner"
    EXECUTIVE = "executive"
    VP = "vp"
    DIRECTOR = "director"
    MANAGER = "manager"
    SENIOR = "senior"
    STAFF = "staff"
    UNKNOWN = ""


_SENIORITY = (
    (Seniority.OWNER, re.compile(r"(?i)\b(owner|co-?founder|founder|proprietor|inhaber)\b")),
    (
        Seniority.EXECUTIVE,
        re.compile(
            r"(?i)\b(chief|ceo|cfo|coo|cto|cmo|cio|cro|president|managing director|partner|principal|"
            r"gesch[aä]ftsf[uü]hrer|directeur g[ée]n[ée]ral)\b"
        ),
    ),
    (Seniority.VP, re.compile(r"(?i)\b(vp|svp|evp|vice[- ]president)\b")),
    (Seniority.DIRECTOR, re.compile(r"(?i)\b(director|head|leiter|directeur|directora?)\b")),
    (Seniority.MANAGER, re.compile(r"(?i)\b(manager|lead|supervisor|team ?lead|coordinator)\b")),
    (Seniority.SENIOR, re.compile(r"(?i)\b(senior|sr\.?|principal)\b")),
)
_HOME_OWNER = re.compile(r"(?i)\bhome[\s-]?owner|\bhouse[\s-]?owner|\bproperty owner\b|\blandlord\b")
_ROLE_WORDS = (
    "info sales admin administrator contact contacts hello hi support office team marketing enquiries "
    "enquiry inquiries inquiry help hr jobs careers recruiting billing accounts accounting finance "
    "noreply no-reply donotreply webmaster postmaster hostmaster abuse mail service customerservice "
    "reception bookings booking orders press media newsletter kontakt bureau"
)
ROLE_ACCOUNTS = frozenset(_ROLE_WORDS.split())
_MAIL_HOSTS = ("mail.", "email.", "mx.", "smtp.")


@lru_cache(maxsize=4096)
def seniority_of(title: str) -> Seniority:
    """title -> seniority ('Homeowner' is a person's situation, not a job: STAFF at most)."""
    if not title.strip():
        return Seniority.UNKNOWN
    cleaned = _HOME_OWNER.sub(" ", title)
    for level, pattern in _SENIORITY:
        if pattern.search(cleaned):
            return level
    return Seniority.STAFF


def is_role_account(email: str) -> bool:
    """info@, sales@, support+uk@, no-reply@ ...: a mailbox shared by a team, not a person."""
    local = email.partition("@")[0].lower().split("+")[0]
    return local in ROLE_ACCOUNTS or local.rstrip("0123456789") in ROLE_ACCOUNTS


def company_domain_of(email: str) -> str:
    """The company's domain behind an address ('' for free-mail, ISP and disposable domains)."""
    return _domain_facts(email_domain(email))[0]


@lru_cache(maxsize=8192)
def _domain_facts(domain: str) -> tuple[str, bool, bool]:
    """(company domain, free-mail, disposable) of an e-mail domain."""
    if not domain:
        return "", False, False
    free, disposable = is_free_mail(domain), is_disposable(domain)
    if free or disposable:
        return "", free, disposable
    for prefix in _MAIL_HOSTS:
        if domain.startswith(prefix) and domain.count(".") >= 2:
            return domain[len(prefix) :], False, False
    return domain, False, False


@dataclass(frozen=True)
class Enrichment:
    company_domain: str
    free_mail: bool
    role_account: bool
    seniority: Seniority
    disposable: bool = False


def enrich(email: str, title: str = "") -> Enrichment:
    """What can be learnt offline from an address and a title."""
    company, free, disposable = _domain_facts(email_domain(email))
    return Enrichment(
        company_domain=company,
        free_mail=free,
        role_account=is_role_account(email),
        seniority=seniority_of(title),
        disposable=disposable,
    )


# ---- scoring ------------------------------------------------------------------------------------
class Tier(StrEnum):
    HOT = "HOT"
    WARM = "WARM"
    COOL = "COOL"
    COLD = "COLD"


TIER_FLOORS = ((Tier.HOT, 70), (Tier.WARM, 50), (Tier.COOL, 30))


def tier_of(total: int) -> Tier:
    return next((tier for tier, floor in TIER_FLOORS if total >= floor), Tier.COLD)


_CONSUMER = re.compile(
    r"(?i)\b(home ?owners?|house ?owners?|households?|families|family|parents?|residents?|consumers?|"
    r"patients?|individuals|couples|retirees|renters|tenants|landlords?|drivers|shoppers|students|"
    r"people who|locals|private customers?)\b"
)
_BUSINESS = re.compile(
    r"(?i)\b(b2b|compan(y|ies)|business(es)?|firms?|organi[sz]ations?|enterprises?|smes?|startups?|"
    r"decision[- ]makers?|managers?|directors?|executives?|founders?|ceos?|cfos?|cmos?|hr|procurement|"
    r"teams|agencies|employers?|practices|clinics|retailers|suppliers)\b"
)
_FORM_SOURCES = re.compile(
    r"(?i)\b(lead ?form|web ?form|form|quote|estimate|enquiry|inquiry|contact us|landing page|"
    r"inbound|referr\w*|survey|calculator|booking)\b"
)
_WARM_SOURCES = re.compile(r"(?i)\b(referr\w*|inbound|demo|webinar|event|trial)\b")
_SENIORITY_POINTS = {
    Seniority.OWNER: 20,
    Seniority.EXECUTIVE: 20,
    Seniority.VP: 15,
    Seniority.DIRECTOR: 15,
    Seniority.MANAGER: 10,
    Seniority.SENIOR: 5,
}
_STAGE_POINTS = {S.CONTACTED: 5, S.REPLIED: 20, S.QUALIFIED: 30, S.ROUTED: 35}
_STOP = {
    "and",
    "the",
    "for",
    "with",
    "who",
    "that",
    "their",
    "from",
    "into",
    "across",
    "people",
    "want",
    "need",
}


@dataclass(frozen=True)
class Icp:
    """The ideal customer a lead is measured against: from the approved strategy's ICP (summary,
    segments) and the brief (target audience, industry, geography). `consumer` when the ICP is
    people buying for themselves (homeowners for a solar installer), not companies."""

    terms: tuple[str, ...] = ()
    consumer: bool = False
    places: tuple[str, ...] = ()
    summary: str = ""

    @property
    def known(self) -> bool:
        return bool(self.terms)


def icp_from(strategy: Mapping[str, object] | None, brief: Mapping[str, object] | None) -> Icp:
    strategy, brief = strategy or {}, brief or {}
    icp = strategy.get("icp") if isinstance(strategy.get("icp"), Mapping) else {}
    assert isinstance(icp, Mapping)
    segments = icp.get("segments") if isinstance(icp.get("segments"), list) else []
    parts = [
        str(icp.get("summary") or ""),
        *map(str, segments or []),
        str(brief.get("target_audience") or ""),
    ]
    text = " ".join(p for p in parts if p)
    consumer = len(_CONSUMER.findall(text)) > len(_BUSINESS.findall(text))
    geography = str(brief.get("geography") or "")
    places = tuple(sorted({w.lower() for w in re.findall(r"[^\W\d_][\w'-]{2,}", geography)} - {"and", "the"}))
    return Icp(terms=tuple(audience_terms(text)), consumer=consumer, places=places, summary=text[:300])


@dataclass(frozen=True)
class LeadScore:
    """0–100: fit (who they are against the ICP, up to 60) plus engagement (what they did, up to
    40), with every point's reason, so an operator can see why a lead ranks where it does."""

    fit: int
    engagement: int
    reasons: tuple[str, ...]

    @property
    def total(self) -> int:
        return self.fit + self.engagement

    @property
    def tier(self) -> Tier:
        return tier_of(self.total)


def _matches(terms: Iterable[str], haystack: str) -> list[str]:
    words = set(re.findall(r"[a-z][a-z\-]{3,}", haystack))
    found = set()
    for term in terms:
        if term in words or (term.endswith("s") and term[:-1] in words) or f"{term}s" in words:
            found.add(term)
    return sorted(found)


def score_lead(
    lead: Mapping[str, object],
    status: LeadStatus,
    icp: Icp | Iterable[str] = (),
    now: datetime | None = None,
) -> LeadScore:
    """Score a lead from its fields, engagement and status against the client's ICP (`Icp`; a
    bare list of audience words is read as a business ICP)."""
    if not isinstance(icp, Icp):
        icp = Icp(terms=tuple(w.lower() for w in icp))
    fit, engagement, reasons = 0, 0, []
    email = str(lead.get("email") or "")
    title = str(lead.get("title") or "")
    company = str(lead.get("company") or "")
    source = str(lead.get("source") or "")
    domain = email_domain(email)
    facts = enrich(email, title)
    haystack = " ".join(
        str(lead.get(k) or "") for k in ("title", "company", "notes", "source", "campaign")
    ).lower()
    matched = _matches(icp.terms, haystack)
    place = " ".join(str(lead.get(k) or "") for k in ("city", "region")).lower()
    in_area = sorted(p for p in icp.places if p in place) if place.strip() else []

    if icp.consumer:
        if matched:
            fit += 25
            reasons.append(f"+25 matches the ICP ({', '.join(matched[:3])})")
        if _FORM_SOURCES.search(source):
            fit += 15
            reasons.append(f"+15 asked through a form or referral ({source})")
        if in_area:
            fit += 10
            reasons.append(f"+10 in the service area ({', '.join(in_area[:2])})")
        if lead.get("phone"):
            fit += 5
            reasons.append("+5 phone number given")
        if facts.disposable:
            reasons.append(f"0 disposable e-mail domain ({domain})")
        elif facts.free_mail:
            reasons.append(f"0 personal e-mail ({domain}): expected for a private buyer")
    else:
        if points := _SENIORITY_POINTS.get(facts.seniority):
            fit += points
            label = "senior" if points >= 15 else facts.seniority.value
            reasons.append(f"+{points} {label} title ({title}: {facts.seniority.value})")
        if company:
            fit += 5
            reasons.append(f"+5 company known ({company})")
        if facts.disposable:
            reasons.append(f"0 disposable e-mail domain ({domain})")
        elif facts.free_mail:
            reasons.append(f"0 free e-mail domain ({domain}), not a company's")
        elif facts.company_domain:
            fit += 10
            reasons.append(f"+10 business e-mail domain ({facts.company_domain})")
        if matched:
            fit += 20
            reasons.append(f"+20 matches the ICP ({', '.join(matched[:3])})")
        if in_area:
            fit += 5
            reasons.append(f"+5 in the market ({', '.join(in_area[:2])})")
        if _WARM_SOURCES.search(source):
            engagement += 5
            reasons.append(f"+5 warm source ({source})")
    if facts.role_account:
        reasons.append(f"0 role account ({email.partition('@')[0]}@), not a person")

    engagement += _engagement(lead, status, now, reasons)
    if status is S.LOST:
        reasons.append("0 engagement: lost")
        engagement = 0
    return LeadScore(min(fit, 60), min(engagement, 40), tuple(reasons))


def _count(lead: Mapping[str, object], key: str) -> int:
    value = lead.get(key)
    return value if type(value) is int and value > 0 else 0


def _engagement(
    lead: Mapping[str, object], status: LeadStatus, now: datetime | None, reasons: list[str]
) -> int:
    points = 0
    if status in _STAGE_POINTS:
        points += _STAGE_POINTS[status]
        reasons.append(f"+{_STAGE_POINTS[status]} reached {status}")
    replies, clicks, opens = _count(lead, "replies"), _count(lead, "clicks"), _count(lead, "opens")
    if replies:
        points += 15
        reasons.append(f"+15 replied ({replies}×)")
    if clicks:
        gained = min(clicks * 5, 10)
        points += gained
        reasons.append(f"+{gained} clicked ({clicks}×)")
    if opens:
        gained = min(opens * 2, 6)
        points += gained
        reasons.append(f"+{gained} opened ({opens}×)")
    last = lead.get("last_activity_at")
    if isinstance(last, datetime) and now is not None:
        days = (now - last).days
        if days <= 7:
            points += 5
            reasons.append(f"+5 active in the last week ({days} d ago)")
        elif days <= 30:
            points += 2
            reasons.append(f"+2 active this month ({days} d ago)")
        elif days > 90 and points:
            lost = min(points, 10)
            points -= lost
            reasons.append(f"-{lost} no activity for {days} days")
    return points


def audience_terms(text: str) -> list[str]:
    """The words of an audience description worth matching against a lead (no stop words)."""
    return sorted({w for w in re.findall(r"[a-z][a-z\-]{3,}", text.lower()) if w not in _STOP})
