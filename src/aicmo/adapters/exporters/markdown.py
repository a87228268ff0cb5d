"""Markdown → safe HTML, and the per-artifact Markdown and JSON exports (SPEC §2.5).

Raw HTML inside Markdown is never passed through: markdown-it runs with `html=False` (it escapes
tags as text) and nh3 cleans the result again, so an artifact typed by a person or written by an
LLM cannot inject markup into a report.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from aicmo.adapters.exporters.text import module_label
from aicmo.domain.markdown_text import CELL_BREAK, escape_line
from aicmo.domain.schemas.export import ExportArtifact

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )


def _shift_headings(tokens: list[Token], offset: int) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + offset)
            token.tag = f"h{level}"


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
    )


def _table_line_breaks(tokens: list[Token]) -> None:
    """A line break inside a table cell: GFM has none, so cells carry `<br>` (`CELL_BREAK`) for it.
    With raw HTML off that would print as text; turn it into a real break token instead."""
    in_table = False
    for token in tokens:
        if token.type in ("table_open", "table_close"):
            in_table = token.type == "table_open"
        if not (in_table and token.type == "inline" and token.children):
            continue
        children: list[Token] = []
        for child in token.children:
            if child.type != "text" or CELL_BREAK not in child.content:
                children.append(child)
                continue
            for n, piece in enumerate(child.content.split(CELL_BREAK)):
                if n:
                    children.append(Token("hardbreak", "br", 0))
                if piece:
                    children.append(Token("text", "", 0, content=piece))
        token.children = children


def markdown_to_html(text: str, *, heading_offset: int = 0) -> str:
    """Safe HTML for `text`; `heading_offset=2` turns '#' into <h3> to nest inside a report section."""
    parser = _parser()
    tokens = parser.parse(text or "")
    if heading_offset:
        _shift_headings(tokens, heading_offset)
    _table_line_breaks(tokens)
    return sanitize_html(parser.renderer.render(tokens, parser.options, {}))


# ---- content without Markdown: a readable rendering of the structured content -----------------
def _label(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " ".join(str(value).split())


def _render_value(value: Any, level: int, lines: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines += ["", f"{'#' * min(6, level)} {_label(str(key))}", ""]
                _render_value(item, level + 1, lines)
            elif item not in (None, "", [], {}):
                lines.append(f"- **{_label(str(key))}:** {_scalar(item)}")  # after the label: inline
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                summary = ", ".join(
                    f"{_label(str(k))}: {_scalar(v)}"
                    for k, v in item.items()
                    if not isinstance(v, dict | list)
                )
                lines.append(f"- {escape_line(summary)}" if summary else "-")
                nested = {k: v for k, v in item.items() if isinstance(v, dict | list) and v}
                if nested:
                    sub: list[str] = []
                    _render_value(nested, level + 1, sub)
                    lines += ["  " + line if line else line for line in sub]
            else:
                lines.append(f"- {escape_line(_scalar(item))}")
    else:
        lines.append(escape_line(_scalar(value)))


def content_to_markdown(content: dict[str, Any], *, level: int = 2) -> str:
    lines: list[str] = []
    _render_value(content, level, lines)
    return "\n".join(lines).strip() + "\n"


# ---- per-artifact exports ----------------------------------------------------------------------
def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M %Z").strip() if value else "not approved"


def artifact_markdown(artifact: ExportArtifact, *, client_name: str = "") -> str:
    """The artifact as a standalone Markdown document: a title, its metadata, then its content."""
    title = module_label(artifact.type)
    heading = f"# {title} — {client_name}" if client_name else f"# {title}"
    meta = [
        f"- **Version:** {artifact.version}",
        f"- **Status:** {artifact.status.value.replace('_', ' ')}",
        f"- **Approved:** {artifact.approved_by or 'not approved'}"
        + (f" on {_when(artifact.approved_at)}" if artifact.approved_at else ""),
    ]
    if artifact.provenance.generator or artifact.provenance.provider:
        source = " / ".join(
            part
            for part in (
                artifact.provenance.generator,
                artifact.provenance.provider,
                artifact.provenance.model,
            )
            if part
        )
        meta.append(f"- **Generated by:** {source}")
    if artifact.inputs_hash:
        meta.append(f"- **Inputs hash:** `{artifact.inputs_hash}`")
    body = artifact.content_markdown.strip() or content_to_markdown(artifact.content).strip()
    return "\n".join([heading, "", *meta, "", "---", "", body, ""])


def artifact_json(artifact: ExportArtifact) -> bytes:
    """The artifact version as pretty, key-sorted JSON (UTF-8, stable for hashing)."""
    data = artifact.model_dump(mode="json")
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
