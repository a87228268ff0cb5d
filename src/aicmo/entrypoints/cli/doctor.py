"""`aicmo doctor`: every sentinel with its evidence and remedy; exit 1 when any fails."""

from __future__ import annotations

import typer
from rich.table import Table

from aicmo.config import get_settings
from aicmo.entrypoints.cli._common import console
from aicmo.services.sentinels import SentinelOptions, SentinelReport, Status, run_sentinels

STYLE = {Status.PASS: "green", Status.FAIL: "red", Status.UNKNOWN: "yellow"}


def doctor(
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    probe: bool = typer.Option(
        False, "--probe", help="Also call the LLM endpoint and GET {AICMO_BACKEND_URL}/healthz."
    ),
    timeout: float = typer.Option(3.0, help="Seconds allowed for each network check."),
) -> None:
    """Check the runtime, package, database, migrations, provider, API, console and task engine.

    Example: `aicmo doctor --probe` on a deployment; `aicmo doctor --json` for scripts.
    """
    settings = get_settings()
    options = SentinelOptions(
        probe_provider=probe, api_url=settings.backend_url if probe else None, timeout_s=timeout
    )
    report = run_sentinels(settings, options)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        _print(report)
    if not report.ok:
        raise typer.Exit(1)


def _print(report: SentinelReport) -> None:
    table = Table(title="AICMO doctor", show_lines=True, expand=True)
    table.add_column("sentinel", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("evidence / remedy", overflow="fold")
    for sentinel in report.sentinels:
        text = sentinel.evidence
        if sentinel.remedy and sentinel.status is not Status.PASS:
            text += f"\n[bold]remedy:[/bold] {sentinel.remedy}"
        style = STYLE[sentinel.status]
        table.add_row(sentinel.name, f"[{style}]{sentinel.status.value}[/{style}]", _escape(text))
    console.print(table)
    counts = report.counts
    verdict = "[green]all good[/green]" if report.ok else "[red]failing[/red]"
    console.print(
        f"{verdict}: {counts['pass']} pass, {counts['fail']} fail, {counts['unknown']} unknown",
        highlight=False,
    )


def _escape(text: str) -> str:
    """Keep rich markup ours: evidence may contain '[' from URLs and exception texts."""
    from rich.markup import escape

    head, sep, tail = text.partition("\n[bold]remedy:[/bold] ")
    return escape(head) + (sep + escape(tail) if sep else "")
