"""The generation plan (SPEC §5): the job checklist, the DAG, job states and live progress."""

from __future__ import annotations

from collections import Counter, defaultdict

import streamlit as st

from aicmo.domain.modules import Module
from aicmo.domain.plan import chart_edges, chart_node
from aicmo.domain.schemas.plans import JobPublic, PlanPublic
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import MODULE_TITLES, badge, show_api_error

MODULE_ORDER = [m.value for m in Module]
JOB_COLOURS = {
    "pending": "gray",
    "ready": "blue",
    "running": "violet",
    "completed": "green",
    "failed": "red",
    "blocked": "orange",
    "skipped": "gray",
}
JOB_FILL = {
    "pending": "#eeeeee",
    "ready": "#dbeafe",
    "running": "#ede9fe",
    "completed": "#dcfce7",
    "failed": "#fee2e2",
    "blocked": "#ffedd5",
    "skipped": "#f5f5f5",
}


def by_module(plan: PlanPublic) -> dict[str, list[JobPublic]]:
    grouped: dict[str, list[JobPublic]] = defaultdict(list)
    for job in plan.jobs:
        grouped[job.module.value].append(job)
    return {m: grouped[m] for m in MODULE_ORDER if m in grouped} | {
        m: jobs for m, jobs in grouped.items() if m not in MODULE_ORDER
    }


def job_label(job: JobPublic) -> str:
    """The job's title, with its platform when the title does not already say it."""
    if job.platform and job.platform.lower() not in job.title.lower():
        return f"{job.title} ({job.platform})"
    return job.title


def checklist(api: ApiClient, plan: PlanPublic, *, key: str) -> None:
    """Tick jobs on or off (PATCH per job)."""
    groups = by_module(plan)
    cols = st.columns(min(3, max(1, len(groups))))
    for index, (module, jobs) in enumerate(groups.items()):
        with cols[index % len(cols)], st.container(border=True):
            st.markdown(f"**{MODULE_TITLES.get(module, module)}**")
            for job in jobs:
                label = job_label(job)
                st.checkbox(
                    label,
                    value=job.enabled,
                    key=f"{key}:{job.id}:{job.enabled}",
                    on_change=_toggle,
                    args=(api, plan.id, job.id, not job.enabled),
                    help=f"status: {job.status.value}",
                )
    err = st.session_state.pop(f"_toggle_error:{plan.id}", None)
    if err is not None:
        show_api_error(err, what="toggle job")


def _toggle(api: ApiClient, plan_id: str, job_id: str, enabled: bool) -> None:
    try:
        api.toggle_job(plan_id, job_id, enabled)
    except ApiError as exc:
        st.session_state[f"_toggle_error:{plan_id}"] = exc


def progress(plan: PlanPublic) -> None:
    p = plan.progress
    enabled = [j for j in plan.jobs if j.enabled]
    total = p.total or len(enabled) or 1
    st.progress(min(1.0, p.completed / total), text=f"{p.completed} of {total} jobs completed")
    counts = " ".join(
        badge(f"{name} {count}", JOB_COLOURS.get(name, "gray"))
        for name, count in sorted(p.counts.items())
        if count
    )
    if counts:
        st.markdown(counts)


def jobs_table(plan: PlanPublic) -> None:
    """One compact table per module: job, status badge, attempts, timings, what it waits on."""
    for module, jobs in by_module(plan).items():
        lines = [
            f"**{MODULE_TITLES.get(module, module)}**",
            "",
            "| job | status | attempts | started | finished | waiting on / error |",
            "|---|---|---|---|---|---|",
        ]
        for job in jobs:
            status = job.status.value if job.enabled else "skipped"
            title = job_label(job)
            note = (job.error or job.blocked_reason or "").replace("|", "/").replace("\n", " ")[:160]
            lines.append(
                f"| {_cell(title)} | {badge(status, JOB_COLOURS.get(status, 'gray'))} | "
                f"{job.attempts}/{job.max_attempts} | {_time(job.started_at)} | {_time(job.finished_at)} | "
                f"{_cell(note)} |"
            )
        st.markdown("\n".join(lines))


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("[", "(").replace("]", ")")


def _time(value) -> str:
    return value.strftime("%H:%M:%S") if value else "—"


# A group's colour: the state that most needs the operator's eye among its jobs.
_GROUP_PRIORITY = ("failed", "running", "blocked", "ready", "pending", "completed", "skipped")


def dag(plan: PlanPublic) -> str:
    """Graphviz DOT of the job DAG, one cluster per module, coloured by status; a platform's
    posts batches are one node with their count and states."""
    lines = [
        "digraph plan {",
        "  rankdir=TB; nodesep=0.3; ranksep=0.35; newrank=true;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, color="#9ca3af"];',
        '  edge [color="#9ca3af", arrowsize=0.6];',
    ]
    for module, jobs in by_module(plan).items():
        lines.append(
            f'  subgraph "cluster_{module}" {{ label="{MODULE_TITLES.get(module, module)}"; '
            'fontname="Helvetica"; fontsize=11; color="#d1d5db";'
        )
        groups: dict[str, list[JobPublic]] = {}
        for job in jobs:
            groups.setdefault(chart_node(job), []).append(job)
        for node, group in groups.items():
            label, status = _node_label(group)
            lines.append(f'    "{node}" [label="{label}", fillcolor="{JOB_FILL.get(status, "#fff")}"];')
        lines.append("  }")
    ids = {job.id: job.key for job in plan.jobs}
    depends_on = {job.key: [ids.get(d, d) for d in job.depends_on] for job in plan.jobs}
    for upstream, downstream in chart_edges(plan.jobs, depends_on):
        lines.append(f'  "{upstream}" -> "{downstream}";')
    lines.append("}")
    return "\n".join(lines)


def _node_label(group: list[JobPublic]) -> tuple[str, str]:
    """A node's label and the status it is coloured by."""
    statuses = [job.status.value if job.enabled else "skipped" for job in group]
    if len(group) == 1:
        title = job_label(group[0]).replace('"', "'")
        return f"{title}\\n[{statuses[0]}]", statuses[0]
    counts = Counter(statuses)
    shown = ", ".join(f"{counts[s]} {s}" for s in _GROUP_PRIORITY if counts[s])
    status = next(s for s in _GROUP_PRIORITY if counts[s])
    return f"Posts for {group[0].platform} ({len(group)} batches)\\n[{shown}]", status
