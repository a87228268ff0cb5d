"""Liveness and readiness: no token needed."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from aicmo import __version__
from aicmo.adapters.db.migrate import head_revision
from aicmo.entrypoints.api.deps import AppDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(app: AppDep) -> dict[str, str]:
    return {"status": "ok", "version": __version__, "started_at": app.started_at.isoformat()}


@router.get("/readyz")
def readyz(app: AppDep) -> JSONResponse:
    """Ready when the database answers and its schema is at the migration head."""
    database: dict[str, object] = {"url": app.settings.masked_database_url}
    ready = True
    try:
        with app.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        database.update(ok=True, dialect=app.engine.dialect.name, revision=revision, head=head_revision())
        if revision != head_revision():
            ready = False
            database["error"] = "schema is not at head: run `aicmo db upgrade`"
    except Exception as exc:  # readiness reports, it never raises
        ready = False
        database.update(ok=False, error=type(exc).__name__ + ": run `aicmo db upgrade` or check the URL")
    provider = app.settings.llm_provider
    body = {"status": "ready" if ready else "not ready", "database": database, "provider": provider}
    return JSONResponse(body, status_code=200 if ready else 503)
