"""`aicmo ops-ui`: the small ops shell (a second Streamlit app) for when the console will not start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

OPS_APP = Path(__file__).resolve().parents[1] / "ops" / "app.py"


def ops_ui(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8502, help="Port (the console uses 8501)."),
) -> None:
    """Serve the ops shell: sentinels, diagnostics and how to launch the console.

    It imports almost nothing at start-up, so it runs even when parts of AICMO are broken.
    """
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(OPS_APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    typer.echo(f"AICMO ops shell on http://{host}:{port}")
    try:
        raise typer.Exit(subprocess.call(command, env=os.environ.copy()))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


if __name__ == "__main__":  # `python -m aicmo.entrypoints.cli.ops` works when `aicmo` itself will not import
    typer.run(ops_ui)
