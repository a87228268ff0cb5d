"""Structured previews of each module's content, read through the domain schemas.

Each function takes the artifact's `content` dict and validates it with the module's schema; if the
content does not fit, the caller falls back to plain JSON.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import streamlit as st

from aicmo.domain.schemas.autonomy import AutonomyPlan
from aicmo.domain.schemas.compliance import ComplianceReview
from aicmo.domain.schemas.creatives import Creatives
from aicmo.domain.schemas.delivery import DeliverySummary
from aicmo.domain.schemas.execution import Execution, Post
from aicmo.domain.schemas.leadgen import LeadGen
from aicmo.domain.schemas.learn import Learn
from aicmo.domain.schemas.monitoring import Monitoring
from aicmo.domain.schemas.strategy import Strategy

SHOWN_POSTS = 8


def _table(rows: list[dict[str, Any]], **kwargs: Any) -> None:
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch", **kwargs)
    else:
        st.caption("None.")


def _bullets(items: list[str]) -> None:
    st.markdown("\n".join(f"- {item}" for item in items) if items else "_none_")


def strategy(content: dict[str, Any]) -> None:
    s = Strategy.model_validate(content)
    st.markdown(f"**Executive summary.** {s.executive_summary}")
    st.markdown(f"**Positioning.** {s.positioning_statement}")
    left, right = st.columns(2)
    with left:
        st.markdown("##### Ideal customer")
        st.markdown(s.icp.summary)
        st.markdown("**Segments**")
        _bullets(s.icp.segments)
        st.markdown("**Buying triggers**")
        _bullets(s.icp.buying_triggers)
    with right:
        st.markdown("##### Messaging")
        st.markdown(f"_{s.messaging.promise}_")
        _bullets(s.messaging.key_messages)
        st.markdown("**Proof points**")
        _bullets(s.messaging.proof_points)
    st.markdown("##### Content pillars")
    _table(
        [
            {
                "pillar": p.name,
                "description": p.description,
                "topics": "; ".join(p.example_topics),
                "formats": ", ".join(p.formats),
            }
            for p in s.pillars
        ]
    )
    st.markdown("##### Platforms")
    _table(
        [
            {
                "platform": p.platform.value,
                "role": p.role,
                "posts / week": p.posts_per_week,
                "formats": ", ".join(p.formats),
            }
            for p in s.platforms
        ]
    )
    st.markdown("##### Media plan")
    st.caption(s.media_plan.budget_note)
    left, right = st.columns(2)
    with left:
        split = [{"platform": k, "share %": v} for k, v in s.media_plan.split_by_platform_pct.items()]
        if split:
            st.bar_chart(split, x="platform", y="share %", height=220)
    with right:
        _table(
            [
                {"phase": p.phase, "weeks": p.weeks, "focus": p.focus, "budget %": p.budget_share_pct}
                for p in s.media_plan.phases
            ]
        )
    st.markdown("##### Measurement")
    st.markdown(f"Primary KPI: **{s.measurement.primary_kpi}** · reporting: {s.measurement.reporting}")
    _table(
        [
            {"KPI": k.name, "target": k.target, "source": k.source, "cadence": k.cadence}
            for k in s.measurement.kpis
        ]
    )


def creatives(content: dict[str, Any]) -> None:
    c = Creatives.model_validate(content)
    st.markdown("##### Brand kit")
    swatches = " ".join(
        f"<span style='display:inline-block;width:28px;height:28px;border-radius:6px;background:{hex_};"
        f"border:1px solid #ddd;margin-right:6px' title='{hex_}'></span>"
        for hex_ in c.brand_kit.palette
        if hex_.startswith("#")
        and len(hex_) in (4, 7)
        and all(ch in "#0123456789abcdefABCDEF" for ch in hex_)
    )
    if swatches:
        st.markdown(swatches, unsafe_allow_html=True)
    st.markdown(
        f"Palette {', '.join(c.brand_kit.palette)} · type {', '.join(c.brand_kit.typography)}  \n"
        f"{c.brand_kit.visual_style}  \n_{c.brand_kit.voice_summary}_"
    )
    st.markdown("##### Carousel templates")
    for carousel in c.carousels:
        with st.expander(f"{carousel.title} · {carousel.pillar}"):
            for i, slide in enumerate(carousel.slides, 1):
                st.markdown(f"{i}. {slide}")
            st.markdown(f"**CTA:** {carousel.cta}")
    st.markdown("##### Video and reel scripts")
    for script in c.video_scripts:
        with st.expander(f"{script.title} · {script.platform.value} · {script.duration_s}s"):
            st.markdown(f"**Hook:** {script.hook}")
            _bullets(script.beats)
            st.markdown(f"**CTA:** {script.cta}")
    st.markdown("##### Image prompts")
    _bullets([f"**{p.pillar}** ({p.aspect_ratio}): {p.prompt}" for p in c.image_prompts])
    st.markdown("##### Reel covers and thumbnails")
    _table(
        [
            {"kind": "reel cover", "name": r.title, "headline": r.headline, "spec": r.layout}
            for r in c.reel_covers
        ]
        + [
            {
                "kind": f"thumbnail ({t.platform.value})",
                "name": t.name,
                "headline": t.headline,
                "spec": t.size_px,
            }
            for t in c.thumbnails
        ]
    )


def execution(content: dict[str, Any]) -> None:
    e = Execution.model_validate(content)
    per_platform = Counter(p.platform.value for p in e.posts)
    st.markdown(
        f"**{len(e.posts)} posts** from {e.window_start} to {e.window_end} ({e.timezone}) · "
        + ", ".join(f"{k} {v}" for k, v in sorted(per_platform.items()))
    )
    st.markdown("##### Content calendar")
    _table(
        [
            {
                "date": c.date,
                "platform": c.platform.value,
                "pillar": c.pillar,
                "format": c.format,
                "title": c.title,
            }
            for c in e.calendar
        ],
        height=min(420, 40 + 35 * len(e.calendar)),
    )
    st.markdown("##### Posts per platform")
    platforms = sorted(per_platform)
    if platforms:
        for tab, platform in zip(st.tabs(platforms), platforms, strict=True):
            with tab:
                posts = [p for p in e.posts if p.platform.value == platform]
                for post in posts[:SHOWN_POSTS]:
                    _post_card(post)
                if len(posts) > SHOWN_POSTS:
                    with st.expander(f"{len(posts) - SHOWN_POSTS} more {platform} posts"):
                        for post in posts[SHOWN_POSTS:]:
                            _post_card(post)
    if e.email_sequence:
        st.markdown("##### E-mail sequence")
        _table(
            [
                {"day": m.day, "subject": m.subject, "preview": m.preview, "cta": m.cta}
                for m in e.email_sequence
            ]
        )
    if e.hashtag_sets:
        st.markdown("##### Hashtag sets")
        _table(
            [
                {
                    "set": h.name,
                    "platform": h.platform.value if h.platform else "all",
                    "hashtags": " ".join(h.hashtags),
                }
                for h in e.hashtag_sets
            ]
        )


def _post_card(post: Post) -> None:
    with st.container(border=True):
        st.caption(f"{post.scheduled_at:%a %d %b %Y %H:%M} · {post.pillar} · {post.format}")
        st.markdown(post.text)
        if post.hashtags:
            st.caption(" ".join(post.hashtags))


def monitoring(content: dict[str, Any]) -> None:
    m = Monitoring.model_validate(content)
    if m.data_status == "no_data":
        st.info(m.data_note)
    else:
        st.caption(m.data_note)
    st.markdown("##### Tracking checklist")
    _table(
        [
            {"done": t.done, "item": t.item, "platform": t.platform, "owner": t.owner, "why": t.why}
            for t in m.tracking_checklist
        ]
    )
    st.markdown("##### KPI definitions")
    _table(
        [
            {"KPI": k.kpi.name, "target": k.kpi.target, "formula": k.formula, "source": k.data_source}
            for k in m.kpis
        ]
    )
    if m.performance:
        st.markdown("##### Results by platform")
        _table([r.model_dump() for r in m.performance])
    if m.suggestions:
        st.markdown("##### Optimisation suggestions")
        _table(
            [
                {"priority": s.priority, "title": s.title, "evidence": s.evidence, "action": s.action}
                for s in m.suggestions
            ]
        )
    st.caption(f"Review cadence: {m.review_cadence}")


def leadgen(content: dict[str, Any]) -> None:
    lg = LeadGen.model_validate(content)
    st.markdown(f"**ICP.** {lg.icp_summary}")
    st.markdown("##### Lead sources")
    _table([{"source": s.name, "channel": s.channel, "why": s.why, "how": s.how} for s in lg.sources])
    st.markdown("##### Scoring")
    st.caption(
        f"Qualified at {lg.scoring.qualified_at} points; nurture below {lg.scoring.nurture_below}. "
        + lg.scoring.explanation
    )
    _table(
        [
            {"kind": c.kind, "criterion": c.name, "signal": c.signal, "points": c.points}
            for c in lg.scoring.criteria
        ]
    )
    st.markdown("##### Outreach sequence")
    _table(
        [
            {"step": o.step, "day": o.day, "channel": o.channel, "subject": o.subject, "message": o.message}
            for o in lg.outreach
        ]
    )
    st.markdown("##### Guardrails")
    _bullets(lg.guardrails)


def learn(content: dict[str, Any]) -> None:
    lr = Learn.model_validate(content)
    (st.info if lr.status == "no_outcomes" else st.caption)(lr.status_note)
    if lr.insights:
        st.markdown("##### Insights")
        _table(
            [
                {
                    "insight": i.title,
                    "evidence": i.evidence,
                    "do next": i.recommendation,
                    "confidence": i.confidence,
                }
                for i in lr.insights
            ]
        )
    if lr.agenda:
        st.markdown("##### Learning agenda")
        _table(
            [
                {
                    "hypothesis": h.statement,
                    "metric": h.metric,
                    "test": h.test,
                    "success when": h.success_when,
                }
                for h in lr.agenda
            ]
        )
    if lr.next_generation_changes:
        st.markdown("##### What changes in the next generation")
        _bullets(lr.next_generation_changes)


def compliance(content: dict[str, Any]) -> None:
    r = ComplianceReview.model_validate(content)
    (st.error if r.blocking else st.success)(r.verdict)
    st.caption(f"Sectors: {', '.join(r.sectors) or 'none'} · {r.assets_reviewed} assets reviewed")
    _table(
        [
            {
                "check": c.check,
                "assets": c.assets,
                "result": "pass" if c.passed else "FAIL",
                "detail": c.detail,
            }
            for c in r.checks
        ]
    )
    if r.findings:
        st.markdown("##### Findings")
        _table(
            [
                {
                    "severity": f.severity,
                    "asset": f.asset,
                    "rule": f.rule,
                    "as written": f.excerpt,
                    "do": f.action,
                }
                for f in sorted(r.findings, key=lambda f: f.severity != "blocking")
            ]
        )
    if r.reviewer_notes:
        st.markdown("##### What the compliance officer checks")
        _bullets(r.reviewer_notes)


def delivery(content: dict[str, Any]) -> None:
    d = DeliverySummary.model_validate(content)
    st.markdown(f"#### {d.title}")
    st.markdown(d.executive_summary)
    _bullets(d.highlights)
    st.markdown("##### Included")
    _table(
        [{"module": i.module, "title": i.title, "items": i.items, "summary": i.summary} for i in d.included]
    )
    st.markdown("##### Next steps")
    _table([{"step": n.step, "owner": n.owner, "when": n.when} for n in d.next_steps])


def autonomy(content: dict[str, Any]) -> None:
    plan = AutonomyPlan.model_validate(content)
    st.markdown(plan.summary)
    _table(
        [
            {"stage": j.stage, "module": j.module, "job": j.title, "after": ", ".join(j.depends_on)}
            for j in sorted(plan.jobs, key=lambda j: (j.stage, j.key))
        ]
    )
