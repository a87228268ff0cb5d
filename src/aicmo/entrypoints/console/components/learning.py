"""What the measured posts teach (SPEC §7 Kaizen): each option's engagement rate with its 95 % interval
and the posts behind it, and the comparisons the next calendar acts on."""

from __future__ import annotations

import streamlit as st

from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import show_api_error


def learning_report(api: ApiClient, engagement_id: str) -> None:
    st.markdown("#### What the measured posts teach")
    try:
        report = api.learning_report(engagement_id)
    except ApiError as exc:
        show_api_error(exc, what="load the insights")
        return
    st.caption(report.note)
    if not report.measured_posts:
        return
    for comparison in report.comparisons:
        icon = ":material/check_circle:" if comparison.confident else ":material/help:"
        st.markdown(f"{icon} {comparison.sentence}")
    st.dataframe(
        [
            {
                "dimension": e.dimension,
                "option": e.option,
                "posts": e.posts,
                "impressions": e.impressions,
                "engagements": e.engagements,
                "rate": "no data" if e.rate is None else f"{e.rate:.2%}",
                "estimate (95 % interval)": f"{e.estimate:.2%} ({e.low:.2%}-{e.high:.2%})",
                "confidence": e.confidence,
            }
            for e in report.estimates
        ],
        hide_index=True,
        width="stretch",
    )
