"""Liveness and readiness: no token needed. Readiness answers within `READY_DEADLINE_S` whatever the
database does (a host that accepts and never answers included)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from aicmo import __version__
from aicmo.adapters.db.migrate import head_revision
from aicmo.bootstrap import App
from aicmo.entrypoints.api.deps import AppDep
from aicmo.services.disk import disk_space

READY_DEADLINE_S = 1.5

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(app: AppDep) -> dict[str, str]:
    return {"status": "ok", "version": __version__, "started_at": app.started_at.isoformat()}


@router.get("/readyz")
async def readyz(app: AppDep) -> JSONResponse:
    """Ready when the database answers (within 1.5 s), its schema is at the migration head, and the
    disk has the configured free space."""
    database: dict[str, Any] = {"url": app.settings.masked_database_url}
    try:
        database.update(await asyncio.wait_for(asyncio.to_thread(_database_check, app), READY_DEADLINE_S))
    except TimeoutError:
        database.update(ok=False, error=f"database unavailable: no answer within {READY_DEADLINE_S} s")
    except Exception as exc:  # readiness reports, it never raises
        database.update(
            ok=False,
            error=f"database unavailable ({type(exc).__name__}): run `aicmo doctor` or check the URL",
        )
    places = await asyncio.to_thread(disk_space, app.settings)
    disk = {"ok": all(p.ok for p in places), "free_mb": min(p.free_bytes // 2**20 for p in places)}
    if not disk["ok"]:
        disk["error"] = "disk almost full: " + "; ".join(p.describe() for p in places if not p.ok)
    ready = bool(database.get("ok")) and not database.get("error") and disk["ok"]
    provider = app.settings.llm_provider
    body = {
        "status": "ready" if ready else "not ready",
        "database": database,
        "disk": disk,
        "provider": provider,
    }
    return JSONResponse(body, status_code=200 if ready else 503)


def _database_check(app: App) -> dict[str, Any]:
    with app.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    result: dict[str, Any] = {"ok": True, "dialect": app.engine.dialect.name, "revision": revision}
    result["head"] = head_revision()
    if revision != result["head"]:
        result["error"] = "schema is not at head: run `aicmo db upgrade`"
    return result
