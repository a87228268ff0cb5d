"""The operator views of one engagement (SPEC §7): the PM view (tasks, timeline, capacity), the
analytics dashboard (headline metrics, trends, goal progress) and the unified view across modules.
Every figure comes from the API; missing data shows as "no data"."""

from __future__ import annotations

import altair as alt
import streamlit as st

from aicmo.domain.schemas.projects import Dashboard, EngagementOverview, PmView
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import show_api_error, status_badge
from aicmo.entrypoints.console.components.goals import goal_table
from aicmo.entrypoints.console.components.performance import LABELS, shown, trend_chart

STATUS_COLOURS = {
    "done": "#2E7D32",
    "awaiting approval": "#F9A825",
    "in progress": "#0B4F6C",
    "to do": "#90A4AE",
    "blocked": "#C62828",
    "failed": "#B71C1C",
    "skipped": "#E0E0E0",
}


# ---- PM view --------------------------------------------------------------------------------------
def pm_section(api: ApiClient, engagement_id: str) -> None:
    try:
        view = api.pm_view(engagement_id)
    except ApiError as exc:
        show_api_error(exc, what="load the PM view")
        return
    for note in view.notes:
        st.caption(note)
    cols = st.columns(4)
    cols[0].metric("Tasks", len(view.tasks))
    cols[1].metric("Done", view.counts.get("done", 0))
    cols[2].metric("Awaiting approval", view.counts.get("awaiting approval", 0))
    cols[3].metric("Overdue", view.counts.get("overdue", 0))
    _timeline(view)
    st.markdown("##### Tasks")
    st.dataframe(
        [
            {
                "task": t.title,
                "owner": t.owner,
                "due": t.due.isoformat() if t.due else "no start date",
                "status": t.status + (" · overdue" if t.overdue else ""),
                "from": "plan" if t.source == "plan" else "campaign checklist",
                "note": t.detail,
            }
            for t in view.tasks
        ],
        hide_index=True,
        width="stretch",
    )
    _capacity(view)


def _timeline(view: PmView) -> None:
    if not view.phases:
        return
    phases = [
        {"row": "Phases", "name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat()}
        for p in view.phases
    ]
    dated = [t for t in view.tasks if t.due]
    tasks = [
        {"row": t.owner, "task": t.title, "due": t.due.isoformat(), "status": t.status}
        for t in dated
        if t.due
    ]
    bars = (
        alt.Chart(alt.Data(values=phases))
        .mark_bar(cornerRadius=3, opacity=0.85)
        .encode(
            x=alt.X("start:T", title=None),
            x2="end:T",
            y=alt.Y("row:N", title=None),
            color=alt.Color("name:N", title="Phase", scale=alt.Scale(scheme="tableau10")),
            tooltip=["name:N", "start:T", "end:T"],
        )
    )
    points = (
        alt.Chart(alt.Data(values=tasks))
        .mark_point(filled=True, size=70, shape="diamond")
        .encode(
            x=alt.X("due:T", title=None),
            y=alt.Y("row:N", title=None),
            fill=alt.Fill(
                "status:N",
                title="Task",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            ),
            tooltip=["task:N", "due:T", "status:N"],
        )
    )
    today = (
        alt.Chart(alt.Data(values=[{"today": view.today.isoformat()}]))
        .mark_rule(color="#C62828")
        .encode(x="today:T")
    )
    st.altair_chart(
        alt.layer(bars, points, today)
        .resolve_scale(color="independent")
        .properties(
            height=max(260, 60 + 26 * len({r["row"] for r in phases + tasks})),
            title="Timeline: phases and task due dates",
        ),
        use_container_width=True,
    )


def _capacity(view: PmView) -> None:
    st.markdown("##### Team capacity")
    st.caption(view.capacity_rule)
    if not view.capacity:
        st.caption("No open task with a due date.")
        return
    records = [
        {"owner": x.owner, "week": x.week.isoformat(), "open tasks": x.open_tasks, "over": x.over}
        for x in view.capacity
    ]
    bars = (
        alt.Chart(alt.Data(values=records))
        .mark_bar()
        .encode(
            x=alt.X("week:O", title="Week (Monday)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("open tasks:Q", title="Open tasks"),
            color=alt.Color("owner:N", title="Role"),
            xOffset="owner:N",
            tooltip=["owner:N", "week:O", "open tasks:Q", "over:N"],
        )
    )
    limit = (
        alt.Chart(alt.Data(values=[{"capacity": view.capacity[0].capacity}]))
        .mark_rule(strokeDash=[4, 3], color="#C62828")
        .encode(y="capacity:Q")
    )
    st.altair_chart(
        (bars + limit).properties(height=220, title="Open tasks per role and week (dashed: capacity)"),
        use_container_width=True,
    )
    over = [x for x in view.capacity if x.over]
    for x in over:
        st.warning(f"{x.owner}: {x.open_tasks} open tasks in the week of {x.week} (capacity {x.capacity}).")


# ---- analytics dashboard ----------------------------------------------------------------------------
HEADLINE = (
    "reach",
    "impressions",
    "engagement_rate",
    "clicks",
    "ctr",
    "conversions",
    "cost_per_result",
    "roas",
)
HEADLINE_LABELS = LABELS | {"cost_per_result": "CPL / CPA"}


def dashboard_section(api: ApiClient, engagement_id: str) -> None:
    try:
        board = api.dashboard(engagement_id)
    except ApiError as exc:
        show_api_error(exc, what="load the dashboard")
        return
    _headline(board)
    if board.total.rows:
        st.caption(
            f"{board.total.rows} imported rows over {board.data_days} day(s); "
            "per-figure row counts in Monitoring."
        )
    else:
        st.caption("No performance data imported yet: the figures say no data until there is.")
    trend_chart(board.weekly)
    _mentions_trend(board)
    st.markdown("##### Goal progress")
    goal_table(board.goals)
    if not board.goals:
        st.caption("The brief states no KPI targets yet.")


def _headline(board: Dashboard) -> None:
    first, second = st.columns(5), st.columns(5)
    for col, name in zip([*first, *second], HEADLINE, strict=False):
        col.metric(HEADLINE_LABELS[name], shown(name, getattr(board.total, name).value))
    sentiment = board.total.sentiment.value
    if sentiment is None:
        sentiment = board.listening.mean
    second[3].metric("Sentiment (-1…1)", f"{sentiment:+.2f}" if sentiment is not None else "no data")
    second[4].metric("Mentions · leads", f"{board.listening.mentions:,} · {board.leads:,}")


def _mentions_trend(board: Dashboard) -> None:
    records = [
        {"week": w.week.isoformat(), "mentions": w.summary.mentions, "mean": w.summary.mean}
        for w in board.listening_weekly
    ]
    if len(records) < 2:
        return
    base = alt.Chart(alt.Data(values=records)).encode(x=alt.X("week:T", title="Week"))
    chart = alt.layer(
        base.mark_bar(opacity=0.35, color="#0B4F6C").encode(y=alt.Y("mentions:Q", title="Mentions")),
        base.mark_line(point=True, color="#C62828").encode(
            y=alt.Y("mean:Q", title="Mean sentiment", scale=alt.Scale(domain=[-1, 1]))
        ),
    ).resolve_scale(y="independent")
    st.altair_chart(
        chart.properties(height=160, title="Mentions and sentiment by week"), use_container_width=True
    )


# ---- one engagement across modules ----------------------------------------------------------------
def overview_section(api: ApiClient, engagement_id: str) -> None:
    try:
        view = api.overview(engagement_id)
    except ApiError as exc:
        show_api_error(exc, what="load the engagement")
        return
    window = f"{view.start_date} to {view.end_date}" if view.start_date else "no start date"
    st.markdown(f"**{view.client_name} · {view.engagement_name}** — {window} — stage: **{view.stage}**")
    _overview_metrics(view)
    st.markdown("##### Modules")
    st.markdown(
        "  \n".join(
            f"{status_badge(m.status) if m.status != 'not started' else '⚪ not started'} **{m.title}**"
            + (f" · v{m.version}" if m.version else "")
            + (f" · {m.updated_at:%Y-%m-%d %H:%M}" if m.updated_at else "")
            for m in view.modules
        )
    )
    if view.campaigns:
        st.markdown("##### Campaigns")
        st.dataframe(
            [
                {
                    "campaign": c.name,
                    "window": f"{c.start_date} to {c.end_date}",
                    "mode": c.mode,
                    "items": c.items,
                    **{
                        status: c.counts.get(status, 0)
                        for status in ("pending", "approved", "published", "rejected")
                    },
                    "completed": "yes" if c.completed else "no",
                }
                for c in view.campaigns
            ],
            hide_index=True,
            width="stretch",
        )


def _overview_metrics(view: EngagementOverview) -> None:
    cols = st.columns(6)
    plan = f"{view.plan.completed}/{view.plan.total} jobs" if view.plan else "no plan"
    cols[0].metric("Plan", plan)
    cols[1].metric(
        "Open tasks", sum(n for s, n in view.tasks.items() if s not in {"done", "skipped", "overdue"})
    )
    cols[2].metric("Overdue", view.tasks.get("overdue", 0))
    cols[3].metric("Leads", view.leads)
    cols[4].metric("Impressions", shown("impressions", view.kpis.impressions.value))
    mean = view.listening.mean
    cols[5].metric("Mentions", f"{view.listening.mentions} ({mean:+.2f})" if mean is not None else "no data")
    if view.goals_by_status:
        st.caption("Goals: " + ", ".join(f"{n} {s}" for s, n in sorted(view.goals_by_status.items())))
