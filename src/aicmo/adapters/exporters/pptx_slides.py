"""Deck slides outside the strategy: title, agenda, summary, creatives, calendar, posts,
performance and next steps."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches

from aicmo.adapters.exporters import pptx_kit as kit
from aicmo.adapters.exporters.charts import chart_png
from aicmo.adapters.exporters.pptx_deck import CONTENT, WEEKS_PER_SLIDE, Deck, H, W
from aicmo.adapters.exporters.pptx_kit import Box, fit_items, fit_text, notes, rect, table, text
from aicmo.adapters.exporters.text import platform_label
from aicmo.adapters.exporters.theme import INK, MUTED, RULE, WHITE


def title(d: Deck) -> None:
    v, s = d.view, d.blank()
    rect(s, Box(0, 0, W, H), d.t.band)
    on = d.t.on_band
    if v.agency.raster_logo:
        s.shapes.add_picture(io.BytesIO(v.agency.raster_logo), Inches(0.9), Inches(0.55), height=Inches(0.7))
    kicker = "Marketing strategy & content plan" + (f" · {v.prepared_by}" if v.prepared_by else "")
    text(s, Box(0.9, 1.6, 11, 0.4), kicker, size=14, colour=on, caps=True)
    name_box = Box(0.9, 2.1, 11.5, 1.9)
    size = kit.largest_size(v.client, name_box, (48, 40, 34, 28))
    text(
        s,
        name_box,
        fit_text(v.client, name_box, size),
        size=size,
        colour=on,
        bold=True,
        anchor=MSO_ANCHOR.BOTTOM,
    )
    text(s, Box(0.9, 4.05, 11.5, 0.9), fit_text(v.engagement, Box(0, 0, 11.5, 0.9), 24), size=24, colour=on)
    details = f"{v.period}  ·  Prepared {v.prepared}" + (f" by {v.prepared_by}" if v.prepared_by else "")
    text(s, Box(0.9, 5.9, 11.5, 0.4), fit_text(details, Box(0, 0, 11.5, 0.4), 14), size=14, colour=on)
    if v.draft_notice:
        text(
            s,
            Box(0.9, 6.35, 11.5, 0.45),
            fit_text(v.draft_notice, Box(0, 0, 11.5, 0.45), 12),
            size=12,
            colour=on,
            italic=True,
        )
    d.stripe(s, Box(0, H - 0.14, W, 0.14))
    notes(
        s,
        [
            f"{v.client}: {v.engagement}.",
            f"Campaign period {v.period}; times in {v.package.timezone}.",
            v.draft_notice,
        ],
    )


def agenda(d: Deck, sections: Sequence[tuple[str, str]]) -> None:
    s = d.slide("Agenda", "Overview")
    half = (len(sections) + 1) // 2
    pitch = min(0.95, CONTENT.height / max(1, half))
    for column, offset in zip(CONTENT.columns(2, 0.6), (0, half), strict=True):
        for index, (title, detail) in enumerate(sections[offset : offset + half]):
            number = offset + index + 1
            row = Box(column.left, column.top + index * pitch, column.width, 0.85)
            text(s, Box(row.left, row.top, 0.7, 0.6), f"{number:02d}", size=22, colour=d.t.accent, bold=True)
            text(s, Box(row.left + 0.75, row.top, row.width - 0.75, 0.42), title, size=17, bold=True)
            text(
                s,
                Box(row.left + 0.75, row.top + 0.4, row.width - 0.75, 0.4),
                fit_text(detail, Box(0, 0, row.width - 0.75, 0.4), 12),
                size=12,
                colour=MUTED,
            )
    notes(s, ["What we will cover:", *(f"{i}. {t} — {dt}" for i, (t, dt) in enumerate(sections, start=1))])


def summary(d: Deck) -> None:
    v = d.view
    s = d.slide("Executive summary", "Summary")
    top, bottom = CONTENT.split_top(2.9, 0.25)
    summary = v.summary_text
    text(s, top, fit_text(summary, top, 17), size=17)
    tiles = v.plan_tiles[:4]
    for box, tile in zip(bottom.columns(max(1, len(tiles)), 0.3), tiles, strict=False):
        rect(s, box, d.t.tint, rounded=True)
        text(
            s,
            Box(box.left + 0.2, box.top + 0.15, box.width - 0.4, 0.8),
            tile.value,
            size=36,
            bold=True,
            colour=d.t.heading,
        )
        text(
            s,
            Box(box.left + 0.2, box.top + 0.95, box.width - 0.4, 0.35),
            tile.label,
            size=11,
            colour=MUTED,
            caps=True,
            bold=True,
        )
        if tile.note:
            note_box = Box(box.left + 0.2, box.top + 1.28, box.width - 0.4, box.height - 1.4)
            text(s, note_box, fit_text(tile.note, note_box, 11), size=11, colour=MUTED)
    notes(s, [summary, *v.highlights, *(f"{k}: {val}" for k, val in v.brief_facts)])


def highlights(d: Deck) -> None:
    highlights = d.view.highlights
    s = d.slide("Highlights", "Summary")
    body = CONTENT.inset(0.1, 0)
    shown = fit_items(highlights, body, 18, spacing=0.5)
    text(s, body, [f"• {h}" for h in shown], size=18, spacing=12)
    notes(s, highlights)


def creatives(d: Deck) -> None:
    c = d.view.creatives
    s = d.slide("Brand kit and creative assets", "Creatives")
    left, right = CONTENT.columns(2, 0.5)
    palette = c.brand_kit.palette[:6]
    for box, colour in zip(
        Box(left.left, left.top, left.width, 1.1).columns(len(palette), 0.12), palette, strict=True
    ):
        rect(s, Box(box.left, box.top, box.width, 0.75), colour, line=RULE)
        text(s, Box(box.left, box.top + 0.78, box.width, 0.3), colour.upper(), size=10, colour=MUTED)
    style = Box(left.left, left.top + 1.35, left.width, left.height - 1.35)
    d.card(
        s,
        style,
        "Style and voice",
        [*c.brand_kit.typography, c.brand_kit.visual_style, c.brand_kit.voice_summary],
        size=12,
    )
    assets = [f"Carousel: {x.title} ({len(x.slides)} slides)" for x in c.carousels]
    assets += [f"Video: {x.title} ({platform_label(x.platform)}, {x.duration_s}s)" for x in c.video_scripts]
    assets += [f"Reel cover: {x.title}" for x in c.reel_covers]
    assets += [
        f"{len(c.image_prompts)} image prompts across {len({p.pillar for p in c.image_prompts})} pillars"
    ]
    d.card(s, right, "Ready-to-produce assets", assets, size=13)
    notes(
        s,
        [
            f"Palette: {', '.join(c.brand_kit.palette)}",
            f"Logo: {c.brand_kit.logo_usage}",
            *(f"{x.title}: hook “{x.hook}”; CTA {x.cta}" for x in c.video_scripts),
            *(f"Image prompt ({p.pillar}, {p.aspect_ratio}): {p.prompt}" for p in c.image_prompts),
        ],
    )


def calendar(d: Deck) -> None:
    v = d.view
    platforms, rows = v.platform_week_matrix(max_columns=6)
    chunks = [rows[i : i + WEEKS_PER_SLIDE] for i in range(0, len(rows), WEEKS_PER_SLIDE)] or [[]]
    for n, chunk in enumerate(chunks, start=1):
        suffix = f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""
        s = d.slide(f"Calendar overview{suffix}", "Execution")
        body = [(week, *cells) for week, cells in chunk]
        widths = (2.2, *([8.0 / max(1, len(platforms))] * len(platforms)))
        table(
            s,
            CONTENT,
            ("Week", *platforms),
            body,
            widths,
            header_fill=d.t.band,
            header_colour=d.t.on_band,
            size=12,
            max_lines=1,
        )
        weeks = v.calendar_weeks[(n - 1) * WEEKS_PER_SLIDE : n * WEEKS_PER_SLIDE]
        notes(
            s,
            [f"{len(v.calendar_rows)} posts in total; times in {v.package.timezone}. Cells: posts · formats."]
            + [
                f"{w.label}: "
                + "; ".join(f"{r.date_text} {r.time_text} {r.platform_label} — {r.title}" for r in w.rows)
                for w in weeks
            ],
        )


def posts(d: Deck) -> None:
    v = d.view
    for group in v.posts_by_platform[:6]:
        s = d.slide(f"Sample posts: {group.label}", "Execution")
        cards = group.cards[:3]
        for box, card in zip(CONTENT.columns(3, 0.3), cards, strict=False):
            rect(s, box, WHITE, rounded=True, line=RULE)
            inner = box.inset(0.2, 0.18)
            meta, rest = inner.split_top(0.32, 0.04)
            text(s, meta, card.when_text + f" · {card.post.format}", size=10, colour=MUTED)
            title, rest = rest.split_top(0.72, 0.05)
            text(
                s,
                title,
                fit_text(card.title or card.post.pillar, title, 14),
                size=14,
                bold=True,
                colour=d.t.heading,
            )
            body, rest = rest.split_top(rest.height - 1.2, 0.05)
            text(s, body, fit_text(card.post.text, body, 11.5), size=11.5)
            tags, cta = rest.split_top(0.55, 0.05)
            text(s, tags, fit_text(card.hashtags, tags, 10), size=10, colour=d.t.accent)
            text(s, cta, fit_text(f"→ {card.post.cta}", cta, 11), size=11, bold=True, colour=d.t.heading)
        notes(
            s,
            [f"{group.total} {group.label} posts planned; {len(cards)} shown."]
            + [f"{c.when_text} — {c.title}: {c.post.text} {c.hashtags} CTA: {c.post.cta}" for c in cards],
        )


def performance(d: Deck) -> None:
    v = d.view
    s = d.slide("Performance to date", "Measurement")
    left, right = CONTENT.columns(2, 0.4)
    left = Box(left.left, left.top, left.width - 1.3, left.height)
    right = Box(right.left - 1.3, right.top, right.width + 1.3, right.height)
    tiles = v.metric_tiles[:8]
    for i, tile in enumerate(tiles):
        box = Box(
            left.left + (i % 2) * (left.width / 2 + 0.05),
            left.top + (i // 2) * 1.27,
            left.width / 2 - 0.1,
            1.15,
        )
        rect(s, box, d.t.tint, rounded=True)
        text(
            s,
            Box(box.left + 0.15, box.top + 0.1, box.width - 0.3, 0.6),
            tile.value,
            size=24,
            bold=True,
            colour=d.t.heading,
        )
        text(
            s,
            Box(box.left + 0.15, box.top + 0.7, box.width - 0.3, 0.35),
            tile.label,
            size=10,
            colour=MUTED,
            caps=True,
        )
    specs = dict(v.chart_specs())
    chart = specs.get("impressions_by_week")
    if chart is not None:
        d.png(s, chart_png(chart), Box(right.left, right.top + 0.2, right.width, right.height))
    notes(
        s,
        [
            f"Results for {v.metric_period}.",
            *(f"{t.label}: {t.value}" for t in v.metric_tiles),
            *(
                f"{r['platform']}: {r['impressions']} impressions, {r['clicks']} clicks, CTR {r['ctr']}, "
                f"engagement {r['engagement_rate']}, {r['conversions']} conversions"
                for r in v.platform_performance
            ),
        ],
    )


def next_steps(d: Deck) -> None:
    steps = d.view.next_steps[:6]
    s = d.slide("Next steps", "Next steps")
    row_h = min(0.85, CONTENT.height / max(1, len(steps)))
    for i, step in enumerate(steps):
        y = CONTENT.top + i * row_h
        circle = Box(CONTENT.left, y + 0.05, 0.5, 0.5)
        rect(s, circle, d.t.band, preset=MSO_SHAPE.OVAL)
        text(
            s,
            circle,
            str(i + 1),
            size=16,
            bold=True,
            colour=d.t.on_band,
            align=PP_ALIGN.CENTER,
            anchor=MSO_ANCHOR.MIDDLE,
        )
        title_box = Box(CONTENT.left + 0.75, y, 4.3, row_h - 0.05)
        text(s, title_box, fit_text(step.title, title_box, 15), size=15, bold=True, colour=d.t.heading)
        detail_box = Box(CONTENT.left + 5.2, y, CONTENT.width - 5.2, row_h - 0.05)
        detail = step.detail or step.meta
        text(s, detail_box, fit_text(detail, detail_box, 13), size=13, colour=INK)
    notes(
        s,
        [" — ".join(p for p in (st.title, st.detail, st.meta) if p) for st in d.view.next_steps]
        + ([f"Reporting: {d.view.reporting}"] if d.view.reporting else []),
    )
