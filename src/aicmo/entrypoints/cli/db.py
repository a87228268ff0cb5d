"""`aicmo db upgrade|downgrade|check`: schema migrations, with the tables listed before and after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.exc import SQLAlchemyError

from aicmo.adapters.db import migrate
from aicmo.config import get_settings
from aicmo.entrypoints.cli._common import console, err_console

app = typer.Typer(help="Database schema: migrations and checks.", no_args_is_help=True)


@contextmanager
def _database_errors() -> Iterator[None]:
    """A database that cannot be reached is one line naming the (masked) URL, not a traceback."""
    try:
        yield
    except (SQLAlchemyError, ImportError) as exc:
        url = get_settings().masked_database_url
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        err_console.print(
            f"[red]Error:[/red] database {url}: {type(exc).__name__}: {reason}", highlight=False
        )
        err_console.print("Check AICMO_DATABASE_URL (run `aicmo doctor` for a full diagnosis).")
        raise typer.Exit(2) from None


def _tables(label: str, tables: list[str]) -> None:
    console.print(f"{label} ({len(tables)}): " + (", ".join(tables) or "none"), highlight=False)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (default: head)."""
    settings = get_settings()
    console.print(f"database: {settings.masked_database_url}", highlight=False)
    with _database_errors():
        report = migrate.upgrade(settings.resolved_database_url, revision)
    _tables("tables before", report.before.tables)
    _tables("tables after", report.after.tables)
    console.print(
        f"schema: {report.before.current or 'empty'} -> {report.after.current} (head {report.after.head})"
    )


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base or 0001.")) -> None:
    """Revert migrations down to REVISION."""
    settings = get_settings()
    with _database_errors():
        report = migrate.downgrade(settings.resolved_database_url, revision)
    _tables("tables before", report.before.tables)
    _tables("tables after", report.after.tables)


@app.command()
def check() -> None:
    """Exit 0 when the schema is at head, 1 otherwise."""
    settings = get_settings()
    with _database_errors():
        state = migrate.schema_state(settings.resolved_database_url)
    console.print(f"database: {settings.masked_database_url}", highlight=False)
    if state.at_head:
        console.print(f"schema at head ({state.head})")
        return
    console.print(f"schema at {state.current or 'empty'}, head is {state.head}: run `aicmo db upgrade`")
    raise typer.Exit(1)
