"""`aicmo learning events`: a client's learning events from the command line (SPEC §7 Kaizen)."""

from __future__ import annotations

import typer
from rich.table import Table

from aicmo.entrypoints.cli._common import cli_app, console
from aicmo.services.tokens import SYSTEM_ADMIN

app = typer.Typer(help="The learning loop: events and what they teach.", no_args_is_help=True)


@app.command()
def events(
    client: str = typer.Option(..., "--client", help="The client id."),
    engagement: str | None = typer.Option(None, "--engagement", help="Only this engagement's events."),
    kind: str | None = typer.Option(
        None, "--kind", help="generation, approval, rejection, amendment, publication or outcome."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the events as JSON."),
) -> None:
    """Generations, approvals, rejections (with reason), amendments (what changed), publications and
    measured outcomes of one client, newest first, and the phrases operators keep amending away."""
    from aicmo.services import learning

    with cli_app() as app_, app_.uow() as uow:
        report = learning.learning_events(uow, SYSTEM_ADMIN, client, engagement_id=engagement, kind=kind)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    counts = ", ".join(f"{k} {n}" for k, n in report.counts.items())
    table = Table(title=f"Learning events of {client} ({counts})")
    for column in ("#", "at", "kind", "subject", "by", "detail"):
        table.add_column(column)
    for e in report.events:
        detail = e.reason
        if e.changed:
            detail = f"{detail} changed: {', '.join(e.changed[:5])}".strip()
        if e.removed_phrases:
            detail += f" removed: {'; '.join(e.removed_phrases[:3])}"
        if e.kind == "outcome" and e.data:
            detail = f"{detail} {e.data.get('rows', '')} rows".strip()
        table.add_row(str(e.id), e.at.isoformat(timespec="minutes"), e.kind, e.subject, e.actor, detail)
    console.print(table)
    for phrase in report.avoid:
        console.print(f"- {phrase.sentence}", highlight=False)
