"""`aicmo pipeline BRIEF.json --out DIR`: the whole chain headless, for batch use and demos."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import typer

from aicmo.adapters.db import migrate
from aicmo.bootstrap import build_app
from aicmo.config import get_settings
from aicmo.domain.errors import AicmoError
from aicmo.entrypoints.cli._common import console, err_console


def load_brief(brief: Path) -> object:
    try:
        return json.loads(brief.read_text(encoding="utf-8"))
    except FileNotFoundError:
        err_console.print(f"[red]Error:[/red] no such brief: {brief}")
    except OSError as exc:  # a folder, a file it may not read: say so, no traceback
        err_console.print(f"[red]Error:[/red] cannot read the brief {brief}: {exc.strerror}", highlight=False)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        err_console.print(f"[red]Error:[/red] {brief} is not valid JSON: {exc}")
    raise typer.Exit(2)


def pipeline(
    brief: Path = typer.Argument(..., help="The client brief (JSON)."),
    out: Path = typer.Option(..., "--out", help="Folder for <module>.md, <module>.json, manifest.json."),
    provider: Literal["offline", "openai", "anthropic"] | None = typer.Option(
        None, help="Override AICMO_LLM_PROVIDER for this run."
    ),
    auto_approve: bool = typer.Option(
        False, "--auto-approve", help="Autonomy 'full': approve each artifact whose quality gates pass."
    ),
    client: str | None = typer.Option(
        None, "--client", help="Put the engagement under this existing client (id or name)."
    ),
    new_client: bool = typer.Option(
        False, "--new-client", help="Always create a client, even if one with the brief's name exists."
    ),
) -> None:
    """Validate BRIEF, approve its intake in a new engagement, run its plan and write the results.

    The engagement goes under the client named like the brief's client (or --client), so re-running a
    brief does not multiply clients. The brief's fields: `aicmo brief schema`, `aicmo brief template`."""
    from aicmo.services.pipeline import run_pipeline  # imported on use: it loads every generator

    raw = load_brief(brief)
    settings = get_settings()
    if provider:
        settings = settings.model_copy(update={"llm_provider": provider})
    app = build_app(settings)
    try:
        migrate.upgrade(settings.resolved_database_url)
        result = run_pipeline(
            app, raw, out, auto_approve=auto_approve, client_ref=client, new_client=new_client
        )
    except AicmoError as exc:
        err_console.print(f"[red]Error:[/red] {exc.message}", highlight=False)
        for detail in exc.details:
            if "field" in detail:
                err_console.print(
                    f"  - {detail['field'] or 'brief'}: {detail.get('message', '')}", highlight=False
                )
        raise typer.Exit(2) from None
    finally:
        app.close()
    how = "existing client" if result.reused_client else "new client"
    console.print(f"{how} {result.client_id}, engagement {result.engagement_id}", highlight=False)
    for entry in result.manifest["artifacts"]:
        console.print(
            f"{entry['type']:<11} v{entry['version']:<3} {entry['status']:<18} {entry['provider']:<8}"
            f" findings={len(entry['findings'])} llm_calls={entry['llm_calls']}",
            highlight=False,
        )
    progress = result.plan.progress if result.plan else None
    if progress:
        console.print(f"plan: {progress.completed}/{progress.total} jobs completed", highlight=False)
    console.print(f"wrote {out}/ (manifest.json) in {result.manifest['elapsed_ms']} ms", highlight=False)
    if result.failed_jobs:
        err_console.print(f"[red]failed jobs:[/red] {', '.join(result.failed_jobs)}")
        raise typer.Exit(1)
