"""System status for the console header and banners: build, database, migrations, provider."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import text

from aicmo import __version__
from aicmo.adapters.db.migrate import head_revision
from aicmo.adapters.llm.registry import llm_status
from aicmo.bootstrap import App
from aicmo.domain.schemas.system import BuildInfo, DatabaseStatus, SystemStatus


@lru_cache(maxsize=1)
def git_revision() -> str:
    """The checkout's short commit, or 'unknown' outside a git checkout."""
    root = Path(__file__).resolve().parents[3]
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=2,
            check=True,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def database_status(app: App) -> DatabaseStatus:
    status = DatabaseStatus(ok=False, url=app.settings.masked_database_url, head=head_revision())
    try:
        with app.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            status.dialect = app.engine.dialect.name
            try:
                status.revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except Exception:
                status.revision = None
        status.ok = True
        status.at_head = status.revision == status.head
        if not status.at_head:
            status.error = "schema not at head: run `aicmo db upgrade`"
    except Exception as exc:  # a status report never raises
        status.error = f"{type(exc).__name__}: cannot connect"
    return status


def public_settings(app: App) -> dict[str, Any]:
    """Configuration safe to show: secrets reduced to set/unset, URLs masked."""
    s = app.settings
    return {
        "database_url": s.masked_database_url,
        "data_dir": str(Path(s.data_dir).resolve()),
        "llm_provider": s.llm_provider,
        "llm_model": s.llm_model,
        "llm_base_url": llm_status(s).base_url,
        "llm_api_key": "set" if s.llm_api_key else "unset",
        "admin_token": "set" if s.admin_token else "unset",
        "runner_concurrency": s.runner_concurrency,
    }


def system_status(app: App) -> SystemStatus:
    return SystemStatus(
        build=BuildInfo(
            version=__version__, git_revision=git_revision(), started_at=app.started_at.isoformat()
        ),
        database=database_status(app),
        provider=llm_status(app.settings),
        settings=public_settings(app),
    )
