"""The execution plan edited post by post: a month grid of the calendar, then each post with its
caption, hashtags, character count against its platform's limit, and save / approve / reject.

Each action stores a new version of the execution artifact with that one post changed (the
version read is named, so a concurrent change is refused, never overwritten). A rejected post is
left out of what the client receives; editing a post's copy puts it back to draft.
"""

from __future__ import annotations

import calendar
import html
from collections import Counter
from datetime import date
from typing import Any

import streamlit as st

from aicmo.domain.quality import PLATFORM_LIMITS, render_caption
from aicmo.domain.schemas.execution import Execution, Post, PostStatus
from aicmo.domain.schemas.resources import ArtifactPublic
from aicmo.domain.text_length import measure
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components.common import show_api_error

PAGE = 8
SHORT = {
    "linkedin": "in",
    "instagram": "IG",
    "facebook": "FB",
    "x": "X",
    "tiktok": "TT",
    "youtube": "YT",
    "email": "@",
    "google_business": "G",
    "pinterest": "P",
    "threads": "Th",
}
COLOURS = {"draft": "#5f6b7a", "approved": "#137a4b", "rejected": "#b42318"}


def posts_view(api: ApiClient, module: str, artifact: ArtifactPublic) -> None:
    execution = Execution.model_validate(artifact.content)
    counts = Counter(p.status.value for p in execution.posts)
    st.markdown(
        f"**{len(execution.posts)} posts** · :green[{counts['approved']} approved] · "
        f":red[{counts['rejected']} rejected] · {counts['draft']} draft"
        + (" — rejected posts are left out of the client's files" if counts["rejected"] else "")
    )
    month_grid(execution)
    _post_list(api, module, artifact, execution)


# ---- the month grid -------------------------------------------------------------------------------
def month_grid(execution: Execution) -> None:
    """One table per month, Monday first, each day with a chip per post (platform, status)."""
    by_day: dict[date, list[Post]] = {}
    for post in execution.posts:
        by_day.setdefault(post.scheduled_at.date(), []).append(post)
    if not by_day:
        return
    first, last = min(by_day), max(by_day)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(_month_html(year, month, by_day))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    st.html(_GRID_CSS + "".join(months))


def _month_html(year: int, month: int, by_day: dict[date, list[Post]]) -> str:
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    head = "".join(f"<th>{d}</th>" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
    rows = []
    for week in weeks:
        cells = []
        for day in week:
            if day.month != month:
                cells.append('<td class="out"></td>')
                continue
            chips = "".join(
                f'<span class="chip {p.status.value}" title="{html.escape(p.platform.value)} · '
                f'{html.escape(p.format)} · {p.status.value}">{SHORT.get(p.platform.value, "?")}</span>'
                for p in sorted(by_day.get(day, []), key=lambda p: p.scheduled_at)
            )
            cells.append(f'<td><div class="day">{day.day}</div>{chips}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    title = f"{calendar.month_name[month]} {year}"
    return f'<table class="aicmo-month"><caption>{title}</caption><tr>{head}</tr>{"".join(rows)}</table>'


_GRID_CSS = f"""<style>
.aicmo-month {{ border-collapse: collapse; width: 100%; table-layout: fixed; margin: 4px 0 14px;
  font: 12px/1.3 "Source Sans", sans-serif; }}
.aicmo-month caption {{ text-align: left; font-weight: 700; font-size: 14px; padding: 4px 0; }}
.aicmo-month th {{ color: #5f6b7a; font-weight: 600; padding: 4px; border-bottom: 1px solid #e3e7ed; }}
.aicmo-month td {{ border: 1px solid #eef1f6; height: 52px; vertical-align: top; padding: 3px; }}
.aicmo-month td.out {{ background: #fafbfc; }}
.aicmo-month .day {{ color: #5f6b7a; font-size: 11px; }}
.aicmo-month .chip {{ display: inline-block; margin: 1px; padding: 0 5px; border-radius: 8px; color: #fff;
  font-size: 11px; background: {COLOURS["draft"]}; }}
.aicmo-month .chip.approved {{ background: {COLOURS["approved"]}; }}
.aicmo-month .chip.rejected {{ background: {COLOURS["rejected"]}; text-decoration: line-through; }}
</style>"""


# ---- post by post ---------------------------------------------------------------------------------
def _post_list(api: ApiClient, module: str, artifact: ArtifactPublic, execution: Execution) -> None:
    key = f"pe:{artifact.id}"
    platforms = sorted({p.platform.value for p in execution.posts})
    left, mid, right = st.columns([2, 1.2, 1.2])
    chosen = left.multiselect("Platforms", platforms, default=platforms, key=f"{key}:platforms")
    status = mid.selectbox("Status", ["all", *[s.value for s in PostStatus]], key=f"{key}:status")
    posts = sorted(
        (p for p in execution.posts if p.platform.value in chosen and status in ("all", p.status.value)),
        key=lambda p: p.scheduled_at,
    )
    pages = max(1, -(-len(posts) // PAGE))
    page = int(right.number_input(f"Page (of {pages})", 1, pages, 1, key=f"{key}:page"))
    for post in posts[(page - 1) * PAGE : page * PAGE]:
        _post_card(api, module, artifact, execution, post)
    if not posts:
        st.caption("No post matches these filters.")


def _post_card(
    api: ApiClient, module: str, artifact: ArtifactPublic, execution: Execution, post: Post
) -> None:
    key = f"pe:{artifact.id}:v{artifact.version}:{post.id}"
    limit = PLATFORM_LIMITS[post.platform]
    colour = {"approved": "green", "rejected": "red"}.get(post.status.value, "gray")
    with st.container(border=True):
        st.markdown(
            f"**{post.platform.value.replace('_', ' ').title()}** · {post.scheduled_at:%a %d %b %Y, %H:%M} · "
            f"{post.format} · {post.pillar} &nbsp; :{colour}-badge[{post.status.value}]"
        )
        text = st.text_area(f"Text · post {post.id}", value=post.text, key=f"{key}:text", height=140)
        tags = st.text_input(
            f"Hashtags · post {post.id}", value=" ".join(post.hashtags), key=f"{key}:tags"
        ).split()
        size = measure(render_caption(text, tags), post.platform, limit)  # X weighs links and emoji
        over = not size.fits
        st.markdown(
            f"{':red' if over else ':gray'}[{size.length:,} / {size.limit:,} {size.unit} with hashtags"
            + (f" — {size.length - size.limit:,} over the {post.platform.value} limit" if over else "")
            + "]"
        )
        row = st.container(horizontal=True, gap="small")
        edited = text != post.text or tags != post.hashtags
        if row.button("Save post", key=f"{key}:save", disabled=not edited, icon=":material/save:"):
            _store(
                api,
                module,
                artifact,
                execution,
                post,
                {"text": text, "hashtags": tags, "status": PostStatus.DRAFT},
            )
        if row.button(
            "Approve post",
            key=f"{key}:approve",
            disabled=over or post.status is PostStatus.APPROVED,
            help="Over the platform's limit: shorten it first" if over else None,
            icon=":material/check:",
        ):
            _store(
                api,
                module,
                artifact,
                execution,
                post,
                {"text": text, "hashtags": tags, "status": PostStatus.APPROVED},
            )
        if row.button(
            "Reject post",
            key=f"{key}:reject",
            disabled=post.status is PostStatus.REJECTED,
            icon=":material/close:",
        ):
            _store(api, module, artifact, execution, post, {"status": PostStatus.REJECTED})


def _store(
    api: ApiClient,
    module: str,
    artifact: ArtifactPublic,
    execution: Execution,
    post: Post,
    changes: dict[str, Any],
) -> None:
    posts = [
        p.model_copy(update=changes).model_dump(mode="json") if p.id == post.id else p.model_dump(mode="json")
        for p in execution.posts
    ]
    try:
        saved = api.amend(artifact.id, artifact.version, content={**artifact.content, "posts": posts})
    except ApiError as exc:
        if exc.status_code == 409:
            st.error("Someone changed this plan since the page loaded: reload, then edit the post again.")
        else:
            show_api_error(exc, what="save the post")
        return
    what = {PostStatus.APPROVED: "approved", PostStatus.REJECTED: "rejected"}.get(changes["status"], "saved")
    state.flash(module, "success", f"Post {post.id} {what}: version {saved.version}.")
    st.rerun()
