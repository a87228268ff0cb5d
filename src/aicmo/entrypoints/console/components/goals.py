"""Goal progress against the brief's targets (SPEC §7): each target as parsed, what is ambiguous about
it, the measured value and the rows behind it, and a progress chart."""

from __future__ import annotations

import altair as alt
import streamlit as st

from aicmo.domain.schemas.metrics import GoalLine
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import show_api_error
from aicmo.entrypoints.console.components.performance import shown

STATUS_COLOURS = {
    "ahead": "#2E7D32",
    "on track": "#0B4F6C",
    "behind": "#C62828",
    "no data": "#9E9E9E",
    "not measurable": "#BDBDBD",
    "unclear": "#F9A825",
}


def goal_progress(api: ApiClient, engagement_id: str) -> None:
    st.markdown("#### Goal progress")
    try:
        report = api.goals(engagement_id)
    except ApiError as exc:
        show_api_error(exc, what="load the goal progress")
        return
    goal_table(report.goals, report.targets_text)
    if report.goals and not report.data_days:
        st.caption("No performance data yet: progress appears once rows are imported.")


def _value(goal: GoalLine, value: float | None) -> str:
    return shown(goal.kpi or "", value) if goal.kpi else "—"


def goal_table(goals: list[GoalLine], targets_text: str | None = None) -> None:
    if targets_text is not None:
        st.caption(
            f"Targets in the brief: “{targets_text}”" if targets_text else "The brief states no KPI targets."
        )
    if not goals:
        return
    st.dataframe(
        [
            {
                "target (brief)": g.raw,
                "read as": f"{g.parsed.label}: {g.parsed.reading}",
                "measured by": (g.kpi or "not in platform rows").replace("_", " "),
                "actual": f"{_value(g, g.actual)} ({g.rows} rows)" if g.actual is not None else "no data",
                "expected so far": _value(g, g.expected) if g.expected is not None else "—",
                "progress": f"{g.progress_pct:.0f}%" if g.progress_pct is not None else "—",
                "status": g.status,
                "ambiguous": "; ".join(g.ambiguous) or "clear",
                "note": g.note,
            }
            for g in goals
        ],
        hide_index=True,
        width="stretch",
    )
    _chart(goals)


def _chart(goals: list[GoalLine]) -> None:
    records = [
        {
            "target": g.raw[:48],
            "progress": min(g.progress_pct, 300),
            "status": g.status,
            "shown": f"{g.progress_pct:.0f}%",
        }
        for g in goals
        if g.progress_pct is not None
    ]
    if not records:
        return
    base = alt.Chart(alt.Data(values=records)).encode(y=alt.Y("target:N", title=None, sort=None))
    bars = base.mark_bar(size=18).encode(
        x=alt.X(
            "progress:Q", title="% of target so far (pro-rated; capped at 300)", scale=alt.Scale(domainMin=0)
        ),
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            legend=None,
        ),
    )
    labels = base.mark_text(align="left", dx=4).encode(x="progress:Q", text="shown:N")
    rule = alt.Chart(alt.Data(values=[{"x": 100}])).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    st.altair_chart(
        (bars + labels + rule).properties(
            height=40 + 30 * len(records), title="Goal progress (dashed: 100 %)"
        ),
        use_container_width=True,
    )
