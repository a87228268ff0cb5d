"""`aicmo selftest`: intake -> gating -> approval -> unlock -> stale cascade on a throwaway database."""

from __future__ import annotations

import typer

from aicmo.entrypoints.cli._common import console
from aicmo.services.selftest import run_selftest

MARK = {"pass": "[green]pass[/green]", "fail": "[red]FAIL[/red]", "skipped": "[yellow]skip[/yellow]"}


def selftest(as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")) -> None:
    """Exercise the artifact rules end to end on a temporary SQLite file; exit 1 if a step fails.

    The workspace's own database is not touched.
    """
    report = run_selftest()
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        for step in report.steps:
            console.print(f"{MARK[step.status]}  {step.name:<15} {step.detail}", highlight=False)
        verdict = "[green]self-test passed[/green]" if report.ok else "[red]self-test failed[/red]"
        console.print(f"{verdict} in {report.elapsed_ms:.0f} ms (trace {report.trace_id})", highlight=False)
    if not report.ok:
        raise typer.Exit(1)
