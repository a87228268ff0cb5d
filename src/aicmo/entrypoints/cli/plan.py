"""`aicmo plan run|show ENGAGEMENT` and `aicmo worker`: the generation plan from the command line.

Services are imported inside the commands: they load every generator, which `aicmo db …` and
`aicmo doctor` must not depend on.
"""

from __future__ import annotations

import signal
import threading

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from aicmo.adapters.db import migrate
from aicmo.domain.schemas.plans import PlanPublic
from aicmo.entrypoints.cli._common import cli_app, console
from aicmo.services.tokens import SYSTEM_ADMIN

app = typer.Typer(help="Generation plans: run and inspect.", no_args_is_help=True)


def _table(plan: PlanPublic) -> Table:
    table = Table(title=f"plan {plan.id} ({plan.state.value}, autonomy {plan.autonomy_level.value})")
    for column in ("job", "status", "attempts", "llm calls", "note"):
        table.add_column(column)
    for job in plan.jobs:
        note = job.error or job.blocked_reason
        table.add_row(job.key, job.status.value, str(job.attempts), str(job.llm_calls), note[:70])
    return table


@app.command()
def show(engagement: str) -> None:
    """Print the plan's jobs and their states."""
    from aicmo.services import plans

    with cli_app() as app_, app_.uow() as uow:
        plan = plans.get_plan_for_engagement(uow, SYSTEM_ADMIN, engagement)
    console.print(_table(plan))


@app.command()
def run(
    engagement: str,
    watch: bool = typer.Option(False, "--watch", help="Show a progress bar until the plan settles."),
    timeout: float = typer.Option(600.0, help="Give up watching after this many seconds."),
) -> None:
    """Run every ready job (and what becomes ready) until the plan waits on a person or is done."""
    from aicmo.services import plans
    from aicmo.services.plan_watch import wait_for_plan
    from aicmo.services.unit_of_work import retry_conflicts

    with cli_app() as app_:
        migrate.upgrade(app_.settings.resolved_database_url)
        if app_.settings.runner_mode == "embedded":
            app_.start_engine()
        with app_.uow() as uow:
            plan = plans.create_or_refresh(uow, SYSTEM_ADMIN, engagement)
        plan, dispatch = retry_conflicts(app_.uow, lambda uow: plans.run_ready(uow, SYSTEM_ADMIN, plan.id))
        app_.dispatch(dispatch)
        if not watch and app_.settings.runner_mode == "external":
            console.print(f"queued {len(dispatch)} job(s) for the workers")
            return
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not watch,
        ) as progress:
            bar = progress.add_task("plan", total=plan.progress.total)

            def update(current: PlanPublic) -> None:
                running = [j.key for j in current.jobs if j.status.value == "running"]
                progress.update(
                    bar,
                    completed=current.progress.completed,
                    total=current.progress.total,
                    description=", ".join(running[:3]) or "plan",
                )

            final = wait_for_plan(app_.uow, SYSTEM_ADMIN, plan.id, timeout_s=timeout, on_change=update)
    console.print(_table(final))
    if any(j.status.value == "failed" for j in final.jobs):
        raise typer.Exit(1)


def worker(
    worker_id: str = typer.Option(None, "--id", help="This worker's identity (default AICMO_WORKER_ID)."),
) -> None:
    """Run plan jobs from the queue until stopped (SIGTERM / Ctrl-C). Many may run on many hosts."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with cli_app() as app_:
        migrate.upgrade(app_.settings.resolved_database_url)
        runtime = app_.start_engine(worker_id=worker_id)
        console.print(
            f"worker {runtime.worker_id} running jobs (database {app_.settings.masked_database_url})",
            highlight=False,
        )
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
