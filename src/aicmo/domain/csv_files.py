"""CSV files as people export them: any common encoding, comma, semicolon, tab or pipe separated.

European Excel writes `name;email;company` in Windows-1252; others write UTF-8 with commas. Bytes
are decoded as UTF-8 when they are UTF-8, else as `charset-normalizer` finds best (Windows-1252
when it reads as well as the best guess: it is what spreadsheets export in Western Europe and the
Americas, and short files are ambiguous). Pure: no I/O.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import methodcaller

from charset_normalizer import from_bytes

DELIMITERS = (",", ";", "\t", "|")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_NAMES = {"utf_8": "utf-8", "cp1252": "windows-1252", "cp1250": "windows-1250", "cp1251": "windows-1251"}


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # the label we decoded with: "utf-8", "utf-8-sig", "windows-1252", "utf-16", ...


def decode_bytes(data: bytes) -> DecodedText:
    """The text of a file and the encoding it was read with; ValueError when it is not text."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return DecodedText(data.decode(name).lstrip("\ufeff"), name)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None and (best is None or western.chaos <= best.chaos):
        best = western
    if best is None or "\x00" in str(best):
        raise ValueError("the file is not text in any encoding we know (export it as CSV, UTF-8)")
    return DecodedText(str(best), _NAMES.get(best.encoding, best.encoding.replace("_", "-")))


def _first_lines(text: str, count: int) -> list[str]:
    """`text.splitlines()[:count]` without splitting a whole large file: a prefix holding more
    than `count` lines has the same first ones."""
    size = 4096
    while size < len(text):
        lines = text[:size].splitlines()
        if len(lines) > count:
            return lines[:count]
        size *= 4
    return text.splitlines()[:count]


def sniff_delimiter(text: str, fits: Callable[[list[str]], bool] = bool) -> str:
    """The separator of a CSV: the first of comma, semicolon, tab, pipe whose header row `fits`
    (e.g. has an email column); else what `csv.Sniffer` sees in the first lines; else a comma."""
    lines = _first_lines(text.lstrip("\ufeff"), 20)
    header = lines[0] if lines else ""
    for delimiter in DELIMITERS:
        row = next(csv.reader([header], delimiter=delimiter), [])
        if len(row) > 1 and fits(row):
            return delimiter
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","


@dataclass(frozen=True)
class PlainCsv:
    """A CSV with nothing for a CSV reader to interpret (see `split_columns`): its lines, each of
    `width` cells joined by `delimiter`."""

    lines: list[str]
    delimiter: str
    width: int
    longest_line: int  # in characters: no cell is longer

    def columns(self, start: int, end: int) -> list[list[str]]:
        """The cells of lines `start` to `end` (0 is the header), column by column: one split of
        those lines joined, no list per row."""
        cells = self.delimiter.join(self.lines[start:end]).split(self.delimiter)
        return [cells[i :: self.width] for i in range(self.width)]


def split_columns(text: str, delimiter: str) -> PlainCsv | None:
    """`text` as a plain CSV, or None when it needs a CSV reader. Plain: no quote, carriage return
    or NUL, no blank line (nor one of delimiters only), the same number of cells on every line,
    none longer than the csv module allows. There a line is its cells joined by the delimiter, and
    a 100,000-row import reads in a fraction of `csv.reader`'s time."""
    if '"' in text or "\r" in text or "\x00" in text:
        return None
    lines = text.split("\n")
    if lines[-1] == "":  # the newline ending the last row starts no row
        lines.pop()
    if not lines:
        return None
    widths = set(map(methodcaller("count", delimiter), lines))
    if len(widths) != 1:
        return None
    width = widths.pop() + 1
    longest = max(map(len, lines))
    if delimiter * (width - 1) in lines or longest > csv.field_size_limit():
        return None
    return PlainCsv(lines, delimiter, width, longest)


# ---- writing -------------------------------------------------------------------------------------
# A cell a spreadsheet would run as a formula (or a DDE command) when the file is opened: the
# first character is one of these (OWASP "CSV injection"); tab and carriage return included.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """`value` as a CSV cell a spreadsheet shows as text: a string starting with a formula trigger
    gets a leading apostrophe (shown by nothing, and it stops evaluation). Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """RFC 4180 CSV (UTF-8, CRLF, minimal quoting) with every cell through `csv_safe`: the one way
    AICMO writes a CSV."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(h) for h in header])
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")
