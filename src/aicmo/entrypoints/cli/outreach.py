"""`aicmo outreach create|enrol|run|sends|suppress`: outreach sequences from the shell (SPEC §7).

Sending goes through the SMTP server of the AICMO_SMTP_* settings.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from aicmo.entrypoints.cli._common import cli_app, console, validated
from aicmo.services.tokens import SYSTEM_ADMIN

app = typer.Typer(help="Outreach sequences: create, enrol leads, run (send), suppress.", no_args_is_help=True)


@app.command("create")
def create(
    file: Path = typer.Argument(
        ..., help="A JSON sequence: client_id, name, steps, sender, postal_address, ..."
    ),
    base_url: str = typer.Option("", "--base-url", help="Where the API is reached (unsubscribe links)."),
) -> None:
    """Create a sequence from a JSON file; prints its id."""
    from aicmo.domain.schemas.outreach import SequenceCreate
    from aicmo.services import outreach

    body = validated(SequenceCreate, json.loads(file.read_text(encoding="utf-8")))
    with cli_app() as app_, app_.uow() as uow:
        base = base_url or app_.settings.public_url or app_.settings.backend_url
        created = outreach.create_sequence(uow, SYSTEM_ADMIN, body, unsubscribe_base=base)
    typer.echo(created.id)


@app.command("enrol")
def enrol(
    sequence: str = typer.Argument(...),
    tier: list[str] = typer.Option([], "--tier", help="HOT, WARM, COOL or COLD (repeat)."),
    status: str | None = typer.Option(None, "--status"),
    q: str = typer.Option("", "--search"),
) -> None:
    """Enrol the client's leads of these tiers (or matching the filter)."""
    from aicmo.domain.schemas.outreach import Enrol
    from aicmo.services import outreach

    body = validated(Enrol, {"tiers": [t.upper() for t in tier], "status": status, "q": q})
    with cli_app() as app_, app_.uow() as uow:
        result = outreach.enrol(uow, SYSTEM_ADMIN, sequence, body)
    console.print(f"enrolled {result.enrolled}, already {result.already}, skipped {len(result.skipped)}")
    for row in result.skipped:
        console.print(f"  - {row['email']}: {row['reason']}", highlight=False)


@app.command("run")
def run(sequence: str = typer.Argument(...), as_json: bool = typer.Option(False, "--json")) -> None:
    """Send every due step the rules allow now; each one not sent is listed with why."""
    from aicmo.services import outreach

    with cli_app() as app_, app_.uow() as uow:
        result = outreach.run(uow, SYSTEM_ADMIN, app_.mailer, sequence)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2))
        return
    console.print(
        f"sent {len(result.sent)}, tasks {len(result.tasks)}, waiting {len(result.skipped)}, "
        f"stopped {len(result.stopped)}, failed {len(result.failed)}",
        highlight=False,
    )
    for kind in ("skipped", "stopped", "failed"):
        for row in getattr(result, kind):
            console.print(f"  {kind}: {row['email']}: {row['reason']}", highlight=False)


@app.command("sends")
def sends(sequence: str = typer.Argument(...)) -> None:
    """Every send attempt of a sequence with the SMTP server's reply or the error."""
    from aicmo.services import outreach

    with cli_app() as app_, app_.uow() as uow:
        rows = outreach.sends(uow, SYSTEM_ADMIN, sequence)
    for r in rows:
        console.print(
            f"{r['sent_on']}  step {r['step']}  {r['channel']}  {r['to']}  {r['status']}  "
            f"{r['server_reply'] or r['error']}",
            highlight=False,
        )


@app.command("suppress")
def suppress(
    emails: list[str] = typer.Argument(..., help="Addresses not to contact."),
    client: str = typer.Option(..., "--client"),
    note: str = typer.Option("", "--note"),
) -> None:
    """Put addresses on the client's do-not-contact list (their sequences stop)."""
    from aicmo.domain.schemas.outreach import SuppressionAdd
    from aicmo.services import outreach

    body = validated(SuppressionAdd, {"client_id": client, "emails": emails, "note": note})
    with cli_app() as app_, app_.uow() as uow:
        listed = outreach.add_suppressions(uow, SYSTEM_ADMIN, body)
    console.print(f"{len(listed)} address(es) on the list", highlight=False)
