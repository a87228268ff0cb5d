"""`aicmo` imports a command's module only when that command runs, and still lists every command."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from aicmo.entrypoints.cli.main import COMMANDS, app, load_command


def test_starting_the_cli_imports_no_command_module_and_no_database_layer() -> None:
    probe = (
        "import sys, aicmo.entrypoints.cli.main; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('aicmo.entrypoints.cli.', "
        "'aicmo.bootstrap', 'aicmo.adapters', 'sqlalchemy', 'fastapi')))))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == ["aicmo.entrypoints.cli.main"]  # no database, no API, no command


def test_every_command_loads_and_the_help_lists_them_all() -> None:
    for name in COMMANDS:
        assert load_command(name).name == name
    listed = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert listed.exit_code == 0
    for name in [*COMMANDS, "version"]:
        assert f" {name} " in listed.output, name


def test_a_command_runs_through_the_lazy_group() -> None:
    result = CliRunner().invoke(app, ["brief", "--help"])
    assert result.exit_code == 0 and "template" in result.output
    unknown = CliRunner().invoke(app, ["nosuch"])
    assert unknown.exit_code == 2 and "No such command" in unknown.output
