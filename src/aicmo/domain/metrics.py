"""Performance data (SPEC §7 monitoring): CSV rows of platform metrics, and the KPIs they give. Pure.

A row is one post or one day on one platform. Every number is optional: a column the export does
not have, or an empty cell, is *no data* (None), never zero, and a KPI whose inputs are missing is
None too — a report says "no data" instead of inventing a 0 %. Each KPI remembers how many rows it
was computed from, so every figure traces back to its source rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from typing import TypeVar

from aicmo.domain.csv_files import sniff_delimiter
from aicmo.domain.errors import FieldIssue
from aicmo.domain.money import amounts

COUNTS = ("impressions", "reach", "engagements", "clicks", "conversions")
AMOUNTS = ("spend", "revenue")
COLUMNS = ("date", "platform", "post", *COUNTS, *AMOUNTS, "sentiment")
REQUIRED = ("date", "platform")

# Header names seen in platform exports (Meta, LinkedIn, TikTok, Google Ads, Sprout, Hootsuite …).
ALIASES: dict[str, str] = {
    "day": "date",
    "reporting_starts": "date",
    "published": "date",
    "publish_time": "date",
    "date_published": "date",
    "network": "platform",
    "channel": "platform",
    "post_id": "post",
    "post_url": "post",
    "url": "post",
    "permalink": "post",
    "link": "post",
    "content_id": "post",
    "views": "impressions",
    "unique_impressions": "reach",
    "accounts_reached": "reach",
    "people_reached": "reach",
    "engagement": "engagements",
    "interactions": "engagements",
    "total_engagements": "engagements",
    "link_clicks": "clicks",
    "clicks_all": "clicks",
    "results": "conversions",
    "leads": "conversions",
    "purchases": "conversions",
    "amount_spent": "spend",
    "cost": "spend",
    "amount_spent_usd": "spend",
    "amount_spent_eur": "spend",
    "amount_spent_gbp": "spend",
    "purchase_value": "revenue",
    "conversion_value": "revenue",
    "purchases_conversion_value": "revenue",
}
SENTIMENT_WORDS = {"positive": 1.0, "neutral": 0.0, "negative": -1.0, "mixed": 0.0}
_PLATFORM_NAMES = {
    "ig": "instagram",
    "insta": "instagram",
    "fb": "facebook",
    "meta": "facebook",
    "twitter": "x",
    "li": "linkedin",
    "gbp": "google_business",
    "google_business_profile": "google_business",
    "yt": "youtube",
}


@dataclass(frozen=True)
class MetricRow:
    """One row of performance data; a None number is "not in the export", not zero."""

    date: date
    platform: str
    post: str = ""
    impressions: int | None = None
    reach: int | None = None
    engagements: int | None = None
    clicks: int | None = None
    conversions: int | None = None
    spend: float | None = None
    revenue: float | None = None
    sentiment: float | None = None
    source_row: int = 0  # the CSV line it came from (1 = the header)


NUMBERS = (*COUNTS, *AMOUNTS, "sentiment")
T = TypeVar("T")


def to_record(row: MetricRow) -> dict[str, object]:
    """A JSON-ready dict of the row; numbers the export did not have are left out (no data)."""
    record: dict[str, object] = {"date": row.date.isoformat(), "platform": row.platform}
    if row.post:
        record["post"] = row.post
    record |= {name: getattr(row, name) for name in NUMBERS if getattr(row, name) is not None}
    return record | {"source_row": row.source_row}


def from_record(record: Mapping[str, object]) -> MetricRow:
    """A row from a JSON-ish mapping (a stored or sent record: numbers as numbers, or as text the way
    an export writes them; `post_id` is read as `post`); ValueError naming the field when unreadable."""
    cells: dict[str, str] = {}
    exact: dict[str, object] = {}
    for column in COLUMNS:
        value = record.get(column, record.get("post_id") if column == "post" else None)
        if isinstance(value, bool) or value is None:
            continue
        if column in NUMBERS and isinstance(value, int | float):
            exact[column] = value
        else:
            cells[column] = value.isoformat() if isinstance(value, date) else str(value).strip()
    source_row = record.get("source_row")
    row = _row(cells, source_row if isinstance(source_row, int) else 0)
    if not exact:
        return row
    values: dict[str, float | int] = {}
    for column, value in exact.items():
        if (not -1 <= value <= 1) if column == "sentiment" else value < 0:
            raise BadCell(column, f"{value} is out of range")
        if column in COUNTS and value != int(value):
            raise BadCell(column, f"{value} is not a whole number")
        values[column] = int(value) if column in COUNTS else float(value)
    return replace(row, **values)


@dataclass
class ParsedMetrics:
    rows: list[MetricRow] = field(default_factory=list)
    errors: list[FieldIssue] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # our column -> the header it was read from


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def map_columns(headers: Sequence[str], mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Our column → the header that carries it: an explicit `mapping` first (ours → theirs), then
    exact names, then the aliases. A header is used for one column only."""
    return map_headers(headers, mapping, COLUMNS, ALIASES)


def map_headers(
    headers: Sequence[str],
    mapping: Mapping[str, str] | None,
    columns: Sequence[str],
    aliases: Mapping[str, str],
) -> dict[str, str]:
    """`map_columns` for any table: its `columns` and the `aliases` exports use for them."""
    found: dict[str, str] = {}
    by_key = {_key(h): h for h in headers if h and h.strip()}
    for ours, theirs in (mapping or {}).items():
        if ours in columns and theirs in headers:
            found[ours] = theirs
    used = set(found.values())
    for key, header in by_key.items():
        ours = key if key in columns else aliases.get(key)
        if ours and ours not in found and header not in used:
            found[ours] = header
            used.add(header)
    return found


MAX_COUNT = 2_000_000_000  # per row; more is a mis-mapped column, not a post's reach
MAX_AMOUNT = 1e12


def parse_count(text: str) -> int:
    """A whole, non-negative count: "1,234", "1 234", "12k" (12,000) and "1.2M" are read."""
    value = parse_amount(text)
    if value != int(value):
        raise ValueError(f"{text.strip()!r} is not a whole number")
    if value > MAX_COUNT:
        raise ValueError(f"{text.strip()!r} is implausibly large for one row (is the column right?)")
    return int(value)


def parse_amount(text: str) -> float:
    """A non-negative amount, read by the one money parser (`domain.money`): a currency sign or
    code, thousands separators ("1,500", "1.500", "1 500") and k/M suffixes are read; a cell must
    hold one amount and nothing else (no %, no sign, no words)."""
    raw = text.strip()
    found = amounts(raw)
    if (
        len(found) != 1
        or found[0].percent
        or found[0].times
        or (found[0].start, found[0].end) != (0, len(raw))
    ):
        raise ValueError(f"{raw!r} is not a number")
    value = found[0].value
    if value > MAX_AMOUNT:
        raise ValueError(f"{raw!r} is implausibly large for one row (is the column right?)")
    return value


def parse_day(text: str) -> date:
    """ISO dates (and date-times) first; then day-first forms with a 4-digit year (31/01/2027)."""
    raw = text.strip()
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for pattern in ("%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%b %d, %Y", "%d %b %Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{raw!r} is not a date (use YYYY-MM-DD)")


def parse_sentiment(text: str) -> float:
    """-1 (negative) … 1 (positive), from a number or a label."""
    raw = text.strip().lower()
    if raw in SENTIMENT_WORDS:
        return SENTIMENT_WORDS[raw]
    value = float(raw)
    if not -1.0 <= value <= 1.0:
        raise ValueError(f"{text.strip()!r} is outside -1 … 1")
    return value


def platform_id(text: str) -> str:
    key = _key(text)[:64]
    if not key:
        raise ValueError(f"{text.strip()!r} is not a platform name")
    return _PLATFORM_NAMES.get(key, key)


def parse_metric_rows(
    header: Sequence[str], records: Iterable[Sequence[str]], mapping: Mapping[str, str] | None = None
) -> ParsedMetrics:
    """Rows of a table whose first line was `header`; each bad row is skipped and named (row, field,
    why), good rows are kept."""
    columns = map_columns(header, mapping)
    rows, errors = read_rows(header, records, columns, REQUIRED, _row)
    return ParsedMetrics(rows=rows, errors=errors, columns=columns)


def read_rows(
    header: Sequence[str],
    records: Iterable[Sequence[str]],
    columns: Mapping[str, str],
    required: Sequence[str],
    build: Callable[[Mapping[str, str], int], T],
) -> tuple[list[T], list[FieldIssue]]:
    """Each record's cells by our column name, built into a row by `build(cells, line)`; a record it
    refuses (`BadCell`) is skipped and named by line and field. A missing required column refuses
    the whole table, saying which headers were found."""
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(h for h in header if h) or "no header"
        message = f"the CSV needs a {' and a '.join(missing)} column (found: {found})"
        return [], [FieldIssue("csv", message, "missing")]
    index = {ours: list(header).index(theirs) for ours, theirs in columns.items()}
    rows: list[T] = []
    errors: list[FieldIssue] = []
    for line, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {ours: (record[i].strip() if i < len(record) else "") for ours, i in index.items()}
        try:
            rows.append(build(cells, line))
        except BadCell as bad:
            errors.append(FieldIssue(f"row {line}.{bad.column}", bad.message))
    return rows, errors


def read_table(text: str, fits: Callable[[list[str]], bool]) -> tuple[list[str], list[list[str]]]:
    """A CSV's header and records (comma, semicolon, tab or pipe: the first whose header `fits`);
    BadCell("csv") when it is malformed."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sniff_delimiter(text, fits))
    try:
        return next(reader, []), list(reader)
    except csv.Error as exc:
        raise BadCell("csv", f"the CSV is malformed near line {reader.line_num}: {exc}") from None


class BadCell(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _row(cells: Mapping[str, str], line: int) -> MetricRow:
    values: dict[str, object] = {"source_row": line}
    for column in REQUIRED:
        if not cells.get(column):
            raise BadCell(column, f"{column} is empty")
    readers = {
        "date": parse_day,
        "platform": platform_id,
        **dict.fromkeys(COUNTS, parse_count),
        **dict.fromkeys(AMOUNTS, parse_amount),
        "sentiment": parse_sentiment,
    }
    for column, text in cells.items():
        if column == "post":
            values["post"] = "".join(ch for ch in text if ch.isprintable())[:500]
        elif text:
            try:
                values[column] = readers[column](text)
            except ValueError as exc:
                raise BadCell(column, str(exc)) from None
    row = MetricRow(**values)  # type: ignore[arg-type]
    if row.reach is not None and row.impressions is not None and row.reach > row.impressions:
        raise BadCell("reach", f"reach {row.reach} is more than impressions {row.impressions}")
    return row


def parse_metrics_csv(text: str, mapping: Mapping[str, str] | None = None) -> ParsedMetrics:
    """A CSV's text (comma, semicolon, tab or pipe separated) as metric rows plus named bad rows."""
    try:
        header, records = read_table(text, lambda h: all(c in map_columns(h, mapping) for c in REQUIRED))
    except BadCell as bad:
        return ParsedMetrics(errors=[FieldIssue(bad.column, bad.message)])
    return parse_metric_rows(header, records, mapping)


# ---- KPIs ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """A number with the count of rows it came from; `value` None means no row had the data."""

    value: float | None
    rows: int


@dataclass(frozen=True)
class Kpis:
    rows: int
    impressions: Figure
    reach: Figure
    engagements: Figure
    clicks: Figure
    conversions: Figure
    spend: Figure
    revenue: Figure
    engagement_rate: Figure  # engagements ÷ impressions, over rows that have both
    ctr: Figure  # clicks ÷ impressions
    conversion_rate: Figure  # conversions ÷ clicks
    cost_per_result: Figure  # spend ÷ conversions (CPL or CPA, by the objective)
    roas: Figure  # revenue ÷ spend
    sentiment: Figure  # mean of the rows that carry one


def _total(rows: Sequence[MetricRow], name: str) -> Figure:
    present = [getattr(r, name) for r in rows if getattr(r, name) is not None]
    return Figure(float(sum(present)) if present else None, len(present))


def _ratio(rows: Sequence[MetricRow], top: str, bottom: str) -> Figure:
    """sum(top) ÷ sum(bottom) over the rows that have both; None when none has, or bottom is 0."""
    both = [r for r in rows if getattr(r, top) is not None and getattr(r, bottom) is not None]
    denominator = sum(getattr(r, bottom) for r in both)
    if not both or not denominator:
        return Figure(None, len(both))
    return Figure(sum(getattr(r, top) for r in both) / denominator, len(both))


def kpis(rows: Sequence[MetricRow]) -> Kpis:
    sentiments = [r.sentiment for r in rows if r.sentiment is not None]
    return Kpis(
        rows=len(rows),
        **{name: _total(rows, name) for name in (*COUNTS, *AMOUNTS)},
        engagement_rate=_ratio(rows, "engagements", "impressions"),
        ctr=_ratio(rows, "clicks", "impressions"),
        conversion_rate=_ratio(rows, "conversions", "clicks"),
        cost_per_result=_ratio(rows, "spend", "conversions"),
        roas=_ratio(rows, "revenue", "spend"),
        sentiment=Figure(sum(sentiments) / len(sentiments) if sentiments else None, len(sentiments)),
    )


def by_platform(rows: Iterable[MetricRow]) -> dict[str, Kpis]:
    groups: dict[str, list[MetricRow]] = defaultdict(list)
    for row in rows:
        groups[row.platform].append(row)
    return {platform: kpis(group) for platform, group in sorted(groups.items())}


def post_key(text: str) -> str:
    """What identifies a post in a row or a campaign item: an id as written, a URL without its scheme,
    "www.", query, fragment or trailing slash, in lower case (exports and people write URLs both ways)."""
    raw = text.strip()
    if "://" not in raw and not raw.lower().startswith("www."):
        return raw
    bare = re.sub(r"^[a-z]+://", "", raw.lower()).removeprefix("www.")
    return re.split(r"[?#]", bare, maxsplit=1)[0].rstrip("/")


def week_of(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def weekly(rows: Iterable[MetricRow]) -> dict[date, Kpis]:
    groups: dict[date, list[MetricRow]] = defaultdict(list)
    for row in rows:
        groups[week_of(row.date)].append(row)
    return {week: kpis(group) for week, group in sorted(groups.items())}


FIGURES = tuple(f.name for f in fields(Kpis) if f.name != "rows")
