"""Plain text made safe to drop into Markdown: it stays text where it lands.

A brief's "1. Book a call" inside a bullet must not become a nested list, "# 1 in Cork" at the start
of a line must not become a heading, and a table cell's pipes and line breaks must not break the
table. Pure string functions; the exporters and the generators share them.
"""

from __future__ import annotations

import re
from typing import Any

CELL_BREAK = "<br>"  # a line break inside a table cell (GFM has none; the HTML export renders it)

_BLOCK_MARKER = re.compile(
    r"^(?P<indent> {0,3})(?:"
    r"(?P<digits>\d{1,9})(?P<delim>[.)])(?=\s|$)"  # an ordered list item
    r"|[#>]|[-+*](?=\s|$)"  # a heading, a quote, a bullet
    r"|[-=*_]{3,}\s*$)"  # a rule or a setext underline
)


def escape_line(text: str) -> str:
    """Brief text at the start of a line stays text: no heading ('# 1'), quote ('> x'), list ('- x',
    '1. x', '2) x') or rule ('---') where it starts, so '- 1. Book a call' stays one bullet."""
    match = _BLOCK_MARKER.match(text)
    if not match:
        return text
    if match["digits"]:
        return f"{match['indent']}{match['digits']}\\{match['delim']}{text[match.end() :]}"
    return f"{match['indent']}\\{text[len(match['indent']) :]}"


def table_cell(value: Any) -> str:
    """One GFM table cell: pipes escaped, a line break as `<br>` (a real break in the HTML export,
    see `exporters.markdown`), never empty (an empty cell can end the row early)."""
    lines = [" ".join(line.split()) for line in str(value).replace("\r\n", "\n").split("\n")]
    text = CELL_BREAK.join(line for line in lines if line)
    return text.replace("\\", "\\\\").replace("|", "\\|") or " "
