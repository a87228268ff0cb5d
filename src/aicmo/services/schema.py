"""Schema bootstrap from the API (the System tab's button): migrations to head, tables before/after."""

from __future__ import annotations

import threading

from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from aicmo.adapters.db import migrate
from aicmo.config import Settings
from aicmo.domain.errors import Conflict
from aicmo.domain.roles import Principal
from aicmo.services.access import require_admin

_one_at_a_time = threading.Lock()  # two clicks in this process wait for each other


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
    url = settings.resolved_database_url
    with _one_at_a_time:
        before = migrate.schema_state(url)
        try:
            migrate.upgrade(url)
        except SQLAlchemyError as exc:  # another process migrated at the same moment
            if not migrate.schema_state(url).at_head:
                raise Conflict("another migration is running: try again in a moment") from exc
        after = migrate.schema_state(url)
    return BootstrapReport(
        database=settings.masked_database_url,
        revision_before=before.current,
        revision_after=after.current,
        head=after.head,
        tables_before=before.tables,
        tables_after=after.tables,
        created=sorted(set(after.tables) - set(before.tables)),
    )
