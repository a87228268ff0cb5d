"""Strategy slides: ICP, positioning, messaging, pillars, platforms, media plan, measurement, KPIs."""

from __future__ import annotations

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

from aicmo.adapters.exporters.pptx_deck import CONTENT, Deck
from aicmo.adapters.exporters.pptx_kit import Box, fit_items, fit_text, notes, rect, table, text
from aicmo.adapters.exporters.text import platform_label
from aicmo.adapters.exporters.theme import RULE


def icp(d: Deck) -> None:
    icp = d.view.strategy.icp
    s = d.slide("Ideal customer profile", "Strategy")
    top, bottom = CONTENT.split_top(1.0, 0.2)
    text(s, top, fit_text(icp.summary, top, 16), size=16)
    groups = [
        ("Segments", icp.segments),
        ("Pains", icp.pains),
        ("Desired outcomes", icp.desired_outcomes),
        ("Buying triggers", icp.buying_triggers),
    ]
    for box, (title, items) in zip(bottom.columns(4, 0.25), groups, strict=True):
        d.card(s, box, title, items, size=12)
    notes(
        s,
        [
            icp.summary,
            *(f"{t}: " + "; ".join(i) for t, i in groups),
            "Objections to answer: " + "; ".join(icp.objections) if icp.objections else "",
        ],
    )


def positioning(d: Deck) -> None:
    st = d.view.strategy
    s = d.slide("Positioning", "Strategy")
    quote = Box(CONTENT.left, CONTENT.top + 0.2, CONTENT.width, 3.0)
    rect(s, quote, d.t.tint, rounded=True)
    rect(s, Box(quote.left, quote.top, 0.12, quote.height), d.t.secondary)
    inner = quote.inset(0.5, 0.3)
    text(
        s,
        inner,
        fit_text(st.positioning_statement, inner, 22),
        size=22,
        colour=d.t.heading,
        anchor=MSO_ANCHOR.MIDDLE,
    )
    promise = Box(CONTENT.left, quote.bottom + 0.45, CONTENT.width, 1.3)
    text(
        s,
        Box(promise.left, promise.top, promise.width, 0.35),
        "Our promise",
        size=11,
        colour=d.t.accent,
        bold=True,
        caps=True,
    )
    body = Box(promise.left, promise.top + 0.38, promise.width, 0.9)
    text(s, body, fit_text(st.messaging.promise, body, 20), size=20, bold=True)
    notes(s, [st.positioning_statement, f"Promise: {st.messaging.promise}"])


def messaging(d: Deck) -> None:
    m = d.view.strategy.messaging
    s = d.slide("Messaging framework", "Strategy")
    left, right = CONTENT.columns(2, 0.5)
    left = Box(left.left, left.top, left.width + 1.2, left.height)
    right = Box(right.left + 1.2, right.top, right.width - 1.2, right.height)
    text(
        s,
        Box(left.left, left.top, left.width, 0.35),
        "Key messages",
        size=11,
        colour=d.t.accent,
        bold=True,
        caps=True,
    )
    body = Box(left.left, left.top + 0.45, left.width, left.height - 0.45)
    shown = fit_items(m.key_messages, body, 15, prefix="00  ", spacing=0.6)
    text(s, body, [f"{i:02d}  {msg}" for i, msg in enumerate(shown, start=1)], size=15, spacing=10)
    d.card(s, right, "Proof points", m.proof_points, size=13)
    notes(s, [f"Promise: {m.promise}", "Key messages:", *m.key_messages, "Proof points:", *m.proof_points])


def pillars(d: Deck) -> None:
    pillars = d.view.strategy.pillars
    s = d.slide("Content pillars", "Strategy")
    colours = d.t.series(len(pillars))
    for box, pillar, colour in zip(CONTENT.columns(len(pillars), 0.25), pillars, colours, strict=True):
        rect(s, box, d.t.tint, rounded=True)
        rect(s, Box(box.left, box.top, box.width, 0.1), colour)
        inner = box.inset(0.18, 0.25)
        name_box, rest = inner.split_top(0.8, 0.05)
        text(s, name_box, fit_text(pillar.name, name_box, 16), size=16, bold=True, colour=d.t.heading)
        desc_box, rest = rest.split_top(1.5, 0.1)
        text(s, desc_box, fit_text(pillar.description, desc_box, 12), size=12)
        label, topics = rest.split_top(0.3, 0.05)
        text(s, label, "Example topics", size=10, colour=d.t.accent, bold=True, caps=True)
        text(s, topics, [f"• {t}" for t in fit_items(pillar.example_topics, topics, 11)], size=11, spacing=3)
    notes(
        s,
        [
            f"{p.name}: {p.description} Topics: {'; '.join(p.example_topics)}. "
            f"Formats: {', '.join(p.formats)}."
            for p in pillars
        ],
    )


def platforms(d: Deck) -> None:
    plans = d.view.strategy.platforms
    s = d.slide("Platform strategy", "Strategy")
    rows = [
        (platform_label(p.platform), p.role, str(p.posts_per_week), ", ".join(p.formats)) for p in plans[:7]
    ]
    table(
        s,
        CONTENT,
        ("Platform", "Role", "Posts / week", "Formats"),
        rows,
        (2.2, 5.6, 1.5, 2.8),
        header_fill=d.t.band,
        header_colour=d.t.on_band,
        size=13,
    )
    notes(
        s,
        [
            f"{platform_label(p.platform)}: {p.role}; {p.posts_per_week} posts a week; "
            f"{', '.join(p.formats)}."
            for p in plans
        ],
    )


def media(d: Deck) -> None:
    mp = d.view.strategy.media_plan
    s = d.slide("Media plan", "Strategy")
    note, body = CONTENT.split_top(0.6, 0.2)
    text(s, note, fit_text(mp.budget_note, note, 15), size=15)
    left, right = body.columns(2, 0.5)
    left = Box(left.left, left.top, left.width - 1.0, left.height)
    right = Box(right.left - 1.0, right.top, right.width + 1.0, right.height)
    text(
        s,
        Box(left.left, left.top, left.width, 0.35),
        "Budget by platform",
        size=11,
        colour=d.t.accent,
        bold=True,
        caps=True,
    )
    split = list(mp.split_by_platform_pct.items())[:7]
    track = left.width - 2.6
    for i, (platform, pct) in enumerate(split):
        y = left.top + 0.55 + i * 0.55
        text(s, Box(left.left, y, 1.9, 0.4), platform_label(platform), size=13)
        rect(s, Box(left.left + 1.95, y + 0.12, track, 0.2), RULE)
        if pct:
            rect(s, Box(left.left + 1.95, y + 0.12, track * min(pct, 100) / 100, 0.2), d.t.secondary)
        text(s, Box(left.right - 0.6, y, 0.6, 0.4), f"{pct}%", size=13, bold=True, align=PP_ALIGN.RIGHT)
    rows = [(p.phase, p.weeks, p.focus, f"{p.budget_share_pct}%") for p in mp.phases[:5]]
    table(
        s,
        right,
        ("Phase", "Weeks", "Focus", "Budget"),
        rows,
        (1.3, 1.2, 3.6, 1.0),
        header_fill=d.t.band,
        header_colour=d.t.on_band,
        size=12,
        max_lines=3,
    )
    notes(
        s,
        [
            mp.budget_note,
            *(f"{platform_label(k)}: {v}%" for k, v in mp.split_by_platform_pct.items()),
            *(f"{p.phase} ({p.weeks}, {p.budget_share_pct}%): {p.focus}" for p in mp.phases),
        ],
    )


def measurement(d: Deck) -> None:
    m = d.view.strategy.measurement
    s = d.slide("Measurement plan", "Strategy")
    left, right = CONTENT.columns(2, 0.4)
    callout = Box(left.left, left.top, left.width, 1.5)
    rect(s, callout, d.t.tint, rounded=True)
    text(
        s,
        Box(callout.left + 0.25, callout.top + 0.2, callout.width - 0.5, 0.35),
        "Primary KPI",
        size=11,
        colour=d.t.accent,
        bold=True,
        caps=True,
    )
    kpi_box = Box(callout.left + 0.25, callout.top + 0.55, callout.width - 0.5, 0.85)
    text(s, kpi_box, fit_text(m.primary_kpi, kpi_box, 24), size=24, bold=True, colour=d.t.heading)
    reporting = Box(left.left, callout.bottom + 0.3, left.width, 1.9)
    d.card(s, reporting, "Reporting", [m.reporting], size=14)
    d.card(s, right, "Tracking to put in place", m.tracking_requirements, size=13)
    notes(
        s,
        [f"Primary KPI: {m.primary_kpi}", "Tracking:", *m.tracking_requirements, f"Reporting: {m.reporting}"],
    )


def kpis(d: Deck) -> None:
    m = d.view.strategy.measurement
    s = d.slide("KPIs and targets", "Measurement")
    rows = [(k.name, k.target, k.source, k.cadence.capitalize()) for k in m.kpis[:8]]
    table(
        s,
        CONTENT,
        ("KPI", "Target", "Source", "Cadence"),
        rows,
        (4.6, 3.8, 1.8, 1.8),
        header_fill=d.t.band,
        header_colour=d.t.on_band,
        size=13,
        max_lines=1,
    )
    notes(
        s,
        [
            f"Primary KPI: {m.primary_kpi}.",
            *(f"{k.name}: {k.target} ({k.source}, {k.cadence})" for k in m.kpis),
        ],
    )
