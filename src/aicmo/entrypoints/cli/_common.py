"""Shared CLI plumbing: the wired App, and domain errors turned into one-line messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from aicmo.bootstrap import App, build_app
from aicmo.domain.errors import AicmoError

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


@contextmanager
def cli_app() -> Iterator[App]:
    """The App for one command; domain errors become `Error: …` with exit code 1."""
    app = build_app()
    try:
        yield app
    except AicmoError as exc:
        err_console.print(f"[red]Error:[/red] {exc.message}", highlight=False)
        for detail in exc.details:
            if "field" in detail:
                err_console.print(f"  - {detail['field']}: {detail.get('message', '')}", highlight=False)
        raise typer.Exit(1) from None
    finally:
        app.close()
