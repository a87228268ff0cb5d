"""Engine and session factory. Nothing here runs at import time."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from aicmo.adapters.db import checkpointer, liveness, sqlite_gate

DEFAULT_CONNECT_TIMEOUT_S = 5.0
DEFAULT_BUSY_TIMEOUT_S = 15.0


def _sqlite_pragmas(busy_timeout_s: float, autocheckpoint_pages: int | None = None):
    def apply(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        # first: switching to WAL may wait for a migrator
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if autocheckpoint_pages is not None:
            cursor.execute(f"PRAGMA wal_autocheckpoint={autocheckpoint_pages}")
        cursor.close()

    return apply


_LONG_NUMBER = re.compile(r"\d{19}")  # may be past 64 bits, which orjson reads as a float
_LONG_NUMBER_BYTES = re.compile(rb"\d{19}")


def json_loads(data: str | bytes) -> Any:
    """A JSON column's value, parsed by orjson (in C: a plan's jobs carry hundreds of small JSON
    values per read, and the standard parser's Python layers cost more than the parsing). What
    orjson would read differently from what `json.dumps` stored goes to the standard library: NaN
    and infinities (refused) and integers past 64 bits (read as floats), found by any run of 19
    digits."""
    long_number = _LONG_NUMBER.search(data) if isinstance(data, str) else _LONG_NUMBER_BYTES.search(data)
    if long_number is None:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(data)


def make_engine(
    url: str,
    *,
    connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S,
    statement_timeout_s: float | None = None,
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    background_checkpoints: bool = False,
) -> Engine:
    """An engine for `url` that fails fast when the database does not answer.

    SQLite gets WAL, foreign keys, a busy timeout (how long a write waits for another writer), the
    in-process write gate (`sqlite_gate`) and its folder created. PostgreSQL gets a connect timeout
    (a host that accepts and never answers fails in `connect_timeout_s`), a pool checkout timeout,
    a liveness check for connections that sat idle in the pool (`liveness`) and, when given, a
    server-side `statement_timeout` (the API sets one; migrations and backups do not). With
    `background_checkpoints` a SQLite file's WAL checkpoints run on a thread of their own
    (`checkpointer`), not inside the commit that fills the log: the application's engine.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": busy_timeout_s,
                "factory": sqlite_gate.GatedConnection,
            },
            json_deserializer=json_loads,
            # No pre-ping: a connection to a local file cannot go stale, and the ping was one more
            # statement on every checkout (a job checks out several).
        )
        database = parsed.database
        in_background = background_checkpoints and bool(database) and database != ":memory:"
        pages = checkpointer.FALLBACK_PAGES if in_background else None
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_s, pages))
        sqlite_gate.install(engine)
        if in_background:
            _checkpoint_in_background(engine, str(Path(database).expanduser()))
        return engine
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("psycopg", "psycopg2"):
        connect_args["connect_timeout"] = max(1, math.ceil(connect_timeout_s))
        if statement_timeout_s:
            option = f"-c statement_timeout={int(statement_timeout_s * 1000)}"
            existing = parsed.query.get("options")
            connect_args["options"] = f"{existing} {option}" if isinstance(existing, str) else option
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_timeout=max(1.0, 2 * connect_timeout_s),
        connect_args=connect_args,
        json_deserializer=json_loads,
    )
    liveness.ping_when_idle(engine)  # not `pool_pre_ping`: a ping on every checkout
    return engine


def _checkpoint_in_background(engine: Engine, database: str) -> None:
    worker = checkpointer.WalCheckpointer(database)
    event.listen(engine, "commit", lambda _connection: worker.poke())
    event.listen(engine, "engine_disposed", lambda _engine: worker.close())
    checkpointer.WORKERS[engine] = worker


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
