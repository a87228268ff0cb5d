"""`aicmo brief schema|template|check`: the client brief as a documented file (SPEC §3)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import typer

from aicmo.domain.schemas.intake import Intake
from aicmo.entrypoints.cli._common import console, err_console
from aicmo.entrypoints.cli.pipeline import load_brief

app = typer.Typer(help="The client brief file: its schema, a template, a check.", no_args_is_help=True)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    console.print(f"wrote {out}", highlight=False)


@app.command()
def schema(
    out: Path | None = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """Print the brief's JSON Schema: every field, its type, limits and what it is for."""
    _write(json.dumps(Intake.model_json_schema(), indent=2, ensure_ascii=False), out)


def template_text() -> str:
    """A complete example brief (an appointment-based clinic) that validates; edit it for a client."""
    return resources.files("aicmo.entrypoints.cli").joinpath("templates/brief.json").read_text("utf-8")


@app.command()
def template(
    out: Path | None = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """Print an example brief with every field filled in, ready to edit."""
    _write(template_text().rstrip(), out)


@app.command()
def check(brief: Path = typer.Argument(..., help="The brief (JSON) to validate.")) -> None:
    """Validate a brief without saving anything: errors (exit 2) and warnings, each naming its field."""
    from aicmo.services.generation import validate_brief  # imported on use: it loads the generators

    report = validate_brief(load_brief(brief))
    for issue in report.errors:
        err_console.print(f"[red]error[/red]   {issue.field or 'brief'}: {issue.message}", highlight=False)
    for issue in report.warnings:
        console.print(f"[yellow]warning[/yellow] {issue.field or 'brief'}: {issue.message}", highlight=False)
    if not report.ok:
        raise typer.Exit(2)
    console.print(f"{brief}: valid ({len(report.warnings)} warnings)", highlight=False)
