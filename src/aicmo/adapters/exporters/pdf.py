"""The client PDF report: an ExportPackage → HTML (Jinja templates) → PDF (WeasyPrint).

`render_html` is exposed for previews and tests; `render_pdf` is what the delivery service calls.
Charts are rendered to PNG and embedded as data URIs, so the document needs no files or network.
"""

from __future__ import annotations

import base64
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from aicmo.adapters.exporters.charts import chart_png, sentiment_by_week
from aicmo.adapters.exporters.markdown import markdown_to_html
from aicmo.adapters.exporters.text import hashtags_text, platform_label
from aicmo.adapters.exporters.theme import INK, MUTED, RULE
from aicmo.adapters.exporters.view import ReportView
from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.export import ExportPackage

TEMPLATES = Path(__file__).parent / "templates"
ASSET_SCHEME = "aicmo"


@dataclass(frozen=True)
class Chapter:
    key: str
    title: str
    anchor: str
    subsections: tuple[tuple[str, str], ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    number: str = ""


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html.j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(platform_label=platform_label, hashtags_text=hashtags_text)
    return env


def _strategy_chapter(v: ReportView) -> Chapter:
    a = "strategy"
    subs = (
        (f"{a}-icp", "Ideal customer profile"),
        (f"{a}-positioning", "Positioning"),
        (f"{a}-messaging", "Messaging framework"),
        (f"{a}-pillars", "Content pillars"),
        (f"{a}-platforms", "Platform strategy"),
        (f"{a}-media", "Media plan"),
        (f"{a}-measurement", "Measurement plan"),
    )
    return Chapter("strategy", "Strategy", a, subs)


def _creatives_chapter(v: ReportView) -> Chapter:
    a = "creatives"
    subs = (
        (f"{a}-brand", "Brand kit"),
        (f"{a}-templates", "Templates"),
        (f"{a}-prompts", "Image prompts"),
        (f"{a}-scripts", "Video scripts"),
    )
    return Chapter("creatives", "Creatives", a, subs)


def _calendar_chapter(v: ReportView) -> Chapter:
    a, e = "calendar", v.execution
    subs: list[tuple[str, str]] = []
    if e and e.email_sequence:
        subs.append((f"{a}-email", "Email sequence"))
    if e and e.reel_scripts:
        subs.append((f"{a}-reels", "Reel scripts"))
    if e and e.hashtag_sets:
        subs.append((f"{a}-hashtags", "Hashtag sets"))
    return Chapter("calendar", "Content calendar", a, tuple(subs))


def _posts_chapter(v: ReportView) -> Chapter:
    subs = tuple((f"posts-{g.platform}", g.label) for g in v.posts_by_platform)
    return Chapter("posts", "Sample posts", "posts", subs)


def _performance_chapter(v: ReportView, assets: dict[str, bytes]) -> Chapter:
    charts = []
    for key, chart in v.chart_specs():
        url = f"{ASSET_SCHEME}:chart/{key}.png"
        assets[url] = chart_png(chart)
        charts.append((key.replace("_", " ").capitalize(), url))
    monitoring = v.package.artifact(Module.MONITORING)
    notes = Markup(markdown_to_html(monitoring.content_markdown, heading_offset=1)) if monitoring else ""
    subs = [("performance-platforms", "By platform")]
    campaigns = _campaign_rows(monitoring.content if monitoring else {})
    if campaigns:
        subs.append(("performance-campaigns", "By campaign"))
    if notes:
        subs.append(("performance-notes", "Analysis and recommendations"))
    return Chapter(
        "performance",
        "Performance",
        "performance",
        tuple(subs),
        {"charts": charts, "notes": notes, "campaigns": campaigns},
    )


def _no_data(value: Any, shown: str) -> str:
    return "no data" if value is None else shown


def _campaign_rows(content: dict[str, Any]) -> list[dict[str, str]]:
    """The monitoring version's per-campaign KPIs as table cells; a figure no row had is 'no data'."""
    out = []
    for c in content.get("campaigns") or []:
        rate = c.get("engagement_rate_pct")
        out.append(
            {
                "name": str(c.get("name", "")),
                "rows": str(c.get("rows", 0)),
                "impressions": _no_data(c.get("impressions"), f"{c.get('impressions') or 0:,}"),
                "engagement_rate": _no_data(rate, f"{rate or 0:.2f}%"),
                "clicks": _no_data(c.get("clicks"), f"{c.get('clicks') or 0:,}"),
                "conversions": _no_data(c.get("conversions"), f"{c.get('conversions') or 0:,}"),
            }
        )
    return out


def _listening_chapter(v: ReportView, assets: dict[str, bytes]) -> Chapter | None:
    """Sentiment per week (a chart like the KPI charts) and topics from the monitoring version's
    imported mentions; None when it has none (the monitoring text says so in one line)."""
    monitoring = v.package.artifact(Module.MONITORING)
    listening = (monitoring.content.get("listening") if monitoring else None) or {}
    if not listening.get("mentions"):
        return None
    chart = ""
    weeks = listening.get("weekly") or []
    if weeks:
        chart = f"{ASSET_SCHEME}:chart/sentiment_by_week.png"
        assets[chart] = chart_png(sentiment_by_week(weeks, v.theme.series(2)))
    subs = [("listening-summary", "Sentiment")]
    if listening.get("topics"):
        subs.append(("listening-topics", "Topics"))
    if listening.get("most_negative"):
        subs.append(("listening-negative", "Most negative mentions"))
    return Chapter(
        "listening", "Social listening", "listening", tuple(subs), {"l": listening, "chart": chart}
    )


def chapters(v: ReportView, assets: dict[str, bytes]) -> list[Chapter]:
    """The report's chapters in order, numbered; sections without content are left out.

    Images the chapters need (charts) are added to `assets`, keyed by the URL the HTML uses.
    """
    summary_subs = [("summary-highlights", "Highlights")] if v.highlights else []
    summary_subs += [("summary-brief", "The brief")] if v.brief_facts else []
    out = [Chapter("summary", "Executive summary", "summary", tuple(summary_subs))]
    if v.strategy:
        out.append(_strategy_chapter(v))
    if v.creatives:
        out.append(_creatives_chapter(v))
    if v.execution:
        out += [_calendar_chapter(v), _posts_chapter(v)]
    if v.has_metrics:
        out.append(_performance_chapter(v, assets))
    listening = _listening_chapter(v, assets)
    if listening:
        out.append(listening)
    for title, artifact in v.extra_sections:
        if artifact.type is Module.MONITORING and v.has_metrics:
            continue
        html = Markup(markdown_to_html(artifact.content_markdown, heading_offset=1))
        out.append(Chapter("extra", title, f"extra-{artifact.type.value}", (), {"html": html}))
    if v.next_steps:
        out.append(Chapter("next_steps", "Next steps", "next-steps"))
    out.append(
        Chapter("appendix", "Appendix: provenance", "appendix", (("appendix-hashes", "Inputs hashes"),))
    )
    return [
        Chapter(c.key, c.title, c.anchor, c.subsections, c.data, f"{n:02d}")
        for n, c in enumerate(out, start=1)
    ]


def _theme_values(v: ReportView) -> dict[str, Any]:
    t = v.theme
    return {
        "band": t.band, "on_band": t.on_band, "heading": t.heading, "accent": t.accent,
        "secondary": t.secondary, "tint": t.tint, "tint_strong": t.tint_strong, "accent_tint": t.accent_tint,
        "ink": INK, "muted": MUTED, "rule": RULE, "series": t.series(6),
    }  # fmt: skip


class _AssetFetcher(URLFetcher):
    """Serves the report's own images and refuses every other URL: no network, no local files."""

    def __init__(self, assets: dict[str, bytes]) -> None:
        super().__init__(allowed_protocols={ASSET_SCHEME})
        self._assets = assets

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url not in self._assets:
            raise ValueError(f"the report only embeds its own images, not {url}")
        return URLFetcherResponse(url, self._assets[url], {"Content-Type": _mime(url)})


_MIMES = {".png": "image/png", ".jpg": "image/jpeg", ".svg": "image/svg+xml"}


def _mime(url: str) -> str:
    return next((m for ext, m in _MIMES.items() if url.endswith(ext)), "image/png")


def _logo_url(view: ReportView, assets: dict[str, bytes]) -> str:
    """The agency logo as one of the report's own assets ('' without a logo)."""
    if not view.agency.logo:
        return ""
    ext = {v: k for k, v in _MIMES.items()}.get(view.agency.logo_type, ".png")
    url = f"{ASSET_SCHEME}:logo{ext}"
    assets[url] = view.agency.logo
    return url


def _document(package: ExportPackage) -> tuple[str, dict[str, bytes]]:
    view = ReportView(package)
    env = _environment()
    theme = _theme_values(view)
    assets: dict[str, bytes] = {}
    css = env.get_template("report.css.j2").render(t=theme)
    html = env.get_template("report.html.j2").render(
        v=view,
        t=theme,
        css=Markup(css),
        chapters=chapters(view, assets),
        stripe=view.theme.palette[1:6],
        platform_colour=view.platform_colour,
        logo_url=_logo_url(view, assets),
    )
    return html, assets


def render_html(package: ExportPackage) -> str:
    """The report as one self-contained HTML page (images inlined as data URIs), for previews."""
    html, assets = _document(package)
    for url, data in assets.items():
        uri = f"data:{_mime(url)};base64," + base64.b64encode(data).decode("ascii")
        html = html.replace(f'"{url}"', f'"{uri}"')
    return html


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Layout allocates millions of short-lived objects; pausing the cyclic GC saves about 20%."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(package: ExportPackage) -> bytes:
    """The designed client report as PDF bytes (A4, cover, contents, chapters, provenance)."""
    html, assets = _document(package)
    with _gc_paused():
        return bytes(HTML(string=html, url_fetcher=_AssetFetcher(assets)).write_pdf())
