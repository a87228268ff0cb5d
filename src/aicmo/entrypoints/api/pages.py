"""Server-rendered HTML pages (Jinja2, autoescaped): the client review page and its error page.

Everything a page shows that came from a person or a model is escaped by Jinja, and Markdown is
rendered by markdown-it with raw HTML off and then cleaned by nh3 (`markdown_to_html`).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from aicmo.adapters.exporters.agency import Agency, logo_from_file
from aicmo.adapters.exporters.markdown import markdown_to_html
from aicmo.adapters.exporters.text import hashtag, platform_label
from aicmo.config import Settings

TEMPLATES = Path(__file__).parent / "templates"
SECURITY_HEADERS = {
    # nothing on the page runs from elsewhere; the only script is the page's own, inline
    "Content-Security-Policy": "default-src 'none'; img-src 'self' https: data:; "
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # the link is the credential: never hand it to another site
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _markdown(text: str) -> Markup:
    return Markup(markdown_to_html(text or "", heading_offset=2))


def _day(value: date | datetime | None) -> str:
    return "" if value is None else f"{value:%a %d %b %Y}".replace(" 0", " ")


def _when(value: datetime | None) -> str:
    return "" if value is None else f"{value:%d %b %Y, %H:%M}".lstrip("0")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html.j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(markdown=_markdown, day=_day, when=_when, hashtag=hashtag)
    env.globals.update(platform_label=platform_label)
    return env


def branding(settings: Settings) -> dict[str, str]:
    """The agency's name and logo: the logo file (AICMO_AGENCY_LOGO) inline, else AICMO_AGENCY_LOGO_URL."""
    logo = ""
    if settings.agency_logo:
        data, kind = logo_from_file(settings.agency_logo)
        logo = Agency(logo=data, logo_type=kind).logo_uri
    return {"agency_name": settings.agency_name.strip(), "agency_logo_url": logo or settings.agency_logo_url}


def render(
    name: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> HTMLResponse:
    html = environment().get_template(name).render(**context)
    return HTMLResponse(html, status_code=status_code, headers={**SECURITY_HEADERS, **(headers or {})})
