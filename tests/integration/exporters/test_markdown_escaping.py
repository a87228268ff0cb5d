"""Text stays text in the Markdown and HTML exports (issue 22): a line break in a table cell is a
real break (never a literal `<br>`), and '1. x' inside a bullet stays one bullet."""

from __future__ import annotations

import pytest

from aicmo.adapters.exporters.markdown import content_to_markdown, markdown_to_html
from aicmo.domain.markdown_text import escape_line, table_cell
from aicmo.services.generators._render import bullets, numbered, table


def test_a_line_break_in_a_table_cell_is_a_real_break_in_html() -> None:
    html = markdown_to_html(table(["Step", "Notes"], [["Call", "first line\nsecond line"]]))
    assert "&lt;br" not in html
    assert "<td>first line<br>\nsecond line</td>" in html


def test_a_person_cannot_smuggle_markup_through_a_cell_break() -> None:
    html = markdown_to_html(table(["A"], [['<br onclick="x()"><script>alert(1)</script>']]))
    assert "<script" not in html and "<br onclick" not in html  # shown as text, escaped


def test_pipes_and_backslashes_stay_in_their_cell() -> None:
    html = markdown_to_html(table(["Path", "Choice"], [["C:\\briefs\\q1", "yes | no"]]))
    assert "<td>C:\\briefs\\q1</td>" in html
    assert "<td>yes | no</td>" in html


@pytest.mark.parametrize(
    "item",
    [
        "1. Book a call",
        "2) Pick a slot",
        "- a dash",
        "+ a plus",
        "* a star",
        "# 1 in Cork",
        "> a quote",
        "---",
    ],
)
def test_a_bullet_that_starts_like_markdown_stays_one_bullet(item: str) -> None:
    html = markdown_to_html(bullets([item, "next"]))
    assert html.count("<li>") == 2
    assert "<ol" not in html and "<h" not in html and "<blockquote" not in html and "<hr" not in html
    assert (item.lstrip("#>-+* ").split() or ["---"])[0] in html


def test_numbered_items_keep_their_own_numbers() -> None:
    html = markdown_to_html(numbered(["1. Book a call", "Follow up"]))
    assert html.count("<li>") == 2 and "<li>1. Book a call</li>" in html


def test_structured_content_rendered_without_markdown_escapes_too() -> None:
    md = content_to_markdown({"steps": ["1. Book a call", "2. Meet"], "note": "- not a list"})
    html = markdown_to_html(md)
    assert html.count("<li>") == 3 and "<ol" not in html


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("1. Book a call", "1\\. Book a call"),
        ("10.5% uplift", "10.5% uplift"),
        ("1.5x ROAS", "1.5x ROAS"),
        ("#CaféCrème", "\\#CaféCrème"),
        ("plain words", "plain words"),
        ("*bold*", "*bold*"),
    ],
)
def test_escape_line_touches_only_block_markers(text: str, escaped: str) -> None:
    assert escape_line(text) == escaped


def test_an_empty_cell_keeps_the_row_shape() -> None:
    assert table_cell("") == " "
    assert table_cell("a\r\n\r\nb") == "a<br>b"
