"""Social listening (SPEC §7 monitoring): mentions exported from a listening tool, their topics and
their sentiment over time. Pure.

A mentions CSV has one row per mention: date, platform, author, text, reach, and sometimes a
sentiment. It is read the way performance data is (`domain.metrics`): headers are mapped (an explicit
mapping first, then names and common export aliases), each bad row is skipped and named by row and
field, good rows are kept. A mention without a sentiment gets one computed offline from its text by
VADER (a lexicon and rule-based scorer for social media text, shipped with its lexicon); the row
remembers which it was, so a report can say how many sentiments were measured and how many computed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from aicmo.domain.errors import FieldIssue
from aicmo.domain.metrics import (
    BadCell,
    map_headers,
    parse_count,
    parse_day,
    parse_sentiment,
    platform_id,
    read_rows,
    read_table,
    week_of,
)

COLUMNS = ("date", "platform", "author", "text", "reach", "sentiment")
REQUIRED = ("date", "platform", "text")
MAX_TEXT = 4_000
POSITIVE_FROM = 0.05  # VADER's own thresholds on the compound score
NEGATIVE_TO = -0.05

ALIASES: dict[str, str] = {
    "day": "date",
    "created_at": "date",
    "created": "date",
    "published": "date",
    "published_at": "date",
    "timestamp": "date",
    "time": "date",
    "network": "platform",
    "channel": "platform",
    "source": "platform",
    "site": "platform",
    "username": "author",
    "user": "author",
    "handle": "author",
    "screen_name": "author",
    "author_name": "author",
    "account": "author",
    "from": "author",
    "content": "text",
    "message": "text",
    "mention": "text",
    "snippet": "text",
    "body": "text",
    "post_text": "text",
    "full_text": "text",
    "potential_reach": "reach",
    "audience": "reach",
    "followers": "reach",
    "estimated_reach": "reach",
    "tone": "sentiment",
    "polarity": "sentiment",
    "sentiment_score": "sentiment",
}

# Words that say nothing about a topic (English function words and listening-export filler).
_STOPWORD_TEXT = """
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further get got
had has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves really still even much many one two new like im dont
cant wont ive youre thats theres its lol amp via rt http https www com today yesterday tomorrow
thing things way day time got get go going went make made know think want need see look
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"#?[^\W\d_][\w'’-]{2,}", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+")


@dataclass(frozen=True)
class Mention:
    date: date
    platform: str
    text: str
    author: str = ""
    reach: int | None = None  # None: the export did not say (not zero)
    sentiment: float = 0.0  # -1 … 1
    sentiment_computed: bool = False  # True: scored from the text here, not given by the export
    source_row: int = 0  # the CSV line it came from (1 = the header)


@dataclass
class ParsedMentions:
    mentions: list[Mention] = field(default_factory=list)
    errors: list[FieldIssue] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # our column -> the header it was read from


def map_columns(headers: Sequence[str], mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Our column → the header that carries it: the explicit `mapping` first (ours → theirs), then
    exact names, then the aliases; a header is used once."""
    return map_headers(headers, mapping, COLUMNS, ALIASES)


@cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def score_text(text: str) -> float:
    """Sentiment of a text, -1 … 1 (VADER's compound score, rounded to 4 places), offline."""
    cleaned = _URL.sub(" ", text)
    return round(float(_analyzer().polarity_scores(cleaned)["compound"]), 4)


def label_of(score: float) -> str:
    if score >= POSITIVE_FROM:
        return "positive"
    if score <= NEGATIVE_TO:
        return "negative"
    return "neutral"


def _mention(cells: Mapping[str, str], line: int) -> Mention:
    for column in REQUIRED:
        if not cells.get(column):
            raise BadCell(column, f"{column} is empty")
    readers = {"date": parse_day, "platform": platform_id, "reach": parse_count, "sentiment": parse_sentiment}
    values: dict[str, Any] = {}
    for column, reader in readers.items():
        text = cells.get(column, "")
        if text:
            try:
                values[column] = reader(text)
            except ValueError as exc:
                raise BadCell(column, str(exc)) from None
    text = "".join(ch for ch in cells["text"] if ch.isprintable() or ch == "\n")[:MAX_TEXT]
    author = "".join(ch for ch in cells.get("author", "") if ch.isprintable())[:200]
    computed = "sentiment" not in values
    sentiment = score_text(text) if computed else values.pop("sentiment")
    return Mention(
        text=text,
        author=author,
        sentiment=sentiment,
        sentiment_computed=computed,
        source_row=line,
        **values,
    )


def parse_mention_rows(
    header: Sequence[str], records: Iterable[Sequence[str]], mapping: Mapping[str, str] | None = None
) -> ParsedMentions:
    columns = map_columns(header, mapping)
    mentions, errors = read_rows(header, records, columns, REQUIRED, _mention)
    return ParsedMentions(mentions=mentions, errors=errors, columns=columns)


def parse_mentions_csv(text: str, mapping: Mapping[str, str] | None = None) -> ParsedMentions:
    """A mentions CSV's text (comma, semicolon, tab or pipe separated) as mentions plus named bad rows."""
    try:
        header, records = read_table(text, lambda h: all(c in map_columns(h, mapping) for c in REQUIRED))
    except BadCell as bad:
        return ParsedMentions(errors=[FieldIssue(bad.column, bad.message)])
    return parse_mention_rows(header, records, mapping)


# ---- topics and sentiment over time -------------------------------------------------------------
def terms(text: str) -> set[str]:
    """The topic words of one mention: hashtags and content words, lower case, no handles or URLs."""
    cleaned = _HANDLE.sub(" ", _URL.sub(" ", text.lower()))
    out = set()
    for match in _WORD.finditer(cleaned):
        word = match.group(0).replace("’", "'").strip("'-")
        bare = word.lstrip("#")
        if len(bare) < 3 or bare in STOPWORDS or bare.split("'")[0] in STOPWORDS:
            continue
        out.add(word if word.startswith("#") else bare)
    return out


@dataclass(frozen=True)
class SentimentSummary:
    mentions: int
    reach: int | None  # None: no mention carried a reach
    reach_rows: int
    mean: float | None  # None: no mentions
    positive: int
    neutral: int
    negative: int
    computed: int  # how many sentiments were scored from the text here


def summarise(mentions: Sequence[Mention]) -> SentimentSummary:
    reaches = [m.reach for m in mentions if m.reach is not None]
    labels = Counter(label_of(m.sentiment) for m in mentions)
    return SentimentSummary(
        mentions=len(mentions),
        reach=sum(reaches) if reaches else None,
        reach_rows=len(reaches),
        mean=round(sum(m.sentiment for m in mentions) / len(mentions), 4) if mentions else None,
        positive=labels["positive"],
        neutral=labels["neutral"],
        negative=labels["negative"],
        computed=sum(1 for m in mentions if m.sentiment_computed),
    )


@dataclass(frozen=True)
class Topic:
    term: str
    mentions: int  # mentions that use the term
    sentiment: float  # their mean sentiment
    source_rows: tuple[int, ...]  # the CSV lines behind it (first 50)


def topics(mentions: Sequence[Mention], limit: int = 10, min_mentions: int = 2) -> list[Topic]:
    """The terms most mentions use (each mention counts once per term), most used first; a term in
    fewer than `min_mentions` mentions is not a topic."""
    rows: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        for term in terms(mention.text):
            rows[term].append(mention)
    ranked = sorted((t for t in rows.items() if len(t[1]) >= min_mentions), key=lambda t: (-len(t[1]), t[0]))[
        :limit
    ]
    return [
        Topic(
            term=term,
            mentions=len(group),
            sentiment=round(sum(m.sentiment for m in group) / len(group), 4),
            source_rows=tuple(m.source_row for m in group[:50]),
        )
        for term, group in ranked
    ]


def weekly(mentions: Iterable[Mention]) -> dict[date, list[Mention]]:
    groups: dict[date, list[Mention]] = defaultdict(list)
    for mention in mentions:
        groups[week_of(mention.date)].append(mention)
    return dict(sorted(groups.items()))


def topic_weeks(mentions: Sequence[Mention], chosen: Sequence[str]) -> dict[date, dict[str, int]]:
    """For each week: how many of its mentions use each chosen term."""
    wanted = set(chosen)
    out: dict[date, dict[str, int]] = {}
    for week, group in weekly(mentions).items():
        counts: Counter[str] = Counter()
        for mention in group:
            counts.update(terms(mention.text) & wanted)
        out[week] = {term: counts[term] for term in chosen}
    return out


def mention_record(m: Mention) -> dict[str, object]:
    """A JSON-ready dict of a mention (a generator input); reach the export did not have is left out."""
    record: dict[str, object] = {
        "date": m.date.isoformat(),
        "platform": m.platform,
        "author": m.author,
        "text": m.text,
        "sentiment": m.sentiment,
        "sentiment_computed": m.sentiment_computed,
        "source_row": m.source_row,
    }
    return record | ({"reach": m.reach} if m.reach is not None else {})


def mention_from_record(record: Mapping[str, Any]) -> Mention:
    """The mention `mention_record` wrote; ValueError/TypeError/KeyError when it is not one."""
    reach = record.get("reach")
    return Mention(
        date=date.fromisoformat(str(record["date"])),
        platform=str(record["platform"]),
        text=str(record["text"]),
        author=str(record.get("author") or ""),
        reach=None if reach is None else int(reach),
        sentiment=float(record["sentiment"]),
        sentiment_computed=bool(record.get("sentiment_computed")),
        source_row=int(record.get("source_row") or 0),
    )
