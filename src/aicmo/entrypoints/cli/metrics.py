"""`aicmo metrics import|kpis|insights|goals`: an engagement's performance data (SPEC §7)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from aicmo.adapters.db import migrate
from aicmo.domain.csv_files import decode_bytes
from aicmo.domain.metrics import FIGURES
from aicmo.domain.schemas.metrics import KpiSet
from aicmo.entrypoints.cli._common import cli_app, console, err_console
from aicmo.services.tokens import SYSTEM_ADMIN

app = typer.Typer(help="Performance data: import platform exports, read KPIs.", no_args_is_help=True)
RATES = {"engagement_rate", "ctr", "conversion_rate"}


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read with; exit 2 naming the problem."""
    try:
        decoded = decode_bytes(path.read_bytes())
        return decoded.text, decoded.encoding
    except OSError as exc:
        err_console.print(f"[red]Error:[/red] cannot read {path}: {exc.strerror}", highlight=False)
    except ValueError as exc:
        err_console.print(f"[red]Error:[/red] {path}: {exc}", highlight=False)
    raise typer.Exit(2)


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="CSV of post or daily metrics (a platform export)."),
    engagement: str = typer.Option(..., "--engagement", help="The engagement id."),
    map_: list[str] = typer.Option(
        [], "--map", help="OURS=THEIRS for a header we do not recognise, e.g. --map impressions=Hits."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Import FILE: good rows are kept, each bad row is named by row and field.

    Example: aicmo metrics import march.csv --engagement en_0123
    """
    from aicmo.domain.schemas.metrics import MetricImport
    from aicmo.services import performance

    text, encoding = read_text(file)
    mapping = dict(m.split("=", 1) for m in map_ if "=" in m)
    with cli_app() as app_:
        migrate.upgrade(app_.settings.resolved_database_url)
        with app_.uow() as uow:
            result = performance.import_metrics(
                uow,
                SYSTEM_ADMIN,
                MetricImport(engagement_id=engagement, csv=text, filename=file.name, mapping=mapping),
            )
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json") | {"encoding": encoding}, indent=2))
        return
    console.print(
        f"imported {result.rows_imported} rows from {file.name} ({encoding}), skipped {len(result.skipped)};"
        f" columns: {', '.join(f'{k}<-{v!r}' for k, v in result.columns.items())}",
        highlight=False,
    )
    for issue in result.skipped:
        console.print(f"  - {issue['field']}: {issue['message']}", highlight=False)


def fmt(name: str, value: float | None) -> str:
    if value is None:
        return "no data"
    if name in RATES:
        return f"{value:.2%}"
    if name in {"sentiment", "roas", "cost_per_result"}:
        return f"{value:,.2f}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


@app.command()
def kpis(
    engagement: str = typer.Option(..., "--engagement", help="The engagement id."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Print the engagement's KPIs: totals and per platform, with the rows behind each figure."""
    from aicmo.services import performance

    with cli_app() as app_, app_.uow() as uow:
        report = performance.kpi_report(uow, SYSTEM_ADMIN, engagement)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    columns: dict[str, KpiSet] = {"total": report.total, **report.by_platform}
    table = Table(title=f"KPIs of {engagement} ({report.total.rows} rows, {len(report.imports)} imports)")
    table.add_column("kpi")
    for name in columns:
        table.add_column(name, justify="right")
    for figure in FIGURES:
        table.add_row(figure, *(fmt(figure, getattr(k, figure).value) for k in columns.values()))
    console.print(table)


@app.command()
def insights(
    engagement: str = typer.Option(..., "--engagement", help="The engagement id."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """What the measured posts teach: rates per pillar, format, platform and slot with 95 % intervals."""
    from aicmo.services import learning

    with cli_app() as app_, app_.uow() as uow:
        report = learning.learning_report(uow, SYSTEM_ADMIN, engagement)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    console.print(report.note, highlight=False)
    for comparison in report.comparisons:
        console.print(f"- {comparison.sentence}", highlight=False)


@app.command()
def goals(
    engagement: str = typer.Option(..., "--engagement", help="The engagement id."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Progress against the brief's KPI targets: each target as parsed, why it is ambiguous when it
    is, the measured value with its rows, and the target pro-rated to the days of data."""
    from aicmo.services import goals as goal_service

    with cli_app() as app_, app_.uow() as uow:
        report = goal_service.goal_report(uow, SYSTEM_ADMIN, engagement)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    console.print(f"targets ({report.source}): {report.targets_text or 'none stated'}", highlight=False)
    table = Table(title=f"Goal progress over {report.data_days} day(s) of data")
    for name in ("target", "read as", "kpi", "actual", "expected", "progress", "status", "ambiguous"):
        table.add_column(name)
    for g in report.goals:
        table.add_row(
            g.raw,
            g.parsed.reading,
            g.kpi or "not measurable",
            fmt(g.kpi or "", g.actual),
            fmt(g.kpi or "", g.expected),
            f"{g.progress_pct:.0f}%" if g.progress_pct is not None else "-",
            g.status,
            "; ".join(g.ambiguous) or "clear",
        )
    console.print(table)
