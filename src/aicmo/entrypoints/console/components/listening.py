"""An engagement's social listening (SPEC §7 monitoring): import a mentions export, read sentiment over
time and the topics most mentions use, with the mentions to answer first."""

from __future__ import annotations

import altair as alt
import streamlit as st

from aicmo.domain.listening import COLUMNS
from aicmo.domain.schemas.listening import ListeningReport
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import show_api_error
from aicmo.entrypoints.console.components.csv_import import flash_outcome, upload_form

SCOPE = "listening"
LABEL_COLOURS = {"positive": "#2E7D32", "neutral": "#9E9E9E", "negative": "#C62828"}


def social_listening(api: ApiClient, engagement_id: str) -> None:
    st.markdown("#### Social listening")
    state.show_flashes(SCOPE)
    _import(api, engagement_id)
    try:
        report = api.listening_report(engagement_id)
    except ApiError as exc:
        show_api_error(exc, what="load the mentions")
        return
    total = report.total
    if not total.mentions:
        st.caption(
            "No mentions imported yet: sentiment and topics appear once a listening export is imported."
        )
        return
    cols = st.columns(5)
    cols[0].metric("Mentions", f"{total.mentions:,}")
    cols[1].metric("Reach", f"{total.reach:,}" if total.reach is not None else "no data")
    cols[2].metric("Mean sentiment", f"{total.mean:+.2f}" if total.mean is not None else "no data")
    cols[3].metric("Positive", f"{total.positive / total.mentions:.0%}")
    cols[4].metric("Negative", f"{total.negative / total.mentions:.0%}")
    st.caption(
        f"{total.mentions} mentions from {len(report.imports)} import(s); {total.computed} sentiments were "
        f"scored from the text. {report.method}"
    )
    _sentiment_chart(report)
    _topics(report)
    if report.most_negative:
        st.markdown("**Answer first** (most negative)")
        st.dataframe(
            [
                {
                    "date": m.date.isoformat(),
                    "platform": m.platform,
                    "author": m.author or "—",
                    "sentiment": f"{m.sentiment:+.2f}" + (" (scored)" if m.sentiment_computed else ""),
                    "text": m.text,
                    "CSV line": m.source_row,
                }
                for m in report.most_negative
            ],
            hide_index=True,
            width="stretch",
        )


def _sentiment_chart(report: ListeningReport) -> None:
    records = [
        {"week": w.week.isoformat(), "label": label, "mentions": getattr(w.summary, label)}
        for w in report.weekly
        for label in LABEL_COLOURS
    ]
    means = [
        {"week": w.week.isoformat(), "mean": w.summary.mean}
        for w in report.weekly
        if w.summary.mean is not None
    ]
    bars = (
        alt.Chart(alt.Data(values=records))
        .mark_bar()
        .encode(
            x=alt.X("week:O", title="Week (Monday)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("mentions:Q", title="Mentions"),
            color=alt.Color(
                "label:N",
                title=None,
                scale=alt.Scale(domain=list(LABEL_COLOURS), range=list(LABEL_COLOURS.values())),
            ),
        )
        .properties(height=180, title="Mentions by sentiment, per week")
    )
    line = (
        alt.Chart(alt.Data(values=means))
        .mark_line(point=True, color="#0B4F6C")
        .encode(
            x=alt.X("week:O", title="Week (Monday)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("mean:Q", title="Mean sentiment", scale=alt.Scale(domain=[-1, 1])),
        )
        .properties(height=140, title="Mean sentiment (-1 … 1), per week")
    )
    st.altair_chart(alt.vconcat(bars, line), use_container_width=True)


def _topics(report: ListeningReport) -> None:
    if not report.topics:
        st.caption("No topic yet: no word is used by two or more mentions.")
        return
    chart = (
        alt.Chart(
            alt.Data(
                values=[
                    {"topic": t.term, "mentions": t.mentions, "sentiment": t.sentiment} for t in report.topics
                ]
            )
        )
        .mark_bar(size=18)
        .encode(
            x=alt.X("mentions:Q", title="Mentions"),
            y=alt.Y("topic:N", sort="-x", title=None),
            color=alt.Color("sentiment:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[-1, 1])),
            tooltip=["topic:N", "mentions:Q", "sentiment:Q"],
        )
        .properties(height=30 * len(report.topics) + 20, title="Topics (mentions using the word)")
    )
    st.altair_chart(chart, use_container_width=True)


def _import(api: ApiClient, engagement_id: str) -> None:
    with st.expander("Import social-listening mentions (CSV)", icon=":material/forum:"):
        st.caption(
            "One row per mention with a date, a platform and the text; author, reach and sentiment when "
            "the export has them. A mention without a sentiment is scored from its text, offline."
        )
        upload = upload_form(
            label="Mentions CSV",
            key=f"listening:{engagement_id}",
            columns=COLUMNS,
            placeholder="text=Post body, date=Created",
            button="Import mentions",
            mapping_label="Other mention headers (optional)",
        )
        if upload is None:
            return
        try:
            result = api.import_mentions(engagement_id, upload.text, upload.filename, upload.mapping)
        except ApiError as exc:
            show_api_error(exc, what="import the mentions")
            return
        summary = (
            f"Imported {result.rows_imported} mention(s) from {upload.filename}; {len(result.skipped)} "
            f"skipped; {result.sentiment_computed} sentiment(s) scored from the text."
        )
        flash_outcome(SCOPE, summary, result.skipped)
