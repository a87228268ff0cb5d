"""Checking a pooled PostgreSQL connection before use only when it sat idle for a while.

SQLAlchemy's `pool_pre_ping` sends a statement on every checkout, and a plan job checks a
connection out about ten times (its claim, reads, provider-call record, completion, and DBOS's own
bookkeeping): half of a worker's round trips to the database were these pings. A connection
handed back a moment ago was alive a moment ago; one that sat in the pool may have been dropped
by a server restart, a failover or an idle timeout. So, as HikariCP does with its "alive bypass
window", a connection is pinged only when it was checked in more than `idle_s` seconds ago; a
dead one is replaced before the caller sees it (`DisconnectionError` in a checkout listener).
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, event, exc
from sqlalchemy.pool import Pool

IDLE_S = 1.0  # a connection used within the last second is taken as alive
_CHECKED_IN = "aicmo.checked_in_at"


def ping_when_idle(engine: Engine, *, idle_s: float = IDLE_S, clock: Any = time.monotonic) -> None:
    """Install the check on `engine`'s pool (its listeners survive `engine.dispose()`)."""
    pool: Pool = engine.pool
    dialect = engine.dialect

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_CHECKED_IN] = clock()

    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_CHECKED_IN)
        if since is None or clock() - since < idle_s:
            return  # fresh from connect(), or back in the pool only a moment ago
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(f"pooled connection failed its ping: {error}") from error
        if not alive:
            raise exc.DisconnectionError("pooled connection failed its ping")

    event.listen(pool, "checkin", checked_in)
    event.listen(pool, "checkout", checked_out)
