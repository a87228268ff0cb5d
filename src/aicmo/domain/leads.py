"""Leads (SPEC §7): statuses and their legal moves, CSV rows, and an explainable score. Pure.

A lead moves NEW → ENRICHED → CONTACTED → REPLIED → QUALIFIED → ROUTED, may be LOST from any
open state, and MANUAL_REVIEW parks it for a person to decide where it goes next. Labels from
other tools are read through `LEGACY_LABELS` (ENGAGED and RESPONDED are replies, WON is routed).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cache, lru_cache
from itertools import compress, islice
from operator import itemgetter, methodcaller
from typing import Any
from zoneinfo import available_timezones

from aicmo.domain.contacts import (
    email_domain,
    is_disposable,
    is_free_mail,
    normalise_email,
    normalise_phone,
    normalised_column,
)
from aicmo.domain.csv_files import PlainCsv, sniff_delimiter, split_columns
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
_LIMITS = {
    **dict.fromkeys(("name", "company", "title", "source", "campaign"), 500),
    **dict.fromkeys(("first_name", "last_name", "city", "region"), 200),
    "notes": 2000,
}
_TEXTS = ("company", "title", "source", "campaign", "notes", "city", "region")  # kept as read, cut


@dataclass
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
    """The good rows of a leads CSV, column by column: `table` holds each field the file has (its
    value in every kept row, in file order), `absent` the value of each field it lacks (the same
    for every row). An import of 100,000 rows works on columns, not on an object per row."""

    table: dict[str, list[Any]] = field(default_factory=dict)
    absent: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldIssue] = field(default_factory=list)  # rows skipped, each named `row N.field`
    duplicates: int = 0  # rows repeating an e-mail earlier in the same file
    delimiter: str = ","
    rows_read: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # file header -> lead field (as read)

    @property
    def count(self) -> int:
        return len(self.table.get("email", ()))

    @property
    def rows(self) -> list[CsvLead]:
        """The kept rows as leads (for callers that want one object per row)."""
        keys = tuple(self.table)
        return [
            CsvLead(**dict(zip(keys, values, strict=True)), **self.absent)
            for values in zip(*self.table.values(), strict=True)
        ]


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
    result, parts = read_leads_csv(text, country, mapping, max_rows)
    for part in parts:
        for name, values in part.items():
            result.table.setdefault(name, []).extend(values)
    return result


def read_leads_csv(
    text: str,
    country: str = "",
    mapping: Mapping[str, str] | None = None,
    max_rows: int = MAX_ROWS,
    part_rows: int = 10_000,
) -> tuple[ParsedCsv, Iterator[dict[str, list[Any]]]]:
    """`parse_leads_csv` a part at a time: the good rows of each `part_rows` rows read, as a table
    (field -> values), so that a large import can store one part while it checks the next. The
    `ParsedCsv` (its `table` left empty) has the header's facts at once (columns, delimiter,
    absent fields, a missing e-mail column) and the counts and skipped rows once the parts are read.
    """
    text = text.lstrip("\ufeff")
    explicit = {k.strip().lower(): v for k, v in (mapping or {}).items()}

    def has_email(row: list[str]) -> bool:
        return "email" in {explicit.get(h.strip().lower()) or _column(h) for h in row}

    delimiter = sniff_delimiter(text, has_email)
    result = ParsedCsv(delimiter=delimiter)
    plain = split_columns(text, delimiter)
    reader = None if plain else csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = plain.lines[0].split(delimiter) if plain else next(reader, None) or []
    except csv.Error as exc:
        result.errors.append(_malformed(getattr(reader, "line_num", 1), exc))
        return result, iter(())
    result.columns = column_mapping(header, mapping)
    fields = list(result.columns.values())
    if "email" not in fields:
        found = ", ".join(h for h in header if h.strip()) or "nothing"
        result.errors.append(FieldIssue("csv", f"the CSV needs an email column (found: {found})", "missing"))
        return result, iter(())
    _absent(fields, result.absent)
    index = {col: i for i, col in enumerate(fields) if col}  # a field named twice: its last column
    stop: list[FieldIssue] = []
    if plain:
        # No cell is longer than the longest line: under the shortest limit, none is cut.
        cut = plain.longest_line > min(_LIMITS.values())
        groups = _column_groups(plain, index, max_rows, part_rows, stop)
    else:
        cut = True
        groups = _row_groups(_chunks(reader, max_rows, stop), max(1, part_rows // _CHUNK), fields, index)
    return result, _then(_parts(groups, result, country, cut), lambda: result.errors.extend(stop))


def _then(parts: Iterator[dict[str, list[Any]]], done: Callable[[], None]) -> Iterator[dict[str, list[Any]]]:
    yield from parts
    done()


def _malformed(line: int, exc: csv.Error) -> FieldIssue:
    return FieldIssue("csv", f"the CSV is malformed near line {line}: {exc}", "invalid")


_CHUNK = 1_000  # rows read at a time: a chunk's row lists are let go once its cells are taken


def _chunks(reader: Iterator[list[str]], max_rows: int, stop: list[FieldIssue]) -> Iterator[list[list[str]]]:
    """The data rows in chunks, up to `max_rows` (blank ones too: they keep their row numbers);
    `stop` gets what ended the reading early: a further row that is not blank, or a malformed CSV
    (e.g. a quote never closed; the rows read before it are kept)."""
    taken = 0
    while taken < max_rows:
        want = min(_CHUNK, max_rows - taken)
        chunk: list[list[str]] = []
        try:
            chunk.extend(islice(reader, want))  # on an error the rows read before it stay in the list
        except csv.Error as exc:
            stop.append(_malformed(getattr(reader, "line_num", 0), exc))
            yield chunk
            return
        taken += len(chunk)
        yield chunk
        if len(chunk) < want:
            return
    try:
        if any(map(any, reader)):
            stop.append(FieldIssue("csv", f"only the first {max_rows} rows are imported", "too_many"))
    except csv.Error as exc:
        stop.append(_malformed(getattr(reader, "line_num", 0), exc))


def _absent(fields: list[str], absent: dict[str, Any]) -> None:
    """The value of each field the file has no column for: the same in every row."""
    for name, default in (("email", ""), ("phone", ""), ("consent", False), ("timezone", "")):
        if name not in fields:
            absent[name] = default
    if not {"name", "first_name", "last_name"}.intersection(fields):
        absent.update(name="", first_name="", last_name="")
    for name in _TEXTS:
        if name not in fields:
            absent[name] = ""


_Group = tuple[dict[str, list[str]], list[int]]  # each field's stripped cells, each row's number


def _column_groups(
    plain: PlainCsv, index: dict[str, int], max_rows: int, part_rows: int, stop: list[FieldIssue]
) -> Iterator[_Group]:
    """The data rows of a plain file in parts, each split column by column as it is wanted. The
    first part is small: its rows can be stored while the next ones are read."""
    rows = len(plain.lines) - 1
    if rows > max_rows:
        stop.append(FieldIssue("csv", f"only the first {max_rows} rows are imported", "too_many"))
    last = min(rows, max_rows) + 1
    start = 1
    while start < last:
        end = min(start + (part_rows if start > 1 else max(1, part_rows // 5)), last)
        columns = plain.columns(start, end)
        raw = {col: list(map(str.strip, columns[i])) for col, i in index.items()}
        yield raw, list(range(start + 1, end + 1))
        start = end


def _row_groups(
    chunks: Iterable[list[list[str]]], per_part: int, fields: list[str], index: dict[str, int]
) -> Iterator[_Group]:
    """The data rows read by a CSV reader, in parts of `per_part` chunks, column by column: blank
    rows skipped (the rows after them keep their numbers), short ones widened."""
    need = max(index.values()) + 1
    used = [(i, col) for i, col in enumerate(fields) if col]
    read = 0  # data rows read, blank ones included
    pending = iter(chunks)
    while group := list(islice(pending, per_part)):
        raw: dict[str, list[str]] = {col: [] for col in index}
        numbers: list[int] = []  # each row's number in the file (the header is row 1)
        for chunk in group:
            chunk_numbers: Iterable[int] = range(read + 2, read + 2 + len(chunk))
            read += len(chunk)
            filled = list(map(any, chunk))
            if not all(filled):
                chunk, chunk_numbers = list(compress(chunk, filled)), compress(chunk_numbers, filled)
            numbers.extend(chunk_numbers)
            if chunk and min(map(len, chunk)) < need:
                chunk = [
                    values if len(values) >= need else _widened(values, used, index, need) for values in chunk
                ]
            for col, i in index.items():
                raw[col].extend(map(str.strip, map(itemgetter(i), chunk)))
        yield raw, numbers


def _parts(
    groups: Iterable[_Group], result: ParsedCsv, country: str, cut: bool
) -> Iterator[dict[str, list[Any]]]:
    """The good rows of each group of rows, checked a column at a time (`_checked`); a repeated
    e-mail keeps its first row, in this part or an earlier one."""
    seen: set[str] = set()  # the e-mails kept so far
    for raw, numbers in groups:
        result.rows_read += len(numbers)
        table = _checked(raw, numbers, result, country, seen, cut)
        if table["email"]:
            yield table


def _checked(
    raw: dict[str, list[str]], numbers: list[int], result: ParsedCsv, country: str, seen: set[str], cut: bool
) -> dict[str, list[Any]]:
    """A part's good rows as a table; its bad rows named in `result.errors`, its repeats counted;
    texts over their limits `cut`."""
    problems: dict[int, FieldIssue] = {}
    emails = normalised_column(raw["email"])
    if None in emails:
        for i, email in enumerate(emails):
            if email is None:
                shown = raw["email"][i][:120] or "empty"
                problems[i] = FieldIssue(
                    f"row {numbers[i]}.email", f"not an e-mail address: {shown}", "invalid"
                )
    checked: dict[str, list[Any]] = {"email": emails}
    if "phone" in raw:
        checked["phone"] = _phones(raw["phone"], country, numbers, problems)
    if "consent" in raw:
        checked["consent"] = _consents(raw["consent"], numbers, problems)
    if "timezone" in raw:
        checked["timezone"] = _zones_of(raw["timezone"], numbers, problems)

    rows: Sequence[int] = range(len(emails))
    if problems:
        rows = [i for i in rows if i not in problems]
        result.errors.extend(problems[i] for i in sorted(problems))
    backwards = zip(map(emails.__getitem__, reversed(rows)), reversed(rows), strict=True)
    first = dict(backwards)  # e-mail -> its first row (read last to first: the first one stays)
    if seen and not seen.isdisjoint(first):
        first = {email: i for email, i in first.items() if email not in seen}
    seen.update(first)
    result.duplicates += len(rows) - len(first)
    if len(first) < len(rows):
        rows = sorted(first.values())
    whole = len(rows) == len(emails)

    def kept(values: list[Any]) -> list[Any]:
        return values if whole else list(map(values.__getitem__, rows))

    table: dict[str, list[Any]] = {name: kept(values) for name, values in checked.items()}
    given = {k: kept(raw[k]) for k in ("name", "first_name", "last_name") if k in raw}
    if given:
        _names(given, table, cut)
    for name in _TEXTS:
        if name in raw:
            table[name] = _cut(kept(raw[name]), _LIMITS[name]) if cut else kept(raw[name])
    return table


def _widened(values: list[str], used: list[tuple[int, str]], index: dict[str, int], need: int) -> list[str]:
    """A short row as a full one: each field from the last of its columns the row reaches, the
    cells it lacks empty."""
    record = {col: values[i] for i, col in used if i < len(values)}
    full = [""] * need
    for col, value in record.items():
        full[index[col]] = value
    return full


def _phones(
    values: list[str], country: str, numbers: Sequence[int], problems: dict[int, FieldIssue]
) -> list[str]:
    phones = []
    for i, value in enumerate(values):
        try:
            phones.append(normalise_phone(value, country) if value else "")
        except ValueError as exc:
            phones.append("")
            problems.setdefault(i, FieldIssue(f"row {numbers[i]}.phone", str(exc)[:200], "invalid"))
    return phones


def _consents(values: list[str], numbers: Sequence[int], problems: dict[int, FieldIssue]) -> list[bool]:
    lowered = list(map(str.lower, values))
    if wrong := set(lowered).difference(_YES, _NO):
        for i, value in enumerate(lowered):
            if value in wrong:
                message = f"consent must be yes or no, not {value!r}"
                problems.setdefault(i, FieldIssue(f"row {numbers[i]}.consent", message, "invalid"))
    return list(map(_YES.__contains__, lowered))


def _zones_of(values: list[str], numbers: Sequence[int], problems: dict[int, FieldIssue]) -> list[str]:
    wrong = {}
    for zone in set(values):  # each name checked once
        try:
            check_timezone(zone)
        except ValueError as exc:
            wrong[zone] = str(exc)
    if wrong:
        for i, zone in enumerate(values):
            if zone in wrong:
                problems.setdefault(i, FieldIssue(f"row {numbers[i]}.timezone", wrong[zone], "invalid"))
    return values


def _names(given: dict[str, list[str]], table: dict[str, list[Any]], cut: bool = True) -> None:
    """name, first_name and last_name: a missing full name is the first and last joined, missing
    first and last names are the full name split at its first space; each `cut` to its limit."""
    count = len(table["email"])
    limited = _cut if cut else lambda values, _limit: values
    first = limited(given["first_name"], 200) if "first_name" in given else [""] * count
    last = limited(given["last_name"], 200) if "last_name" in given else [""] * count
    if "name" in given:
        names = limited(given["name"], 500)
        for i, name in enumerate(names):
            if not name:
                names[i] = f"{first[i]} {last[i]}".strip()
            elif not (first[i] or last[i]):
                part, _, rest = name.partition(" ")
                first[i], last[i] = part[:200], rest.strip()[:200]
    else:
        names = list(map(str.strip, map(" ".join, zip(first, last, strict=True))))
    table.update(name=names, first_name=first, last_name=last)


def _cut(values: list[str], limit: int) -> list[str]:
    """The values cut to `limit` characters (the list itself when none is longer)."""
    if values and max(map(len, values)) > limit:
        return [value[:limit] for value in values]
    return values


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


_FIRST = itemgetter(0)


def role_accounts(emails: Iterable[str], *, lowered: bool = False) -> list[bool]:
    """`is_role_account` of each address, in one pass of C-level maps (an import's column): the
    local part before any +tag, trailing digits dropped (no role word ends in a digit, so this
    one test is the function's two). `lowered`: the addresses are lower case already."""
    local = map(_FIRST, map(methodcaller("partition", "@"), emails if lowered else map(str.lower, emails)))
    untagged = map(_FIRST, map(methodcaller("partition", "+"), local))
    return list(map(ROLE_ACCOUNTS.__contains__, map(methodcaller("rstrip", "0123456789"), untagged)))


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
