"""Social listening use cases (SPEC §7 monitoring): import a mentions export, report topics and
sentiment over time.

Imported like performance data: good rows are kept, each bad row is named (row and field), a file
with no usable row saves nothing and says why. The report is computed from the stored mentions on
read, so each topic names the CSV lines behind it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import TYPE_CHECKING

from aicmo.domain.errors import Invalid
from aicmo.domain.listening import (
    Mention,
    label_of,
    parse_mentions_csv,
    summarise,
    topic_weeks,
    topics,
    weekly,
)
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.listening import (
    ListeningReport,
    ListeningWeek,
    MentionImport,
    MentionImportResult,
    MentionPublic,
    SentimentSummary,
    TopicPublic,
)
from aicmo.services import audit
from aicmo.services.access import require_write
from aicmo.services.context import new_id
from aicmo.services.engagements import load_engagement
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import MentionImportRow

METHOD = (
    "Sentiment: the export's own score when it has one, else VADER's compound score of the text "
    "(a lexicon and rule-based scorer for social media, run offline; positive ≥ 0.05, negative ≤ -0.05). "
    "Topics: hashtags and content words used by at least 2 mentions, most used first."
)


def _public(row: MentionImportRow) -> MentionImportResult:
    return MentionImportResult(
        id=row.id,
        engagement_id=row.engagement_id,
        filename=row.filename,
        rows_imported=row.rows_imported,
        sentiment_computed=row.sentiment_computed,
        columns=dict(row.columns),
        skipped=list(row.errors),
        created_at=row.created_at,
    )


def import_mentions(uow: UnitOfWork, principal: Principal, data: MentionImport) -> MentionImportResult:
    require_write(principal)
    engagement = load_engagement(uow, principal, data.engagement_id)
    parsed = parse_mentions_csv(data.csv, data.mapping)
    skipped = [e.as_dict() for e in parsed.errors]
    if not parsed.mentions:
        why = parsed.errors[0].message if parsed.errors else "the CSV has no data rows"
        raise Invalid(f"nothing imported: {why}", skipped or [{"field": "csv", "message": why}])
    computed = sum(1 for m in parsed.mentions if m.sentiment_computed)
    row = uow.listening.create_import(
        parsed.mentions,
        id=new_id("li"),
        engagement_id=engagement.id,
        filename=data.filename,
        columns=parsed.columns,
        rows_imported=len(parsed.mentions),
        sentiment_computed=computed,
        errors=skipped,
        created_by=principal.actor,
    )
    audit.record(
        uow,
        principal,
        "listening.import",
        client_id=engagement.client_id,
        engagement_id=engagement.id,
        data={
            "import_id": row.id,
            "rows": len(parsed.mentions),
            "skipped": len(skipped),
            "computed": computed,
        },
        comment=data.filename,
    )
    uow.commit()
    return _public(row)


def _summary(mentions: list[Mention]) -> SentimentSummary:
    return SentimentSummary.model_validate(asdict(summarise(mentions)))


def _mention(m: Mention) -> MentionPublic:
    return MentionPublic(
        date=m.date,
        platform=m.platform,
        author=m.author,
        text=m.text,
        reach=m.reach,
        sentiment=m.sentiment,
        label=label_of(m.sentiment),
        sentiment_computed=m.sentiment_computed,
        source_row=m.source_row,
    )


def listening_report(uow: UnitOfWork, principal: Principal, engagement_id: str) -> ListeningReport:
    engagement = load_engagement(uow, principal, engagement_id)
    mentions = uow.listening.mentions(engagement.id)
    found = topics(mentions)
    chosen = [t.term for t in found[:6]]
    per_week = topic_weeks(mentions, chosen)
    platforms: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        platforms[m.platform].append(m)
    ordered = sorted(mentions, key=lambda m: (m.sentiment, m.source_row))
    return ListeningReport(
        engagement_id=engagement.id,
        total=_summary(mentions),
        by_platform={p: _summary(group) for p, group in sorted(platforms.items())},
        topics=[
            TopicPublic(
                term=t.term, mentions=t.mentions, sentiment=t.sentiment, source_rows=list(t.source_rows)
            )
            for t in found
        ],
        weekly=[
            ListeningWeek(week=week, summary=_summary(group), topics=per_week.get(week, {}))
            for week, group in weekly(mentions).items()
        ],
        most_negative=[_mention(m) for m in ordered[:5] if label_of(m.sentiment) == "negative"],
        most_positive=[_mention(m) for m in reversed(ordered[-5:]) if label_of(m.sentiment) == "positive"],
        imports=[_public(r) for r in uow.listening.imports(engagement.id)],
        method=METHOD,
    )
