"""`aicmo export ENGAGEMENT --format pdf|pptx|zip --out DIR`: a client deliverable from the command line.

Services are imported inside the command (they load the renderers), like `aicmo plan`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from aicmo.adapters.db import migrate
from aicmo.entrypoints.cli._common import cli_app, console
from aicmo.services.tokens import SYSTEM_ADMIN


class CliFormat(StrEnum):
    pdf = "pdf"
    pptx = "pptx"
    zip = "zip"
    md = "md"
    json = "json"


def export(
    engagement: str = typer.Argument(..., help="The engagement id."),
    format: CliFormat = typer.Option(
        CliFormat.pdf, "--format", "-f", case_sensitive=False, help="File type."
    ),
    out: Path = typer.Option(Path("."), "--out", help="Folder to write the file into (created if missing)."),
) -> None:
    """Check the delivery, render the file, store it with the engagement's exports and write it to OUT.

    Refused with the named reasons when an artifact is not approved, is stale or fails a quality gate.

    Example: aicmo export en_0123 --format pdf --out ./deliverables
    """
    from aicmo.services import exports

    with cli_app() as app_:
        migrate.upgrade(app_.settings.resolved_database_url)
        with app_.uow() as uow:
            record = exports.create_export(uow, SYSTEM_ADMIN, engagement, exports.parse_format(format.value))
        with app_.uow() as uow:
            file = exports.download_export(uow, SYSTEM_ADMIN, record.id)
    out.mkdir(parents=True, exist_ok=True)
    path = out / file.filename
    path.write_bytes(file.data)
    versions = ", ".join(f"{kind} v{version}" for kind, version in record.artifact_versions.items())
    console.print(
        f"wrote {path} ({record.bytes:,} bytes, export {record.id}; {versions})",
        highlight=False,
        soft_wrap=True,
    )
