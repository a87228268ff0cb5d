"""`aicmo api` and `aicmo serve`: run the API (and the console) on embedded defaults."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import typer
from sqlalchemy.exc import SQLAlchemyError

from aicmo.adapters.db import migrate
from aicmo.config import Settings, get_settings
from aicmo.entrypoints.cli._common import console


def api(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8000, help="Port."),
    workers: int = typer.Option(1, help="Worker processes."),
) -> None:
    """Serve the REST API (OpenAPI at /docs)."""
    import uvicorn

    settings = get_settings()
    console.print(
        f"AICMO API on http://{host}:{port}  (database {settings.masked_database_url})", highlight=False
    )
    uvicorn.run(
        "aicmo.entrypoints.api.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=None,  # keep the JSON logging asgi.py installs; requests are logged by our middleware
        access_log=False,
        factory=False,
    )


def local_admin_token(settings: Settings) -> str:
    """The admin token for a laptop install: from the environment, else kept in data_dir (mode 600)."""
    if settings.admin_token is not None:
        return settings.admin_token.get_secret_value()
    path = Path(settings.data_dir) / "admin_token"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    token = "aicmo_local_" + secrets.token_urlsafe(24)
    path.write_text(token)
    path.chmod(0o600)
    return token


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    api_port: int = typer.Option(8000, help="API port."),
    ui_port: int = typer.Option(8501, help="Console port."),
    migrate_first: bool = typer.Option(True, "--migrate/--no-migrate", help="Apply migrations first."),
) -> None:
    """Migrate, then run the API and the operator console together (Ctrl-C stops both)."""
    settings = get_settings()
    if migrate_first:
        try:
            report = migrate.upgrade(settings.resolved_database_url)
            console.print(
                f"database {settings.masked_database_url} at {report.after.current}", highlight=False
            )
        except SQLAlchemyError as exc:  # serve anyway: /readyz and every route say what is wrong
            console.print(
                f"[yellow]database unavailable[/yellow] ({settings.masked_database_url}: "
                f"{type(exc).__name__}); starting anyway: /readyz reports it, routes answer 503, "
                "`aicmo doctor` diagnoses",
                highlight=False,
            )
    token = local_admin_token(settings)
    env = {
        **os.environ,
        "AICMO_ADMIN_TOKEN": token,
        "AICMO_API_TOKEN": token,
        "AICMO_BACKEND_URL": f"http://{host}:{api_port}",
    }
    exe = [sys.executable, "-m", "aicmo.entrypoints.cli.main"]
    procs = [subprocess.Popen([*exe, "api", "--host", host, "--port", str(api_port)], env=env)]
    if find_spec("aicmo.entrypoints.console.app") is not None:
        procs.append(subprocess.Popen([*exe, "ui", "--host", host, "--port", str(ui_port)], env=env))
        console.print(f"Console: http://{host}:{ui_port}", highlight=False)
    console.print(f"API: http://{host}:{api_port}/docs", highlight=False)
    if settings.admin_token is None:
        console.print(f"admin token kept in {Path(settings.data_dir) / 'admin_token'} (not printed)")

    def _stop(*_: object) -> None:
        for proc in procs:
            proc.terminate()

    signal.signal(signal.SIGTERM, _stop)
    try:
        while all(proc.poll() is None for proc in procs):
            try:
                procs[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
    except KeyboardInterrupt:
        pass
    finally:
        _stop()
        for proc in procs:
            proc.wait(timeout=10)
