"""The `aicmo` command: noun then verb (`aicmo db upgrade`, `aicmo token create`)."""

from __future__ import annotations

import typer

from aicmo import __version__
from aicmo.entrypoints.cli import db, serve, token

app = typer.Typer(
    help="AICMO: AI marketing operations console. Start with `aicmo serve`.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db.app, name="db")
app.add_typer(token.app, name="token")
app.command()(serve.api)
app.command()(serve.serve)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


if __name__ == "__main__":
    app()
