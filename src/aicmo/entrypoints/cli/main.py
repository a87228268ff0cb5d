"""The `aicmo` command: noun then verb (`aicmo db upgrade`, `aicmo token create`).

Each command's module is imported when that command runs, not at start: importing all of them
(every service, the exporters, the console's server) took about a second more than any one command
needs, on every call an operator or a script makes. `aicmo --help` still lists them all (it loads
them to read their help)."""

from __future__ import annotations

import importlib
import os

import click
import typer
from typer.core import TyperGroup

from aicmo import __version__
from aicmo.observability.logging import configure_logging

# name -> (module under aicmo.entrypoints.cli, attribute): a Typer is a group of commands (`aicmo
# db upgrade`), a function one command (`aicmo serve`).
COMMANDS: dict[str, tuple[str, str]] = {
    "brief": ("brief", "app"),
    "db": ("db", "app"),
    "token": ("token", "app"),
    "plan": ("plan", "app"),
    "metrics": ("metrics", "app"),
    "listening": ("listening", "app"),
    "learning": ("learning", "app"),
    "campaign": ("campaign", "app"),
    "leads": ("leads", "app"),
    "outreach": ("outreach", "app"),
    "worker": ("plan", "worker"),
    "api": ("serve", "api"),
    "serve": ("serve", "serve"),
    "ui": ("ui", "ui"),
    "pipeline": ("pipeline", "pipeline"),
    "export": ("export", "export"),
    "doctor": ("doctor", "doctor"),
    "selftest": ("selftest", "selftest"),
    "smoke": ("smoke", "smoke"),
    "ops-ui": ("ops", "ops_ui"),
    "backup": ("backup", "backup"),
    "restore": ("backup", "restore"),
}


def load_command(name: str) -> click.Command:
    """The click command `name` stands for, its module imported now."""
    module_name, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(f"aicmo.entrypoints.cli.{module_name}"), attribute)
    if isinstance(target, typer.Typer):
        group = typer.main.get_group(target)
        group.name = name
        return group
    single = typer.Typer(add_completion=False)
    single.command(name=name)(target)
    return typer.main.get_command(single)


class LazyGroup(TyperGroup):
    """The root group: commands from `COMMANDS` are loaded on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in COMMANDS:
            command = load_command(cmd_name)
            self.add_command(command, cmd_name)
        return command


app = typer.Typer(
    cls=LazyGroup,
    help="AICMO: AI marketing operations console. Start with `aicmo serve`.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def _configure_logging() -> None:
    # JSON, redacted log lines on stderr; quiet (WARNING) unless AICMO_LOG_LEVEL says otherwise
    configure_logging(level=os.environ.get("AICMO_LOG_LEVEL", "WARNING"))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


if __name__ == "__main__":
    app()
