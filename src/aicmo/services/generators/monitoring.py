"""Monitoring generator: the tracking checklist and KPI definitions, plus results and optimisation
suggestions computed from imported metrics (`inputs.extra['metrics']`). Never invents a number:
with no rows it says so and gives the tracking plan only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar, Literal

from aicmo.domain.artifacts import Module
from aicmo.domain.listening import Mention, label_of, mention_from_record, summarise, topics, weekly
from aicmo.domain.metrics import MetricRow, from_record, kpis, post_key
from aicmo.domain.plan import post_platforms
from aicmo.domain.schemas.execution import Execution
from aicmo.domain.schemas.intake import Objective, Platform
from aicmo.domain.schemas.monitoring import (
    CampaignResult,
    CitedMention,
    KpiDefinition,
    KpiProgress,
    Listening,
    ListeningTopic,
    ListeningWeek,
    Monitoring,
    PlatformResult,
    Suggestion,
    TrackingItem,
)
from aicmo.domain.schemas.strategy import KPI, Strategy
from aicmo.services.generators._facts import Facts, facts_for
from aicmo.services.generators._kpis import FORMULAS, conversion_event, kpis_for
from aicmo.services.generators._numbers import METRICS, PERIOD_WEEKS, parse_target
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, table
from aicmo.services.generators._repair import ensure_brand, scrub_model
from aicmo.services.generators._upstream import execution_of, strategy_of
from aicmo.services.generators.base import GenerationInputs

MAX_ROWS = 50_000
OWNER = {
    Objective.LEADS: "Sales operations",
    Objective.SALES: "E-commerce manager",
    Objective.HIRING: "Recruitment lead",
    Objective.AWARENESS: "Social media manager",
    Objective.PARTNERSHIPS: "Partnerships lead",
    Objective.RETENTION: "Customer success lead",
}
SOURCES = {
    "leads": "CRM",
    "cost_per_lead": "Ad platforms + CRM",
    "hires": "ATS",
    "applications": "ATS",
    "cost_per_hire": "Ad platforms + ATS",
    "time_to_hire": "ATS",
    "roas": "Ad platforms + store",
    "revenue": "Store platform",
    "aov": "Store platform",
    "subscribers": "Store platform",
    "cpa": "Ad platforms + store",
    "conversion_rate": "Web analytics",
    "apply_rate": "Web analytics + ATS",
    "reach": "Platform analytics",
    "engagement_rate": "Platform analytics",
    "followers": "Platform analytics",
    "ctr": "Ad platforms",
    "email_ctr": "E-mail platform",
}
COUNT_METRICS = {"leads", "subscribers", "applications", "partners"}


def parse_rows(raw: Any) -> tuple[list[MetricRow], int]:
    """Valid metric rows and the number of rows skipped as unreadable."""
    if not isinstance(raw, list):
        return [], 0
    rows, skipped = [], 0
    for item in raw[:MAX_ROWS]:
        try:
            rows.append(from_record(item))
        except (TypeError, ValueError, AttributeError):
            skipped += 1
    return rows, skipped + max(0, len(raw) - MAX_ROWS)


def metric_key(name: str) -> str:
    return next((key for key, pattern in METRICS if pattern.search(name)), "custom")


class MonitoringGenerator(SectionedGenerator[Monitoring]):
    module: ClassVar[Module] = Module.MONITORING
    output_type: ClassVar[type[Monitoring]] = Monitoring
    uses_llm: ClassVar[bool] = False  # numbers are computed, never written by a model

    def plan_offline(self, inputs: GenerationInputs) -> Monitoring:
        f = facts_for(inputs.intake)
        strategy = strategy_of(inputs)
        execution = execution_of(inputs)
        rows, skipped = parse_rows(inputs.extra.get("metrics"))
        kpis = _definitions(f, strategy.measurement.kpis)
        base = {
            "brand": f.brand,
            "tracking_checklist": _checklist(f, strategy, execution),
            "kpis": kpis,
            "rows_skipped": skipped,
            "campaigns": _campaigns(inputs.extra.get("campaigns"), rows),
            "listening": _listening(inputs.extra.get("mentions")),
            "review_cadence": f"{f.intake.report_frequency.value} review of {f.brand}'s KPIs against "
            "targets; weekly data import.",
        }
        if not rows:
            note = (
                f"No performance data has been imported yet for {f.brand}, so there are no results to "
                "report. Import platform metrics (date, platform, impressions, reach, clicks, "
                "engagements, conversions, spend, revenue) to see progress against targets. Until then "
                "this is the tracking plan only."
            )
            if skipped:
                note += f" {skipped} row(s) were provided but could not be read."
            return self.repair(Monitoring(data_status="no_data", data_note=note, **base), inputs)
        first, last = min(r.date for r in rows), max(r.date for r in rows)
        results = _results(rows)
        progress = _progress(strategy.measurement.kpis, rows, first, last, f)
        monitoring = Monitoring(
            data_status="imported",
            data_note=f"{len(rows)} rows of imported data for {f.brand} from {first.isoformat()} to "
            f"{last.isoformat()}; every figure below is computed from those rows.",
            period_start=first.isoformat(),
            period_end=last.isoformat(),
            rows_imported=len(rows),
            performance=results,
            kpi_progress=progress,
            suggestions=_suggestions(f, rows, results, progress, execution),
            **base,
        )
        return self.repair(monitoring, inputs)

    def repair(self, content: Monitoring, inputs: GenerationInputs) -> Monitoring:
        return ensure_brand(scrub_model(content, inputs.intake), inputs.intake, "data_note")

    def title(self, content: Monitoring) -> str:
        return f"Monitoring: {content.brand}"

    def sections(self, content: Monitoring) -> list[Section]:
        c = content
        dump = c.model_dump(mode="json")
        checklist = "\n".join(
            f"- [{'x' if t.done else ' '}] {t.item} _(owner: "
            f"{t.owner}{'; ' + t.platform if t.platform else ''})_ {t.why}"
            for t in c.tracking_checklist
        )
        kpis = table(
            ["KPI", "Target", "Source", "Formula", "Data from"],
            [[d.kpi.name, d.kpi.target, d.kpi.source, d.formula, d.data_source] for d in c.kpis],
        )
        sections = [
            Section(
                "status",
                "Data status",
                c.data_note,
                {"data_status": c.data_status, "rows_imported": c.rows_imported},
            ),
            Section(
                "tracking_checklist",
                "Tracking checklist",
                checklist,
                {"tracking_checklist": dump["tracking_checklist"]},
            ),
            Section("kpis", "KPI definitions", kpis, {"kpis": dump["kpis"]}),
        ]
        if c.campaigns:
            by_campaign = table(
                ["Campaign", "Rows", "Impressions", "Engagement rate", "Clicks", "Conversions"],
                [
                    [
                        r.name,
                        str(r.rows),
                        _count(r.impressions),
                        "no data" if r.engagement_rate_pct is None else f"{r.engagement_rate_pct:.2f}%",
                        _count(r.clicks),
                        _count(r.conversions),
                    ]
                    for r in c.campaigns
                ],
            )
            sections.append(
                Section("campaigns", "Performance by campaign", by_campaign, {"campaigns": dump["campaigns"]})
            )
        sections.append(
            Section("listening", "Social listening", _listening_text(c), {"listening": dump["listening"]})
        )
        if c.performance:
            perf = table(
                [
                    "Platform",
                    "Impressions",
                    "Clicks",
                    "CTR",
                    "Engagement rate",
                    "Conversions",
                    "Spend",
                    "Cost/conv.",
                    "ROAS",
                ],
                [
                    [
                        p.platform,
                        _count(p.impressions),
                        _count(p.clicks),
                        _pct(p.ctr_pct),
                        _pct(p.engagement_rate_pct),
                        _count(p.conversions),
                        _num(p.spend),
                        _num(p.cost_per_conversion),
                        _num(p.roas),
                    ]
                    for p in c.performance
                ],
            )
            sections.append(
                Section("performance", "Performance by platform", perf, {"performance": dump["performance"]})
            )
            progress = table(
                ["KPI", "Target", "Actual", "Progress", "Status", "Note"],
                [
                    [k.name, k.target, k.actual, _pct(k.progress_pct), k.status.replace("_", " "), k.note]
                    for k in c.kpi_progress
                ],
            )
            sections.append(
                Section("kpi_progress", "Goal progress", progress, {"kpi_progress": dump["kpi_progress"]})
            )
            suggestions = "\n\n".join(
                f"**{s.priority.upper()}: "
                f"{s.title}**\n\n{bullets([f'Evidence: {s.evidence}', f'Action: {s.action}'])}"
                for s in c.suggestions
            )
            sections.append(
                Section(
                    "suggestions",
                    "Optimisation suggestions",
                    suggestions,
                    {"suggestions": dump["suggestions"]},
                )
            )
        return sections


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _count(value: int | None) -> str:
    return "no data" if value is None else f"{value:,}"


# ---- plan -----------------------------------------------------------------------------------------
def _definitions(f: Facts, kpis: list[KPI]) -> list[KpiDefinition]:
    specs = {s.kpi.name: s.metric for s in kpis_for(f)}
    definitions = []
    for kpi in kpis:
        key = specs.get(kpi.name) or metric_key(kpi.name)
        definitions.append(
            KpiDefinition(
                kpi=kpi,
                formula=FORMULAS.get(key, f"as defined in the brief ({kpi.target})"),
                data_source=SOURCES.get(key, "Platform analytics"),
            )
        )
    return definitions


def _checklist(f: Facts, strategy: Strategy, execution: Execution) -> list[TrackingItem]:
    items = [
        TrackingItem(item=req, owner="Analytics lead", why="Without it the KPI cannot be measured.")
        for req in strategy.measurement.tracking_requirements
    ]
    primary = strategy.measurement.primary_kpi
    items.append(
        TrackingItem(
            item=f"Capture a week-0 baseline for {primary} before the first post goes live.",
            owner=OWNER[f.objective],
            why="Progress is judged against the baseline as well as the target.",
        )
    )
    items.append(
        TrackingItem(
            item=f"Test the '{conversion_event(f)}' conversion end to end (click a tagged link, complete "
            "it, see it in analytics).",
            owner="Analytics lead",
            why="Catches broken tags before budget is spent.",
        )
    )
    for platform in post_platforms(f.platforms):
        count = sum(1 for p in execution.posts if p.platform is platform)
        items.append(
            TrackingItem(
                item=f"Record the live URL of each {platform.value} post ({count} planned) in the "
                f"execution checklist, and export {platform.value} analytics weekly.",
                platform=platform.value,
                owner="Social media manager",
                why="Links results to posts, pillars and posting times for the Learn module.",
            )
        )
    if Platform.EMAIL in f.platforms:
        items.append(
            TrackingItem(
                item="Check unsubscribes, bounces and spam complaints after every send; suppress "
                "opted-out contacts.",
                platform="email",
                owner="E-mail marketer",
                why="Protects deliverability and consent.",
            )
        )
    for disclaimer in f.disclaimers:
        items.append(
            TrackingItem(
                item=f"Spot-check live posts for the required disclaimer: “{disclaimer}”",
                owner="Account manager",
                why="A compliance requirement of the brief.",
            )
        )
    return items


# ---- results --------------------------------------------------------------------------------------
def _results(rows: list[MetricRow]) -> list[PlatformResult]:
    grouped: dict[str, list[MetricRow]] = defaultdict(list)
    for row in rows:
        grouped[row.platform].append(row)
    return [_summarise(platform, group) for platform, group in sorted(grouped.items())]


def _summarise(platform: str, rows: Iterable[MetricRow]) -> PlatformResult:
    k = kpis(list(rows))

    def whole(value: float | None) -> int | None:
        return None if value is None else int(value)

    def cents(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    def pct(value: float | None) -> float | None:
        return None if value is None else round(value * 100, 2)

    return PlatformResult(
        platform=platform,
        rows=k.rows,
        impressions=whole(k.impressions.value),
        clicks=whole(k.clicks.value),
        engagements=whole(k.engagements.value),
        conversions=whole(k.conversions.value),
        spend=cents(k.spend.value),
        revenue=cents(k.revenue.value),
        ctr_pct=pct(k.ctr.value),
        engagement_rate_pct=pct(k.engagement_rate.value),
        cost_per_conversion=cents(k.cost_per_result.value),
        roas=cents(k.roas.value),
    )


def _actual(key: str, rows: list[MetricRow]) -> tuple[float | None, str]:
    """The measured value for a KPI key and how to show it; None when the rows do not carry it."""
    total = _summarise("all", rows)
    if key in COUNT_METRICS:
        if total.conversions is None:
            return None, "no conversions column in the imported data"
        return float(total.conversions), f"{total.conversions:,} conversions recorded by the platforms"
    if key in {"cost_per_lead", "cpa", "cost_per_application"}:
        value = total.cost_per_conversion
        return value, f"{value:,.2f} spend per conversion" if value is not None else "no conversions yet"
    if key == "roas":
        return total.roas, f"{total.roas:.2f}x" if total.roas is not None else "no revenue or spend recorded"
    if key == "revenue":
        return total.revenue, f"{total.revenue:,.2f}" if total.revenue is not None else "no revenue recorded"
    if key == "ctr":
        return total.ctr_pct, _pct(total.ctr_pct)
    if key == "engagement_rate":
        return total.engagement_rate_pct, _pct(total.engagement_rate_pct)
    if key == "reach":
        reach = kpis(rows).reach.value
        return reach, f"{reach:,.0f} reached" if reach is not None else "no reach column in the imported data"
    return None, "not in the imported data"


Status = Literal["ahead", "on_track", "behind", "no_target"]


def _progress(kpis: list[KPI], rows: list[MetricRow], first: date, last: date, f: Facts) -> list[KpiProgress]:
    days = (last - first).days + 1
    weeks = f.weeks
    metrics = {s.kpi.name: s.metric for s in kpis_for(f)}
    progress = []
    for kpi in kpis:
        key = metrics.get(kpi.name) or metric_key(kpi.name)
        actual, shown = _actual(key, rows)
        target = parse_target(kpi.target, f.locale)
        pct: float | None = None
        status: Status = "no_target"
        note = "Not measurable from platform rows; report it from its own source." if actual is None else ""
        if actual is not None and target.value:
            lower_is_better = target.comparator == "≤"
            expected = target.value
            if key in COUNT_METRICS | {"revenue", "reach", "followers"}:
                if target.period in PERIOD_WEEKS:
                    expected = target.value * (days / 7) / PERIOD_WEEKS[target.period]
                elif target.period:
                    expected = target.value * days / max(weeks * 7, 1)
                note = f"Target pro-rated to {days} day(s) of data: {f.number(round(expected, 1))}."
            if lower_is_better:
                pct = round(expected / actual * 100, 1) if actual else None
            else:
                pct = round(actual / expected * 100, 1) if expected else None
            if pct is not None:
                status = "ahead" if pct >= 110 else ("on_track" if pct >= 90 else "behind")
        progress.append(
            KpiProgress(
                name=kpi.name, target=kpi.target, actual=shown, progress_pct=pct, status=status, note=note
            )
        )
    return progress


def _suggestions(
    f: Facts,
    rows: list[MetricRow],
    results: list[PlatformResult],
    progress: list[KpiProgress],
    execution: Execution,
) -> list[Suggestion]:
    out: list[Suggestion] = []
    for r in results:
        if (r.spend or 0) > 0 and not r.conversions:
            recorded = "0 conversions recorded" if r.conversions == 0 else "no conversions tracked"
            out.append(
                Suggestion(
                    title=f"Check tracking on {r.platform} before spending more",
                    evidence=f"{f.money(r.spend or 0)} spent and {recorded} on {r.platform} ({r.rows} rows).",
                    action=f"Test the '{conversion_event(f)}' event from a {r.platform} link; pause spend "
                    "until it fires.",
                    priority="high",
                    platform=r.platform,
                )
            )
    with_ctr = [r for r in results if r.ctr_pct is not None and (r.impressions or 0) >= 500]
    if len(with_ctr) >= 2:
        best = max(with_ctr, key=lambda r: r.ctr_pct or 0)
        worst = min(with_ctr, key=lambda r: r.ctr_pct or 0)
        if best.ctr_pct and worst.ctr_pct is not None and best.ctr_pct >= 1.5 * max(worst.ctr_pct, 0.01):
            out.append(
                Suggestion(
                    title=f"Shift effort from {worst.platform} to {best.platform}",
                    evidence=f"CTR {best.ctr_pct:.2f}% on {best.platform} vs {worst.ctr_pct:.2f}% on "
                    f"{worst.platform} ({_count(best.impressions)} and {_count(worst.impressions)} "
                    "impressions).",
                    action=f"Move 10-20% of {worst.platform} budget to {best.platform}; refresh "
                    f"{worst.platform} hooks.",
                    priority="high" if best.ctr_pct >= 2 * max(worst.ctr_pct, 0.01) else "medium",
                    platform=worst.platform,
                )
            )
    for k in progress:
        if k.status == "behind":
            out.append(
                Suggestion(
                    title=f"{k.name} is behind target",
                    evidence=f"Actual {k.actual} against a target of {k.target} ({_pct(k.progress_pct)} "
                    "of plan).",
                    action="Put the best-performing pillar and platform first for the next two weeks and "
                    "retest the landing step.",
                    priority="high" if (k.progress_pct or 0) < 70 else "medium",
                )
            )
    out += _pillar_suggestion(rows, execution)
    sentiments = [r.sentiment for r in rows if r.sentiment is not None]
    if sentiments and sum(sentiments) / len(sentiments) < 0:
        out.append(
            Suggestion(
                title="Sentiment is negative",
                evidence=f"Average sentiment {sum(sentiments) / len(sentiments):.2f} across "
                f"{len(sentiments)} rows.",
                action="Read the mentions behind it and answer recurring complaints in the next posts.",
                priority="high",
            )
        )
    if not out:
        total = _summarise("all", rows)
        shown = [
            f"{value:,} {name}"
            for name, value in (
                ("impressions", total.impressions),
                ("clicks", total.clicks),
                ("conversions", total.conversions),
            )
            if value is not None
        ]
        out.append(
            Suggestion(
                title="Hold course and keep testing",
                evidence=f"{', '.join(shown) or f'{total.rows} rows'} over {total.rows} rows; no KPI is "
                "behind and no platform stands out.",
                action="Keep the calendar; run one new hook test per pillar next week.",
                priority="low",
            )
        )
    return out[:8]


def _pillar_suggestion(rows: list[MetricRow], execution: Execution) -> list[Suggestion]:
    pillar_of = {p.id: p.pillar for p in execution.posts}
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        pillar = pillar_of.get(row.post)
        if pillar and row.impressions and row.engagements is not None:
            totals[pillar][0] += row.engagements
            totals[pillar][1] += row.impressions
    rates = {p: e / i * 100 for p, (e, i) in totals.items() if i >= 200}
    if len(rates) < 2:
        return []
    best = max(sorted(rates), key=lambda p: rates[p])
    worst = min(sorted(rates), key=lambda p: rates[p])
    if best == worst or rates[best] < 1.2 * rates[worst]:
        return []
    return [
        Suggestion(
            title=f"Make more '{best}' posts",
            evidence=f"Engagement rate {rates[best]:.2f}% for '{best}' vs {rates[worst]:.2f}% for '{worst}'.",
            action=f"Swap one '{worst}' slot per week for '{best}' and reuse its best hook on other "
            "platforms.",
            priority="medium",
        )
    ]


# ---- campaigns and listening ----------------------------------------------------------------------
def _campaigns(raw: Any, rows: list[MetricRow]) -> list[CampaignResult]:
    """Each campaign's totals over the rows naming one of its items (by item id or published URL)."""
    out = []
    for campaign in raw if isinstance(raw, list) else []:
        keys = set(campaign.get("keys") or [])
        own = [r for r in rows if r.post and post_key(r.post) in keys]
        total = _summarise("all", own) if own else None
        out.append(
            CampaignResult(
                campaign_id=str(campaign["id"]),
                name=str(campaign["name"]),
                items=int(campaign.get("items") or 0),
                rows=len(own),
                impressions=total.impressions if total else None,
                engagement_rate_pct=total.engagement_rate_pct if total else None,
                clicks=total.clicks if total else None,
                conversions=total.conversions if total else None,
            )
        )
    return out


def _listening(raw: Any) -> Listening:
    mentions: list[Mention] = []
    for record in raw if isinstance(raw, list) else []:
        try:
            mentions.append(mention_from_record(record))
        except (KeyError, TypeError, ValueError):
            continue  # not a stored mention; never guessed at
    if not mentions:
        return Listening()
    summary = summarise(mentions)
    ordered = sorted(mentions, key=lambda m: (m.sentiment, m.source_row))
    return Listening(
        mentions=summary.mentions,
        mean=summary.mean,
        positive_pct=round(summary.positive / summary.mentions * 100, 1),
        negative_pct=round(summary.negative / summary.mentions * 100, 1),
        computed=summary.computed,
        topics=[
            ListeningTopic(term=t.term, mentions=t.mentions, sentiment=t.sentiment) for t in topics(mentions)
        ],
        weekly=[
            ListeningWeek(week=week.isoformat(), mentions=len(group), mean=summarise(group).mean or 0.0)
            for week, group in weekly(mentions).items()
        ],
        most_negative=[
            CitedMention(
                date=m.date.isoformat(),
                platform=m.platform,
                author=m.author,
                text=m.text[:280],
                sentiment=m.sentiment,
                source_row=m.source_row,
            )
            for m in ordered[:3]
            if label_of(m.sentiment) == "negative"
        ],
    )


def _listening_text(c: Monitoring) -> str:
    lis = c.listening
    if not lis.mentions:
        return (
            f"No mentions imported for {c.brand}, so there is no sentiment or topic to report. Import a "
            "listening export (date, platform, author, text, reach, optional sentiment) to see them."
        )
    mean = f"{lis.mean:+.2f}" if lis.mean is not None else "no data"
    lines = [
        f"{lis.mentions} mentions imported; mean sentiment {mean} (-1 to 1); "
        f"{_pct(lis.positive_pct)} positive, {_pct(lis.negative_pct)} negative; "
        f"{lis.computed} of {lis.mentions} sentiments scored offline from the text (VADER), the rest "
        "taken from the export."
    ]
    if lis.topics:
        shown = ", ".join(f"{t.term} ({t.mentions})" for t in lis.topics[:8])
        lines.append(f"Top topics (mentions using the term): {shown}.")
    else:
        lines.append("No topic is used by 2 or more mentions.")
    if lis.most_negative:
        cited = [
            f"{m.date}, {m.platform}{' @' + m.author if m.author else ''} (sentiment {m.sentiment:+.2f}, "
            f"CSV line {m.source_row}): “{m.text}”"
            for m in lis.most_negative
        ]
        lines.append("Most negative mentions:\n\n" + bullets(cited))
    return "\n\n".join(lines)
