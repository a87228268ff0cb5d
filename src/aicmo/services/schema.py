"""Schema bootstrap from the API (the System tab's button): migrations to head, tables before/after."""

from __future__ import annotations

from pydantic import BaseModel

from aicmo.adapters.db import migrate
from aicmo.config import Settings
from aicmo.domain.roles import Principal
from aicmo.services.access import require_admin


class BootstrapReport(BaseModel):
    database: str
    revision_before: str | None
    revision_after: str | None
    head: str
    tables_before: list[str]
    tables_after: list[str]
    created: list[str]


def bootstrap_schema(settings: Settings, principal: Principal) -> BootstrapReport:
    """Apply every pending migration (idempotent: at head it changes nothing). Admins only."""
    require_admin(principal)
    report = migrate.upgrade(settings.resolved_database_url)
    before, after = report.before, report.after
    return BootstrapReport(
        database=settings.masked_database_url,
        revision_before=before.current,
        revision_after=after.current,
        head=after.head,
        tables_before=before.tables,
        tables_after=after.tables,
        created=sorted(set(after.tables) - set(before.tables)),
    )
