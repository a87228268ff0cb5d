"""`aicmo leads import|export|batches|undo`: a client's leads from the shell (SPEC §7)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from aicmo.adapters.db import migrate
from aicmo.entrypoints.cli._common import cli_app, console
from aicmo.entrypoints.cli.metrics import read_text
from aicmo.services.tokens import SYSTEM_ADMIN

app = typer.Typer(help="Leads: import CSV batches, export, list and undo imports.", no_args_is_help=True)


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A leads CSV (a header row with at least an email column)."),
    client: str = typer.Option(..., "--client", help="The client id."),
    engagement: str | None = typer.Option(None, "--engagement", help="Score against this engagement's ICP."),
    map_: list[str] = typer.Option([], "--map", help="HEADER=FIELD for a column we do not recognise."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Import FILE as one batch: good rows are kept, each bad row is named by row and field.

    Example: aicmo leads import fair.csv --client cl_0123 --map Mail=email
    """
    from aicmo.services import leads

    text, encoding = read_text(file)
    mapping = dict(m.split("=", 1) for m in map_ if "=" in m)
    with cli_app() as app_:
        migrate.upgrade(app_.settings.resolved_database_url)
        with app_.uow() as uow:
            result = leads.import_text(
                uow, SYSTEM_ADMIN, client, text, engagement_id=engagement, encoding=encoding,
                filename=file.name, columns=mapping,
            )  # fmt: skip
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2))
        return
    console.print(
        f"batch {result.batch_id}: created {result.created}, already known {result.already_known}, "
        f"repeated in the file {result.duplicates_in_file}, skipped {len(result.skipped)} ({encoding})",
        highlight=False,
    )
    for issue in result.skipped:
        console.print(f"  - {issue['field']}: {issue['message']}", highlight=False)


@app.command("export")
def export(
    client: str = typer.Option(..., "--client", help="The client id."),
    out: Path | None = typer.Option(None, "--out", help="Write the CSV here (default: standard output)."),
    status: str | None = typer.Option(None, "--status"),
    tier: str | None = typer.Option(None, "--tier", help="HOT, WARM, COOL or COLD."),
    q: str = typer.Option("", "--search", help="Part of the e-mail, name, company, city or title."),
    batch: str | None = typer.Option(None, "--batch", help="Only this import batch."),
) -> None:
    """The client's leads as CSV, best score first (filters combine)."""
    from aicmo.services import leads

    with cli_app() as app_, app_.uow() as uow:
        filters = leads.lead_filter(status=status, tier=tier, q=q, batch_id=batch)
        text = leads.export_csv(uow, SYSTEM_ADMIN, client, filters)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {text.count(chr(10)) - 1} lead(s) to {out}", highlight=False)


@app.command("batches")
def batches(
    client: str = typer.Option(..., "--client", help="The client id."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The client's import batches, newest first."""
    from aicmo.services import leads

    with cli_app() as app_, app_.uow() as uow:
        found = leads.list_batches(uow, SYSTEM_ADMIN, client)
    if as_json:
        typer.echo(json.dumps([b.model_dump(mode="json") for b in found], indent=2))
        return
    for b in found:
        undone = f" undone ({b.removed} removed, {b.kept} kept)" if b.undone_at else ""
        console.print(
            f"{b.id}  {b.created_at:%Y-%m-%d %H:%M}  {b.filename or '-'}  created {b.created}, "
            f"skipped {len(b.skipped)}{undone}",
            highlight=False,
        )


@app.command("undo")
def undo(batch: str = typer.Argument(..., help="The import batch id (see `aicmo leads batches`).")) -> None:
    """Remove the leads a batch created that nobody has worked yet; worked ones are kept."""
    from aicmo.services import leads

    with cli_app() as app_, app_.uow() as uow:
        result = leads.undo_batch(uow, SYSTEM_ADMIN, batch)
    console.print(
        f"undone {batch}: {result.removed} removed, {result.kept} kept (already worked)", highlight=False
    )
