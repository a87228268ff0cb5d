"""Altair chart specs from performance rows, and PNG rendering with vl-convert (no browser).

The same spec serves the PDF and the deck (as PNG) and the console (`st.altair_chart(chart)`).
This module imports nothing else from the project so it can move wherever the console needs it.
Rows are plain mappings with date, platform, impressions, reach, clicks, engagements, conversions
and spend; numbers may be strings (CSV imports); rows without a readable date are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt

METRICS = ("impressions", "reach", "clicks", "engagements", "conversions", "spend")
FONT = "Liberation Sans"
FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/dejavu")
DEFAULT_SERIES = ("#1F3A5F", "#2A9D8F", "#E9A23B", "#E76F51", "#6C5B7B", "#8AB17D")
ZERO_LABEL = "datum.value == 0 ? '0' : datum.label"
WIDTH = 560
HEIGHT = 180

PLATFORM_NAMES = {
    "linkedin": "LinkedIn", "instagram": "Instagram", "facebook": "Facebook", "x": "X",
    "tiktok": "TikTok", "youtube": "YouTube", "email": "Email",
    "google_business": "Google Business", "pinterest": "Pinterest", "threads": "Threads",
}  # fmt: skip


@dataclass(frozen=True)
class MetricRow:
    day: date
    platform: str
    impressions: float = 0.0
    reach: float = 0.0
    clicks: float = 0.0
    engagements: float = 0.0
    conversions: float = 0.0
    spend: float = 0.0


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _as_number(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        return 0.0
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", "").replace("%", "")
    try:
        return float(text) if text else 0.0
    except ValueError:
        return 0.0


def normalise_rows(rows: Iterable[Mapping[str, Any] | Any]) -> list[MetricRow]:
    """Rows as mappings or as models with those attributes (e.g. the monitoring `MetricRow`)."""
    out = []
    for item in rows:
        row = item if isinstance(item, Mapping) else getattr(item, "__dict__", {})
        day = _as_date(row.get("date"))
        if day is None:
            continue
        platform = str(row.get("platform") or "all").strip().lower()
        out.append(MetricRow(day, platform, **{m: _as_number(row.get(m)) for m in METRICS}))
    return sorted(out, key=lambda r: (r.day, r.platform))


def platform_name(platform: str) -> str:
    return PLATFORM_NAMES.get(platform, platform.replace("_", " ").title())


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_totals(rows: Sequence[MetricRow]) -> list[dict[str, Any]]:
    """One record per (week, platform) with every metric summed; week = Monday's date."""
    totals: dict[tuple[date, str], dict[str, float]] = defaultdict(lambda: dict.fromkeys(METRICS, 0.0))
    for row in rows:
        bucket = totals[(week_start(row.day), row.platform)]
        for metric in METRICS:
            bucket[metric] += getattr(row, metric)
    return [
        {
            "week": week.isoformat(),
            "week_label": f"w/c {week.day} {week:%b}",
            "platform_key": p,
            "platform": platform_name(p),
            **v,
        }
        for (week, p), v in sorted(totals.items())
    ]


def platform_totals(rows: Sequence[MetricRow]) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(METRICS, 0.0))
    for row in rows:
        for metric in METRICS:
            totals[row.platform][metric] += getattr(row, metric)
    out = []
    for platform, values in sorted(totals.items()):
        impressions = values["impressions"]
        out.append(
            {
                "platform_key": platform,
                "platform": platform_name(platform),
                **values,
                "engagement_rate": values["engagements"] / impressions if impressions else 0.0,
                "ctr": values["clicks"] / impressions if impressions else 0.0,
            }
        )
    return out


# ---- chart specs ---------------------------------------------------------------------------------
def _styled(chart: Any, title: str, height: int = HEIGHT) -> Any:
    return (
        chart.properties(width=WIDTH, height=height, title=alt.TitleParams(title, anchor="start"))
        .configure(font=FONT, background="white")
        .configure_view(stroke=None)
        .configure_title(fontSize=14, fontWeight="bold", color="#1E2530", offset=12)
        .configure_axis(
            labelColor="#5B6573", titleColor="#5B6573", labelFontSize=11, titleFontSize=11,
            gridColor="#E6EAF0", domainColor="#C9D0DA", tickColor="#C9D0DA", titleFontWeight="normal",
        )
        .configure_legend(labelColor="#1E2530", titleColor="#5B6573", labelFontSize=11, orient="top",
                          title=None, symbolType="circle")
    )  # fmt: skip


def _platform_scale(
    records: Sequence[Mapping[str, Any]], palette: Sequence[str], colours: Mapping[str, str] | None
) -> alt.Scale:
    """Platforms in name order; a platform's colour from `colours` (keyed by platform id) when given."""
    keys = sorted({(r["platform"], r["platform_key"]) for r in records})
    fallback = list(palette) or list(DEFAULT_SERIES)
    domain = [name for name, _ in keys]
    colour_range = [(colours or {}).get(key, fallback[i % len(fallback)]) for i, (_, key) in enumerate(keys)]
    return alt.Scale(domain=domain, range=colour_range)


def _week_axis(records: Sequence[Mapping[str, Any]]) -> alt.X:
    order = list(dict.fromkeys(r["week_label"] for r in sorted(records, key=lambda r: r["week"])))
    return alt.X("week_label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0))


def impressions_by_week(
    rows: Sequence[MetricRow],
    palette: Sequence[str] = DEFAULT_SERIES,
    colours: Mapping[str, str] | None = None,
) -> alt.Chart:
    """Weekly impressions, stacked by platform."""
    records = weekly_totals(rows)
    chart = (
        alt.Chart(alt.Data(values=records))
        .mark_bar(cornerRadiusTopLeft=2, cornerRadiusTopRight=2)
        .encode(
            x=_week_axis(records),
            y=alt.Y(
                "sum(impressions):Q", title="Impressions", axis=alt.Axis(format="~s", labelExpr=ZERO_LABEL)
            ),
            color=alt.Color("platform:N", scale=_platform_scale(records, palette, colours)),
            tooltip=["week_label:N", "platform:N", alt.Tooltip("impressions:Q", format=",.0f")],
        )
    )
    return _styled(chart, "Impressions by week")


def clicks_and_conversions_by_week(
    rows: Sequence[MetricRow], palette: Sequence[str] = DEFAULT_SERIES
) -> alt.LayerChart:
    """Weekly clicks and conversions across platforms, as two lines."""
    weekly: dict[str, dict[str, Any]] = {}
    for record in weekly_totals(rows):
        bucket = weekly.setdefault(
            record["week"], {"week": record["week"], "week_label": record["week_label"], "Clicks": 0.0,
                             "Conversions": 0.0}
        )  # fmt: skip
        bucket["Clicks"] += record["clicks"]
        bucket["Conversions"] += record["conversions"]
    records = [
        {"week": w["week"], "week_label": w["week_label"], "metric": name, "value": w[name]}
        for w in weekly.values()
        for name in ("Clicks", "Conversions")
    ]
    base = alt.Chart(alt.Data(values=records)).encode(
        x=_week_axis(records),
        y=alt.Y("value:Q", title="Count", axis=alt.Axis(format="~s", labelExpr=ZERO_LABEL)),
        color=alt.Color(
            "metric:N", scale=alt.Scale(domain=["Clicks", "Conversions"], range=list(palette[:2]))
        ),
        tooltip=["week_label:N", "metric:N", alt.Tooltip("value:Q", format=",.0f")],
    )
    chart = base.mark_line(strokeWidth=2.5) + base.mark_point(filled=True, size=45)
    return _styled(chart, "Clicks and conversions by week")


def engagement_rate_by_platform(
    rows: Sequence[MetricRow],
    palette: Sequence[str] = DEFAULT_SERIES,
    colours: Mapping[str, str] | None = None,
) -> alt.LayerChart:
    """Engagements ÷ impressions per platform, as labelled horizontal bars."""
    records = platform_totals(rows)
    base = alt.Chart(alt.Data(values=records)).encode(
        y=alt.Y("platform:N", sort="-x", title=None),
        x=alt.X("engagement_rate:Q", title="Engagement rate", axis=alt.Axis(format=".1%")),
    )
    bars = base.mark_bar(cornerRadiusTopRight=2, cornerRadiusBottomRight=2, height=22).encode(
        color=alt.Color("platform:N", scale=_platform_scale(records, palette, colours), legend=None),
        tooltip=["platform:N", alt.Tooltip("engagement_rate:Q", format=".2%")],
    )
    labels = base.mark_text(align="left", dx=4, color="#1E2530", fontSize=11).encode(
        text=alt.Text("engagement_rate:Q", format=".1%")
    )
    return _styled(bars + labels, "Engagement rate by platform", height=max(90, 38 * len(records)))


def sentiment_by_week(
    weeks: Sequence[Mapping[str, Any]], palette: Sequence[str] = DEFAULT_SERIES
) -> alt.LayerChart:
    """Mean mention sentiment per week (-1 … 1) as bars, each labelled with its mention count.
    `weeks` are records with week (ISO Monday), mentions and mean."""
    records = []
    for w in weeks:
        day = _as_date(w.get("week"))
        if day is None:
            continue
        records.append(
            {
                "week": day.isoformat(),
                "week_label": f"w/c {day.day} {day:%b}",
                "mean": float(w.get("mean") or 0.0),
                "mentions": int(w.get("mentions") or 0),
                "label": f"n={int(w.get('mentions') or 0)}",
            }
        )
    colours = list(palette[:2]) if len(palette) >= 2 else list(DEFAULT_SERIES[:2])
    base = alt.Chart(alt.Data(values=records)).encode(
        x=_week_axis(records),
        y=alt.Y("mean:Q", title="Mean sentiment", scale=alt.Scale(domain=[-1, 1])),
    )
    bars = base.mark_bar(cornerRadiusTopLeft=2, cornerRadiusTopRight=2).encode(
        color=alt.condition("datum.mean < 0", alt.value(colours[1]), alt.value(colours[0])),
        tooltip=["week_label:N", alt.Tooltip("mean:Q", format="+.2f"), "mentions:Q"],
    )
    labels = (
        base.transform_calculate(top="max(datum.mean, 0)")
        .mark_text(dy=-8, color="#1E2530", fontSize=10)
        .encode(y=alt.Y("top:Q", scale=alt.Scale(domain=[-1, 1])), text="label:N")
    )
    return _styled(bars + labels, "Mention sentiment by week")


def report_charts(
    rows: Iterable[Mapping[str, Any] | Any],
    palette: Sequence[str] = DEFAULT_SERIES,
    colours: Mapping[str, str] | None = None,
) -> list[tuple[str, alt.TopLevelMixin]]:
    """The charts a performance report shows, in order, as (key, chart); empty without data.

    `palette` colours non-platform series; `colours` maps platform ids to colours so a platform
    looks the same in every chart and in the rest of the document.
    """
    metric_rows = normalise_rows(rows)
    if not metric_rows:
        return []
    charts: list[tuple[str, alt.TopLevelMixin]] = [
        ("impressions_by_week", impressions_by_week(metric_rows, palette, colours))
    ]
    if any(r.clicks or r.conversions for r in metric_rows):
        charts.append(
            ("clicks_and_conversions_by_week", clicks_and_conversions_by_week(metric_rows, palette))
        )
    if any(r.impressions for r in metric_rows):
        charts.append(
            ("engagement_rate_by_platform", engagement_rate_by_platform(metric_rows, palette, colours))
        )
    return charts


# ---- rendering -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _converter() -> Any:
    import vl_convert

    for directory in FONT_DIRS:
        if Path(directory).is_dir():
            vl_convert.register_font_directory(directory)
    return vl_convert


def chart_png(chart: alt.TopLevelMixin, *, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes (offline; `scale=2` is crisp in print)."""
    return bytes(_converter().vegalite_to_png(chart.to_dict(), scale=scale))
