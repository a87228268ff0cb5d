"""The client deck: an ExportPackage → a 16:9 PPTX with python-pptx.

Title, agenda, summary, one slide per strategy section, creatives, calendar overview, sample posts,
KPIs (and performance when metrics exist), next steps. Every slide carries speaker notes with the
full detail; on the slide, text is shortened to fit its box (see `pptx_kit`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import datetime

from pptx import Presentation
from pptx.util import Inches

from aicmo.adapters.exporters import pptx_slides as slides
from aicmo.adapters.exporters import pptx_strategy as strategy
from aicmo.adapters.exporters.pptx_deck import Deck, H, W
from aicmo.adapters.exporters.view import ReportView
from aicmo.domain.schemas.export import ExportPackage


# ---- assembly ----------------------------------------------------------------------------------------
def _plan(v: ReportView) -> list[tuple[str, str, Callable[[Deck], None]]]:
    """(agenda title, agenda detail, builder) for every slide group this package supports."""
    plan: list[tuple[str, str, Callable[[Deck], None]]] = [
        ("Executive summary", "The plan on one page", slides.summary)
    ]
    if v.highlights:
        plan.append(("", "", slides.highlights))
    if v.strategy:
        plan += [
            ("Ideal customer profile", "Who we are talking to and what moves them", strategy.icp),
            ("Positioning and messaging", "What we say and how we prove it", strategy.positioning),
            ("", "", strategy.messaging),
            ("Content pillars", f"{len(v.strategy.pillars)} themes in rotation", strategy.pillars),
            ("Platforms and media", "Where we publish and where the budget goes", strategy.platforms),
            ("", "", strategy.media),
            ("Measurement", "How we track success", strategy.measurement),
        ]
    if v.creatives:
        plan.append(("Creatives", "Brand kit and ready-to-produce assets", slides.creatives))
    if v.execution:
        plan += [
            ("Calendar overview", f"{len(v.calendar_rows)} posts over {v.weeks} weeks", slides.calendar),
            ("Sample posts", "Ready-to-post copy per platform", slides.posts),
        ]
    if v.strategy:
        plan.append(("KPIs", "Targets and cadence", strategy.kpis))
    if v.has_metrics:
        plan.append(("Performance to date", v.metric_period, slides.performance))
    plan.append(("Next steps", "What happens this week", slides.next_steps))
    return plan


def render_pptx(package: ExportPackage) -> bytes:
    """The client deck as PPTX bytes (16:9, brand colours, speaker notes on every slide)."""
    view = ReportView(package)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(W), Inches(H)
    prs.core_properties.title = f"{view.client} — {view.engagement}"
    prs.core_properties.author = view.prepared_by
    prs.core_properties.last_modified_by = view.prepared_by
    stamp = package.generated_at.replace(tzinfo=None)
    prs.core_properties.created = prs.core_properties.modified = stamp
    deck = Deck(view, prs)
    plan = _plan(view)
    slides.title(deck)
    slides.agenda(deck, [(title, detail) for title, detail, _ in plan if title])
    for _, _, build in plan:
        build(deck)
    buffer = io.BytesIO()
    prs.save(buffer)
    return _stable_zip(buffer.getvalue(), stamp)


def _stable_zip(data: bytes, when: datetime) -> bytes:
    """The same package parts with every entry dated `when`, so equal packages give equal bytes."""
    second = when.second - when.second % 2  # ZIP times have two-second resolution
    stamp = (max(1980, when.year), when.month, when.day, when.hour, when.minute, second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            clone = zipfile.ZipInfo(info.filename, date_time=stamp)
            clone.compress_type = info.compress_type
            clone.external_attr = info.external_attr
            target.writestr(clone, source.read(info.filename))
    return out.getvalue()
