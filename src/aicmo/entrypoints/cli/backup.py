"""`aicmo backup --out FILE` and `aicmo restore FILE`: the whole workspace as one portable archive."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

from aicmo.config import get_settings
from aicmo.domain.errors import AicmoError
from aicmo.entrypoints.cli._common import console, err_console
from aicmo.services import backup as backups
from aicmo.services import keys


def backup(
    out: Path = typer.Option(..., "--out", help="The archive to write (a .zip)."),
) -> None:
    """Back up every table (exported files included: they live in the database) to a zip that
    restores on SQLite or PostgreSQL, signed with the backup key (AICMO_BACKUP_KEY, else the key
    generated in the data folder): restore it where the same key is set.

    Example: `aicmo backup --out backups/aicmo-$(date +%F).zip`
    """
    settings = get_settings()
    console.print(f"database: {settings.masked_database_url}", highlight=False)
    try:
        manifest = backups.create_backup(
            settings.resolved_database_url,
            out,
            key=keys.backup_key(settings),
            encryption_key=keys.backup_encryption_key(settings),
        )
    except (SQLAlchemyError, OSError) as exc:
        _fail(exc)
    for table in manifest.tables:
        console.print(f"  {table.name:<24} {table.rows:>7} rows  sha256 {table.sha256[:12]}", highlight=False)
    sealed = "signed and encrypted" if settings.backup_encryption_key else "signed, not encrypted"
    console.print(
        f"wrote {out} ({sealed}; schema {manifest.schema_revision}, {sum(manifest.rows().values())} rows, "
        f"{len(manifest.exports)} export files)",
        highlight=False,
    )


def restore(
    archive: Path = typer.Argument(..., help="An archive written by `aicmo backup`."),
    force: bool = typer.Option(False, "--force", help="Replace a database that has data."),
) -> None:
    """Restore an archive into the configured database, which must be empty unless --force.

    The whole archive is checked first (signature, checksums, rows); an unsigned, altered or
    truncated archive is refused and the database is left exactly as it was.

    Example: `AICMO_DATABASE_URL=postgresql+psycopg://aicmo@db/aicmo aicmo restore aicmo-2026-11-21.zip`
    """
    settings = get_settings()
    if not archive.is_file():
        err_console.print(f"[red]Error:[/red] no such archive: {archive}", highlight=False)
        raise typer.Exit(2)
    console.print(f"database: {settings.masked_database_url}", highlight=False)
    try:
        report = backups.restore_backup(
            archive,
            settings.resolved_database_url,
            key=keys.backup_key(settings),
            force=force,
            encryption_key=keys.backup_encryption_key(settings),
        )
    except AicmoError as exc:
        err_console.print(f"[red]Error:[/red] {exc.message}", highlight=False)
        raise typer.Exit(1) from None
    except (SQLAlchemyError, OSError) as exc:
        _fail(exc)
    for name, rows in report.restored_rows.items():
        console.print(f"  {name:<24} {rows:>7} rows", highlight=False)
    console.print(
        f"restored {sum(report.restored_rows.values())} rows and {report.exports_restored} export files; "
        f"schema {report.manifest.schema_revision} -> {report.revision_after}",
        highlight=False,
    )


def _fail(exc: Exception) -> None:
    from aicmo.observability.redaction import redact_text

    settings = get_settings()
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else ""
    err_console.print(
        "[red]Error:[/red] "
        + redact_text(f"{type(exc).__name__}: {reason}", extra_urls=[settings.resolved_database_url]),
        highlight=False,
    )
    err_console.print("Run `aicmo doctor` for a full diagnosis.")
    raise typer.Exit(2) from None
