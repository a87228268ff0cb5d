"""`aicmo listening import|report`: an engagement's social-listening mentions (SPEC §7 monitoring)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from aicmo.adapters.db import migrate
from aicmo.entrypoints.cli._common import cli_app, console
from aicmo.entrypoints.cli.metrics import read_text
from aicmo.services.tokens import SYSTEM_ADMIN

app = typer.Typer(
    help="Social listening: import mention exports, read topics and sentiment.", no_args_is_help=True
)


@app.command("import")
def import_(
    file: Path = typer.Argument(
        ..., help="CSV of mentions: date, platform, text (author, reach, sentiment)."
    ),
    engagement: str = typer.Option(..., "--engagement", help="The engagement id."),
    map_: list[str] = typer.Option([], "--map", help="OURS=THEIRS for a header we do not recognise."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Import FILE: good rows are kept, each bad row is named; a missing sentiment is scored offline.

    Example: aicmo listening import mentions.csv --engagement en_0123
    """
    from aicmo.domain.schemas.listening import MentionImport
    from aicmo.services import listening

    text, encoding = read_text(file)
    mapping = dict(m.split("=", 1) for m in map_ if "=" in m)
    with cli_app() as app_:
        migrate.upgrade(app_.settings.resolved_database_url)
        with app_.uow() as uow:
            result = listening.import_mentions(
                uow,
                SYSTEM_ADMIN,
                MentionImport(engagement_id=engagement, csv=text, filename=file.name, mapping=mapping),
            )
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json") | {"encoding": encoding}, indent=2))
        return
    console.print(
        f"imported {result.rows_imported} mentions from {file.name} ({encoding}), skipped "
        f"{len(result.skipped)}; {result.sentiment_computed} sentiments scored from the text",
        highlight=False,
    )
    for issue in result.skipped:
        console.print(f"  - {issue['field']}: {issue['message']}", highlight=False)


@app.command()
def report(
    engagement: str = typer.Option(..., "--engagement", help="The engagement id."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Print sentiment per week and the topics most mentions use."""
    from aicmo.services import listening

    with cli_app() as app_, app_.uow() as uow:
        result = listening.listening_report(uow, SYSTEM_ADMIN, engagement)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    total = result.total
    if not total.mentions:
        console.print("no mentions imported yet", highlight=False)
        return
    console.print(
        f"{total.mentions} mentions: {total.positive} positive, {total.neutral} neutral, {total.negative} "
        f"negative (mean {total.mean:+.2f}; {total.computed} scored from the text)",
        highlight=False,
    )
    weeks = Table(title="Sentiment by week")
    for name in ("week", "mentions", "mean", "positive", "negative"):
        weeks.add_column(name, justify="right")
    for w in result.weekly:
        s = w.summary
        weeks.add_row(str(w.week), str(s.mentions), f"{s.mean:+.2f}", str(s.positive), str(s.negative))
    console.print(weeks)
    topics = Table(title="Topics")
    for name in ("topic", "mentions", "sentiment"):
        topics.add_column(name)
    for t in result.topics:
        topics.add_row(t.term, str(t.mentions), f"{t.sentiment:+.2f}")
    console.print(topics)
