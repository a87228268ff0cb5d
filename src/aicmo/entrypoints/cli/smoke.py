"""`aicmo smoke`: check a running deployment in one step (SPEC §10).

Over HTTP, as an operator's console would: it creates a throwaway client and engagement, saves a
sample brief, then calls every module's generate endpoint in dependency order with auto-approval
(so each unlocks the next) and reports each envelope's status and the artifact it left. The client
is archived afterwards unless `--keep`. Exit code 1 when any module did not generate and approve.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from aicmo.domain.artifacts import Module, topological_order
from aicmo.entrypoints.cli._common import console, err_console, local_api_token
from aicmo.entrypoints.console.client import ApiClient, ApiConfig, ApiError, ApiUnreachable

SAMPLE_BRIEF: dict[str, Any] = {
    "client_name": "Harbour & Pine Bakery",
    "website": "https://harbourpine.example",
    "industry": "Food and drink",
    "geography": "Bristol, UK",
    "timezone": "Europe/London",
    "primary_offer": "Sourdough and pastry subscriptions, delivered before 8am",
    "pricing": "£18 per week",
    "differentiators": "Baked overnight with local flour; delivered warm by bike",
    "target_audience": "Busy households and offices in central Bristol",
    "pain_points": "Supermarket bread is stale; bakery queues eat the morning",
    "desired_outcomes": "Fresh bread at the door without thinking about it",
    "objective": "Sales",
    "kpi_targets": "300 active subscriptions in 12 weeks",
    "duration_weeks": 4,
    "budget_range": "£3k per month",
    "tone_voice": "Warm, unfussy, a little cheeky",
    "banned_words": ["artisanal"],
    "languages": ["English"],
    "platforms": ["instagram", "facebook", "email"],
    "tracking_status": "GA4 and the shop's conversion pixel installed",
}


@dataclass
class Step:
    module: str
    envelope: str  # SUCCESS / PARTIAL / FAILED, or the HTTP error type
    artifact: str  # e.g. "v1 approved", or "-"
    seconds: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.envelope == "SUCCESS" and self.artifact.endswith("approved")


def run_smoke(api: ApiClient, brief: dict[str, Any], *, keep: bool = False) -> list[Step]:
    """Generate every module for a new engagement; one `Step` per module, in dependency order."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    client = api.create_client(f"AICMO smoke test {stamp}", industry=brief.get("industry", ""))
    try:
        engagement = api.create_engagement(
            client.id, "Smoke test", duration_weeks=brief.get("duration_weeks", 4), autonomy_level="manual"
        )
        return [_generate(api, engagement.id, module, brief) for module in topological_order()]
    finally:
        if not keep:
            api.request("DELETE", f"/api/v1/clients/{client.id}")


def _generate(api: ApiClient, engagement_id: str, module: Module, brief: dict[str, Any]) -> Step:
    started = time.perf_counter()
    intake = brief if module is Module.INTAKE else None
    try:
        envelope = api.generate(module.value, engagement_id, intake=intake, auto_approve=True)
    except ApiError as exc:
        reasons = "; ".join(exc.reasons()) or exc.message
        return Step(module.value, exc.type, "-", time.perf_counter() - started, reasons[:200])
    seconds = time.perf_counter() - started
    artifact = api.find_artifact(engagement_id, module.value)
    state = f"v{artifact.version} {artifact.status.value}" if artifact else "-"
    note = envelope.error.message if envelope.error else ""
    if artifact is not None and artifact.status.value != "approved" and not note:
        note = "not approved automatically: a quality gate did not pass"
    return Step(module.value, envelope.status.value, state, seconds, note)


def smoke(
    api_url: str = typer.Option(
        None, "--api", help="The API to check (default AICMO_BACKEND_URL, else http://127.0.0.1:8000)."
    ),
    token: str = typer.Option(
        None, help="API token (default AICMO_API_TOKEN, else the local admin token); never printed."
    ),
    brief: Path = typer.Option(None, help="A brief (JSON) to use instead of the built-in sample."),
    keep: bool = typer.Option(False, "--keep", help="Keep the smoke-test client instead of archiving it."),
    as_json: bool = typer.Option(False, "--json", help="Print the steps as JSON."),
) -> None:
    """Call every generate endpoint of a running API with a sample brief and report each envelope."""
    config = ApiConfig.from_env()
    config = ApiConfig(
        base_url=(api_url or config.base_url).rstrip("/"), token=token or config.token or local_api_token()
    )
    raw = SAMPLE_BRIEF
    if brief is not None:
        try:
            raw = json.loads(brief.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            err_console.print(f"[red]Error:[/red] cannot read the brief {brief}: {exc}", highlight=False)
            raise typer.Exit(2) from None
    try:
        steps = run_smoke(ApiClient(config), raw, keep=keep)
    except ApiUnreachable as exc:
        err_console.print(f"[red]Error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    except ApiError as exc:
        err_console.print(
            f"[red]Error:[/red] HTTP {exc.status_code} {exc.type}: {exc.message}", highlight=False
        )
        raise typer.Exit(1) from None
    if as_json:
        console.print_json(json.dumps([asdict(s) | {"ok": s.ok} for s in steps]))
    else:
        table = Table(title=f"smoke test of {config.base_url}")
        for column in ("module", "envelope", "artifact", "seconds", "note"):
            table.add_column(column)
        for s in steps:
            mark = "[green]" if s.ok else "[red]"
            table.add_row(s.module, f"{mark}{s.envelope}[/]", s.artifact, f"{s.seconds:.2f}", s.note)
        console.print(table)
        failed = [s.module for s in steps if not s.ok]
        console.print(f"{len(steps) - len(failed)} of {len(steps)} modules generated and approved")
    if any(not s.ok for s in steps):
        raise typer.Exit(1)
