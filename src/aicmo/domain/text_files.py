"""Text files as people send them: UTF-8 (with or without a BOM) first, else the detected encoding
(Windows-1252 from European spreadsheets, Latin-1, UTF-16 …). Pure: bytes in, text out."""

from __future__ import annotations

from charset_normalizer import from_bytes


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with; ValueError when the bytes are not text."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ValueError("the file is not text in any encoding we can detect")
    return str(best), best.encoding
