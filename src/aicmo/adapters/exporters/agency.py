"""The agency a deliverable is prepared by: its name and logo on the cover, the deck and the bundle.

Set once per deployment (`AICMO_AGENCY_NAME`, `AICMO_AGENCY_LOGO` — a PNG, JPEG or SVG file — or
`AICMO_AGENCY_LOGO_URL` as a data:image URI). Without a name the documents say nothing about who
prepared them rather than naming the tool. Remote logo URLs are not fetched: documents are rendered
offline, so a logo must be a file or a data URI to appear in the PDF and the deck.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from dataclasses import dataclass
from pathlib import Path

LOGO_TYPES = {"image/png", "image/jpeg", "image/svg+xml"}
MAX_LOGO_BYTES = 2_000_000


@dataclass(frozen=True)
class Agency:
    name: str = ""
    logo: bytes = b""
    logo_type: str = ""

    @property
    def raster_logo(self) -> bytes:
        """The logo when python-pptx can place it (PNG or JPEG), else b''."""
        return self.logo if self.logo_type in {"image/png", "image/jpeg"} else b""


def logo_from_file(path: Path) -> tuple[bytes, str]:
    kind = mimetypes.guess_type(path.name)[0] or ""
    if kind not in LOGO_TYPES or not path.is_file() or path.stat().st_size > MAX_LOGO_BYTES:
        return b"", ""
    return path.read_bytes(), kind


def logo_from_data_uri(uri: str) -> tuple[bytes, str]:
    head, _, body = uri.partition(",")
    kind = head.removeprefix("data:").removesuffix(";base64")
    if kind not in LOGO_TYPES or not head.endswith(";base64"):
        return b"", ""
    try:
        data = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return b"", ""
    return (data, kind) if len(data) <= MAX_LOGO_BYTES else (b"", "")


def current_agency() -> Agency:
    """The agency from the settings (read at render time, never at import)."""
    from aicmo.config import get_settings

    settings = get_settings()
    logo, kind = b"", ""
    if settings.agency_logo:
        logo, kind = logo_from_file(settings.agency_logo)
    if not logo and settings.agency_logo_url.startswith("data:"):
        logo, kind = logo_from_data_uri(settings.agency_logo_url)
    return Agency(settings.agency_name.strip(), logo, kind)
