"""The `aicmo` command: noun then verb (`aicmo db upgrade`, `aicmo token create`)."""

from __future__ import annotations

import os

import typer

from aicmo import __version__
from aicmo.entrypoints.cli import (
    backup,
    brief,
    campaign,
    db,
    doctor,
    export,
    leads,
    learning,
    listening,
    metrics,
    ops,
    outreach,
    pipeline,
    plan,
    selftest,
    serve,
    smoke,
    token,
    ui,
)
from aicmo.observability.logging import configure_logging

app = typer.Typer(
    help="AICMO: AI marketing operations console. Start with `aicmo serve`.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(brief.app, name="brief")
app.add_typer(db.app, name="db")
app.add_typer(token.app, name="token")
app.add_typer(plan.app, name="plan")
app.add_typer(metrics.app, name="metrics")
app.add_typer(listening.app, name="listening")
app.add_typer(learning.app, name="learning")
app.add_typer(campaign.app, name="campaign")
app.add_typer(leads.app, name="leads")
app.add_typer(outreach.app, name="outreach")
app.command()(plan.worker)
app.command()(serve.api)
app.command()(serve.serve)
app.command()(ui.ui)
app.command()(pipeline.pipeline)
app.command()(export.export)
app.command()(doctor.doctor)
app.command()(selftest.selftest)
app.command()(smoke.smoke)
app.command(name="ops-ui")(ops.ops_ui)
app.command()(backup.backup)
app.command()(backup.restore)


@app.callback()
def _configure_logging() -> None:
    # JSON, redacted log lines on stderr; quiet (WARNING) unless AICMO_LOG_LEVEL says otherwise
    configure_logging(level=os.environ.get("AICMO_LOG_LEVEL", "WARNING"))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


if __name__ == "__main__":
    app()
