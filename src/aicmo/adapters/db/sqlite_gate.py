"""One writer at a time per SQLite file within this process, queued on a lock rather than polled.

SQLite lets one connection write at a time. A second writer waits in SQLite's busy handler, which
polls with growing sleeps (1, 2, 5 … 100 ms) and so usually wakes well after the lock came free.
When several threads of one process finish work at the same moment (the jobs of a plan that fan
back in to one artifact), those sleeps, not the writes, were most of the wait. Here the threads of
this process queue on a lock taken just before a transaction's first write (or its explicit
`BEGIN IMMEDIATE`) and released as soon as the connection is out of that transaction (commit,
rollback, close, or a statement run in autocommit mode), so the next writer starts the moment the
previous one is done. Writers in other processes still meet SQLite's own lock and busy timeout.

pysqlite opens a transaction only at the first INSERT/UPDATE/DELETE (reads before it run in
autocommit), so taking the lock there never holds it across a read-only stretch.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event

# Statements that take (or may take) SQLite's write lock; DDL included for migrations.
_WRITES = re.compile(
    r"(?:\s|--[^\n]*(?:\n|$)|/\*.*?\*/)*"  # leading blanks and comments, as SQLite skips them
    r"(?:INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|BEGIN\s+(?:IMMEDIATE|EXCLUSIVE))\b",
    re.IGNORECASE | re.DOTALL,
)
WAIT_S = 15.0  # as long as SQLite's busy timeout; after it, SQLite's own lock decides


class _Gate:
    """A lock any thread may release (a connection may be closed by another thread), with its owner."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.owner: int | None = None


_gates: dict[str, _Gate] = {}
_gates_guard = threading.Lock()


def _gate_for(database: str) -> _Gate:
    with _gates_guard:
        return _gates.setdefault(database, _Gate())


class GatedConnection(sqlite3.Connection):
    """A pysqlite connection that hands the process's write lock back when its transaction ends.

    A thread that already holds the lock through another connection does not wait for it again:
    its second writer meets SQLite's lock (a busy wait), exactly as without the gate.
    """

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self._gate = _gate_for(str(database))
        self._holds = False

    @property
    def holds_write_lock(self) -> bool:
        return self._holds

    def take_write_lock(self) -> None:
        gate, me = self._gate, threading.get_ident()
        if self._holds or gate.owner == me:
            return
        if gate.lock.acquire(timeout=WAIT_S):
            gate.owner = me
            self._holds = True

    def release_write_lock(self) -> None:
        if self._holds:
            self._holds = False
            self._gate.owner = None
            self._gate.lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.release_write_lock()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.release_write_lock()

    def __exit__(self, *exc: Any) -> Any:  # `with connection:` commits or rolls back in C
        try:
            return super().__exit__(*exc)
        finally:
            if not self.in_transaction:
                self.release_write_lock()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.release_write_lock()


def install(engine: Engine) -> None:
    """Take the write lock before the first write statement of each transaction on `engine`
    (whose connections must be `GatedConnection`s: `connect_args={"factory": GatedConnection}`),
    and give it back as soon as the connection is out of its transaction (commit, rollback, an
    explicit COMMIT, or a statement run in autocommit mode)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        dbapi = cursor.connection
        if isinstance(dbapi, GatedConnection) and _WRITES.match(statement):
            dbapi.take_write_lock()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(_conn: Any, cursor: Any, *_args: Any) -> None:
        dbapi = cursor.connection
        if isinstance(dbapi, GatedConnection) and not dbapi.in_transaction:
            dbapi.release_write_lock()
