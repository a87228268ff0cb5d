"""`aicmo ui`: the operator console alone (Streamlit), pointed at an API by AICMO_BACKEND_URL."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from aicmo.entrypoints.cli._common import console, local_api_token

APP = Path(__file__).resolve().parents[1] / "console" / "app.py"


def streamlit_command(host: str, port: int, app: Path = APP) -> list[str]:
    """`streamlit run` with headless, private settings (no browser, no usage stats, no tracebacks)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--browser.gatherUsageStats",
        "false",
        "--client.showErrorDetails",
        "none",
        "--client.toolbarMode",
        "minimal",
        "--theme.base",
        "light",
    ]


def _console_env() -> dict[str, str]:
    """The environment for the console: the local admin token when no API token is configured."""
    env = dict(os.environ)
    if not env.get("AICMO_API_TOKEN") and (token := local_api_token()):
        env["AICMO_API_TOKEN"] = token
    return env


def ui(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8501, help="Console port."),
) -> None:
    """Serve the operator console alone; it talks to the API at AICMO_BACKEND_URL.

    Example: AICMO_BACKEND_URL=http://127.0.0.1:8000 aicmo ui --port 8501
    """
    env = _console_env()
    backend = env.get("AICMO_BACKEND_URL") or env.get("BACKEND_URL") or "http://127.0.0.1:8000"
    console.print(f"AICMO console on http://{host}:{port}  (API {backend})", highlight=False)
    command = streamlit_command(host, port)
    sys.stdout.flush()
    os.execve(sys.executable, command, env)  # become Streamlit: signals reach it directly
