"""Goal progress (SPEC §7 monitoring): the brief's KPI targets, as parsed, against the imported rows.

Every target shows how it was read (metric, number, comparator, period) and says why the reading may
be wrong when it can be: no number, no known metric, no period for a count, a percentage of a count.
Nothing is invented: a target the platform rows cannot measure says so, and a KPI no row carries
is "no data".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aicmo.domain.artifacts import Module
from aicmo.domain.locale import DEFAULT_LOCALE
from aicmo.domain.metrics import MetricRow, kpis
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.metrics import GoalLine, GoalReport, ParsedTarget
from aicmo.services.engagements import load_engagement
from aicmo.services.generators._numbers import PERIOD_WEEKS, Target, parse_targets
from aicmo.services.unit_of_work import UnitOfWork

# target metric key -> the KPI that measures it from platform rows
COUNTS = {
    "leads",
    "orders",
    "subscribers",
    "applications",
    "partners",
    "partner_applications",
    "accounts",
    "tickets",
    "volunteers",
    "hires",
    "visits",
}
MEASURED_BY: dict[str, str] = {
    **dict.fromkeys(COUNTS, "conversions"),
    "cost_per_lead": "cost_per_result",
    "cost_per_application": "cost_per_result",
    "cpa": "cost_per_result",
    "cost_per_result": "cost_per_result",
    "roas": "roas",
    "revenue": "revenue",
    "ctr": "ctr",
    "engagement_rate": "engagement_rate",
    "conversion_rate": "conversion_rate",
    "impressions": "impressions",
    "reach": "reach",
}
RATES = {"ctr", "engagement_rate", "conversion_rate"}
TOTALS = {"conversions", "revenue", "impressions", "reach"}
LOWER_IS_BETTER = {"cost_per_result"}


def ambiguities(target: Target) -> list[str]:
    """Why this reading of the brief's words may not be what the client meant."""
    why = []
    if target.value is None:
        why.append("no number in the target: nothing to measure against")
    if target.metric == "custom":
        why.append("no metric we recognise in the words: the target cannot be matched to a KPI")
    kpi = MEASURED_BY.get(target.metric)
    if kpi in TOTALS and target.value is not None and not target.period and not target.percent:
        why.append("no period: read as the total over the whole engagement")
    if kpi in TOTALS and target.percent and target.baseline is None:
        why.append(
            "a percentage of a count (a share or a growth) with no baseline: these rows cannot measure it"
        )
    if kpi in RATES and target.value is not None and not target.percent:
        why.append("a rate without a % sign: read as a percentage")
    if kpi in LOWER_IS_BETTER and target.comparator == "≥":
        why.append("a cost with 'at least': read as a ceiling (lower is better)")
    if target.splits:
        why.append("split by place or tier: measured as the total only")
    return why


def _parsed(t: Target) -> ParsedTarget:
    return ParsedTarget(
        metric=t.metric,
        label=t.label,
        value=t.value,
        comparator=t.comparator,
        period=t.period,
        currency=t.currency,
        percent=t.percent,
        baseline=t.baseline,
        reading=t.text,
    )


def evaluate(target: Target, rows: Sequence[MetricRow], days: int, weeks: int | None) -> GoalLine:
    """One target against the rows that cover `days` days of an engagement of `weeks` weeks."""
    why = ambiguities(target)
    kpi = MEASURED_BY.get(target.metric)
    base: dict[str, Any] = {"raw": target.raw, "parsed": _parsed(target), "ambiguous": why, "kpi": kpi}
    empty = {"actual": None, "expected": None, "progress_pct": None, "rows": 0}
    if kpi is None:
        return GoalLine(
            **base,
            **empty,
            status="not measurable",
            note="Platform rows do not carry this; report it from its own source (CRM, till, ATS).",
        )
    figure = getattr(kpis(rows), kpi)
    if figure.value is None:
        return GoalLine(
            **base, **empty, status="no data", note=f"No imported row carries {kpi.replace('_', ' ')}."
        )
    if target.value is None or (kpi in TOTALS and target.percent and target.baseline is None):
        return GoalLine(
            **base,
            actual=figure.value,
            expected=None,
            progress_pct=None,
            rows=figure.rows,
            status="unclear",
            note="Measured, but the target gives nothing to compare it with.",
        )
    expected = target.value / 100 if kpi in RATES else target.value
    note = ""
    if kpi in TOTALS:
        if target.period in PERIOD_WEEKS:
            expected = target.value * (days / 7) / PERIOD_WEEKS[target.period]
        elif weeks:
            expected = target.value * min(days, weeks * 7) / (weeks * 7)
        note = f"Target pro-rated to the {days} day(s) the imported rows cover."
        if kpi == "conversions":
            note += f" {target.label} counted as the platforms' conversions; check them in the CRM or shop."
    lower = kpi in LOWER_IS_BETTER or target.comparator == "≤"
    if lower:
        pct = round(expected / figure.value * 100, 1) if figure.value else None
    else:
        pct = round(figure.value / expected * 100, 1) if expected else None
    status = "unclear" if pct is None else "ahead" if pct >= 110 else "on track" if pct >= 90 else "behind"
    return GoalLine(
        **base,
        actual=figure.value,
        expected=round(expected, 6),
        progress_pct=pct,
        rows=figure.rows,
        status=status,
        note=note,
    )


def goal_report(uow: UnitOfWork, principal: Principal, engagement_id: str) -> GoalReport:
    engagement = load_engagement(uow, principal, engagement_id)
    intake = uow.artifacts.by_engagement(engagement.id).get(Module.INTAKE.value)
    content = intake.content if intake is not None else {}
    text = str(content.get("kpi_targets") or "")
    locale = str(content.get("locale") or DEFAULT_LOCALE)
    rows = uow.metrics.rows(engagement.id)
    days = (rows[-1].date - rows[0].date).days + 1 if rows else 0
    weeks = engagement.duration_weeks or content.get("duration_weeks")
    return GoalReport(
        engagement_id=engagement.id,
        source="the intake's KPI targets" if intake is not None else "no intake yet",
        targets_text=text,
        data_days=days,
        goals=[evaluate(t, rows, days, int(weeks) if weeks else None) for t in parse_targets(text, locale)],
    )
