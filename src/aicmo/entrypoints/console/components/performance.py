"""An engagement's performance data (SPEC §7 monitoring): import a platform export, read the KPIs
with the number of rows behind each figure, and the weekly trend. Missing data shows as "no data"."""

from __future__ import annotations

import altair as alt
import streamlit as st

from aicmo.domain.channels import channel
from aicmo.domain.metrics import COLUMNS, FIGURES
from aicmo.domain.schemas.metrics import KpiReport, KpiSet, WeekKpis
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import show_api_error
from aicmo.entrypoints.console.components.csv_import import flash_outcome, upload_form

SCOPE = "performance"
CAMPAIGN_FIGURES = (
    "reach",
    "impressions",
    "engagement_rate",
    "clicks",
    "ctr",
    "conversions",
    "cost_per_result",
    "roas",
)
RATES = {"engagement_rate", "ctr", "conversion_rate"}
LABELS = {
    "impressions": "Impressions",
    "reach": "Reach",
    "engagements": "Engagements",
    "clicks": "Clicks",
    "conversions": "Conversions",
    "spend": "Spend",
    "revenue": "Revenue",
    "engagement_rate": "Engagement rate",
    "ctr": "CTR",
    "conversion_rate": "Conversion rate",
    "cost_per_result": "Cost per result",
    "roas": "ROAS",
    "sentiment": "Sentiment (-1…1)",
}


def shown(name: str, value: float | None) -> str:
    if value is None:
        return "no data"
    if name in RATES:
        return f"{value:.2%}"
    if name in {"sentiment", "roas", "cost_per_result", "spend", "revenue"}:
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def performance_data(api: ApiClient, engagement_id: str) -> None:
    st.markdown("#### Performance data")
    state.show_flashes(SCOPE)
    _import(api, engagement_id)
    try:
        report = api.kpi_report(engagement_id)
    except ApiError as exc:
        show_api_error(exc, what="load the KPIs")
        return
    if not report.total.rows:
        st.caption("No performance data imported yet: nothing is reported until there is.")
        return
    st.caption(
        f"{report.total.rows} rows from {len(report.imports)} import(s); each figure says how many rows "
        "it was computed from."
    )
    _kpi_table(report)
    trend_chart(report.weekly)
    _campaigns(report)


def _campaigns(report: KpiReport) -> None:
    if not report.by_campaign:
        return
    st.markdown("#### By campaign")
    st.caption(
        f"Rows naming a campaign item (by id or published URL); {report.unlinked_rows} row(s) name no item."
    )
    st.dataframe(
        [
            {
                "campaign": c.name,
                "window": f"{c.start_date} to {c.end_date}",
                "rows": c.linked_rows,
                **{LABELS[n]: shown(n, getattr(c.kpis, n).value) for n in CAMPAIGN_FIGURES},
            }
            for c in report.by_campaign
        ],
        hide_index=True,
        width="stretch",
    )
    for c in report.by_campaign:
        trend_chart(c.weekly, title=f"{c.name}: weekly trend")


def _kpi_table(report: KpiReport) -> None:
    columns: dict[str, KpiSet] = {"All platforms": report.total}
    columns |= {_platform_name(p): k for p, k in report.by_platform.items()}
    st.dataframe(
        [
            {
                "KPI": LABELS[name],
                **{
                    label: f"{shown(name, getattr(k, name).value)} ({getattr(k, name).rows} rows)"
                    for label, k in columns.items()
                },
            }
            for name in FIGURES
        ],
        hide_index=True,
        width="stretch",
    )


def _platform_name(key: str) -> str:
    """The platform as people write it ("Google Business"); an export's own name as it came."""
    try:
        return channel(key).name
    except ValueError:
        return key


def trend_chart(weeks: list[WeekKpis], title: str = "Weekly trend") -> None:
    records = [
        {"week": w.week.isoformat(), "metric": LABELS[name], "value": getattr(w.kpis, name).value}
        for w in weeks
        for name in ("impressions", "clicks", "conversions")
        if getattr(w.kpis, name).value is not None
    ]
    if len(weeks) < 2 or not records:
        return
    chart = (
        alt.Chart(alt.Data(values=records))
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title="Week"),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("metric:N", title=None),
            row=alt.Row("metric:N", title=None),
        )
        .resolve_scale(y="independent")
        .properties(height=110, title=title)
    )
    st.altair_chart(chart, use_container_width=True)


def _import(api: ApiClient, engagement_id: str) -> None:
    with st.expander("Import performance data (CSV)", icon=":material/upload_file:"):
        st.caption(
            "One row per post or per day with a date and a platform; impressions, reach, engagements, "
            "clicks, conversions, spend, revenue and sentiment when the export has them. Platform export "
            "headers are recognised; name any others below."
        )
        upload = upload_form(
            label="Metrics CSV",
            key=f"metrics:{engagement_id}",
            columns=COLUMNS,
            placeholder="impressions=Views, date=Day",
            button="Import",
            mapping_label="Other headers (optional)",
        )
        if upload is None:
            return
        try:
            result = api.import_metrics(engagement_id, upload.text, upload.filename, upload.mapping)
        except ApiError as exc:
            show_api_error(exc, what="import the metrics")
            return
        summary = (
            f"Imported {result.rows_imported} row(s) from {upload.filename} ({upload.encoding}); "
            f"{len(result.skipped)} skipped."
        )
        flash_outcome(SCOPE, summary, result.skipped)
