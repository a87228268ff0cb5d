"""An import's new leads stored in bulk, part by part, inside the caller's transaction.

The service hands over each part of a CSV as columns (`add`): the rows' own values, the score and
enrichment sets new in this part (many rows share one) with each row's set, and once, the values
every row has. Every value goes through its column type's own bind processor (JSON, UTC datetimes),
a shared or common one once.

SQLite: a single-thread executor runs, for each part, one `INSERT ... SELECT` over a multi-row
`VALUES` list joined to a temporary table of the sets. The sqlite3 module lets go of the GIL while a
statement runs, so one statement of thousands of rows stores a part while the caller checks the
next (a statement per row would hand the GIL back and forth thousands of times); the connection is
used by that one thread until `close`, which waits for it. PostgreSQL: the rows stream through one
`COPY ... FROM STDIN`, whose queued writer sends a block while the next is formatted.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from itertools import chain, islice
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.exc import DBAPIError

from aicmo.adapters.db.tables import LeadRow

_AHEAD = 2  # parts handed to the SQLite thread and not yet stored: bounds the memory held


class LeadBulkInsert:
    """`with LeadBulkInsert(connection, common) as writer: writer.add(...)`; leaving the block
    waits until every part is stored, and raises what the database refused."""

    def __init__(self, connection: Connection, common: Mapping[str, Any]) -> None:
        self._connection = connection
        self._common = dict(common)
        compiled = insert(LeadRow.__table__).compile(
            dialect=connection.dialect, column_keys=[c.key for c in LeadRow.__table__.columns]
        )
        self._processors: Mapping[str, Callable[[Any], Any]] = compiled._bind_processors
        self._backend: _SqliteParts | _CopyRows | None = None
        self._joined: list[str] = []

    def __enter__(self) -> LeadBulkInsert:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._backend is not None:
            with self._as_sqlalchemy_errors():
                self._backend.close(failed=exc is not None)

    @contextmanager
    def _as_sqlalchemy_errors(self) -> Iterator[None]:
        """The driver's errors as SQLAlchemy's (`IntegrityError` ...), as a session's statement
        raises them: these statements run on the driver's connection, past SQLAlchemy."""
        driver_error = self._connection.dialect.loaded_dbapi.Error
        try:
            yield
        except driver_error as exc:
            raise DBAPIError.instance(None, None, exc, driver_error) from exc

    def add(
        self,
        columns: Mapping[str, Sequence[Any]],
        shared: Sequence[Mapping[str, Any]],
        shared_of: Sequence[int],
    ) -> None:
        """Rows given column by column (`columns`: each column's value in every row), the sets new
        in this call (numbered after those of earlier calls) and each row's set (`shared_of`)."""
        if not shared_of:
            return
        own = list(columns)
        if self._backend is None:
            joined = [k for k in shared[0] if k not in columns]
            fixed = {k: v for k, v in self._common.items() if k not in columns and k not in joined}
            fixed = {k: self._processed(k, [v])[0] for k, v in fixed.items()}
            quote = self._connection.dialect.identifier_preparer.quote
            statement_for = _SqliteParts if self._connection.dialect.name == "sqlite" else _CopyRows
            raw = self._connection.connection.driver_connection
            self._backend = statement_for(raw, quote, own, joined, fixed)
            self._joined = joined
        values = [self._processed(k, columns[k]) for k in own]
        sets = list(zip(*(self._processed(k, [s[k] for s in shared]) for k in self._joined), strict=True))
        with self._as_sqlalchemy_errors():
            self._backend.add(values, sets, shared_of)

    def _processed(self, key: str, values: Sequence[Any]) -> Sequence[Any]:
        process = self._processors.get(key)
        if not process or not values:
            return values
        if len(set(map(type, values))) == 1 and not isinstance(values[0], list | dict):
            distinct = {value: process(value) for value in set(values)}  # few: each processed once
            return list(map(distinct.__getitem__, values))
        return list(map(process, values))


class _SqliteParts:
    """Each part through one statement on a thread of its own (see the module's docstring)."""

    def __init__(
        self,
        raw: sqlite3.Connection,
        quote: Callable[[str], str],
        own: list[str],
        joined: list[str],
        fixed: dict,
    ) -> None:
        self._raw = raw
        self._own_width = len(own) + 1  # the row's set number rides along
        self._fixed = tuple(fixed.values())
        picked = [*(f"v.column{n + 1}" for n in range(len(own))), *(f"s.{quote(k)}" for k in joined)]
        picked += ["?"] * len(fixed)
        target = ", ".join(map(quote, [*own, *joined, *fixed]))
        self._head = (
            f"INSERT INTO {quote(LeadRow.__tablename__)} ({target}) SELECT {', '.join(picked)} FROM (VALUES "
        )
        self._tail = (
            ") AS v CROSS JOIN temp.lead_import_sets AS s "  # CROSS JOIN: the rows in file order
            f"WHERE s.slot = v.column{self._own_width}"
        )
        self._set_head = "INSERT INTO temp.lead_import_sets SELECT * FROM (VALUES "
        self._set_width = len(joined) + 1
        self._sets = 0
        self._limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self._statements: dict[tuple[str, int], str] = {}
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="aicmo-lead-insert")
        self._pending: deque[Future[None]] = deque()
        self._refused: BaseException | None = None
        self._prepare = [
            "DROP TABLE IF EXISTS temp.lead_import_sets",
            f"CREATE TEMP TABLE lead_import_sets (slot INTEGER PRIMARY KEY, {', '.join(map(quote, joined))})",
        ]

    def add(self, values: list[Sequence[Any]], sets: list[tuple[Any, ...]], shared_of: Sequence[int]) -> None:
        numbered = [(self._sets + n, *row) for n, row in enumerate(sets)]
        self._sets += len(sets)
        statements = [
            *self._inserts(self._set_head, ")", (), iter(numbered), self._set_width),
            *self._inserts(
                self._head, self._tail, self._fixed, zip(*values, shared_of, strict=True), self._own_width
            ),
        ]
        self._pending.append(self._thread.submit(self._store, statements))
        while len(self._pending) > _AHEAD:
            self._pending.popleft().result()

    def _inserts(
        self, head: str, tail: str, fixed: tuple[Any, ...], rows: Iterator[tuple[Any, ...]], width: int
    ) -> Iterator[tuple[str, list[Any]]]:
        """`rows` in statements of as many as SQLite binds at once, each with its parameters (the
        `fixed` ones first: they come first in the statement's text)."""
        per = max(1, (self._limit - len(fixed)) // width)
        while True:
            parameters = list(fixed)
            parameters.extend(chain.from_iterable(islice(rows, per)))
            count = (len(parameters) - len(fixed)) // width
            if not count:
                return
            key = (head, count)
            if key not in self._statements:
                values = ", ".join(["(" + ", ".join("?" * width) + ")"] * count)
                self._statements[key] = f"{head}{values}{tail}"
            yield self._statements[key], parameters

    def close(self, *, failed: bool) -> None:
        """Wait for every part (and raise the first refusal), then drop the temporary table."""
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._thread.shutdown(wait=True)
        if not failed:
            self._raw.execute("DROP TABLE temp.lead_import_sets")

    def _store(self, statements: list[tuple[str, list[Any]]]) -> None:
        """One part, on the thread: its new sets, then its rows, a few statements of thousands of
        rows (the thread waits for the GIL once a statement, not once a row)."""
        if self._refused is not None:  # what follows a refused part is not stored either
            raise self._refused
        try:
            if self._prepare:
                for statement in self._prepare:
                    self._raw.execute(statement)
                self._prepare = []
            for statement, parameters in statements:
                self._raw.execute(statement, parameters)
        except BaseException as exc:
            self._refused = exc
            raise


class _CopyRows:
    """Every row through one COPY in the session's transaction (100,000 leads: 7.9 s with
    executemany, about 4 s here, most of the rest PostgreSQL's own insert and key checks). A JSON
    value is encoded once, as text, and COPY reads it as its column's type."""

    def __init__(
        self, raw: Any, quote: Callable[[str], str], own: list[str], joined: list[str], fixed: dict
    ) -> None:
        from psycopg.copy import QueuedLibpqWriter  # only a PostgreSQL deployment loads the driver

        self._raw = raw
        self._common = tuple(map(self._as_copied, fixed.values()))
        target = ", ".join(map(quote, [*own, *joined, *fixed]))
        self._shared: list[tuple[Any, ...]] = []
        self._open = ExitStack()
        cursor = self._open.enter_context(raw.cursor())
        statement = f"COPY {quote(LeadRow.__tablename__)} ({target}) FROM STDIN"
        self._copy = self._open.enter_context(cursor.copy(statement, writer=QueuedLibpqWriter(cursor)))

    def _as_copied(self, value: Any) -> Any:
        """A JSON value as its text, by the driver's own dumper: once for a set many rows share."""
        from psycopg.adapt import PyFormat
        from psycopg.types.json import Json, Jsonb

        if not isinstance(value, Json | Jsonb):
            return value
        dumped = self._raw.adapters.get_dumper(type(value), PyFormat.TEXT)(type(value), self._raw).dump(value)
        return bytes(dumped).decode() if dumped is not None else None

    def add(self, values: list[Sequence[Any]], sets: list[tuple[Any, ...]], shared_of: Sequence[int]) -> None:
        self._shared.extend(tuple(map(self._as_copied, row)) for row in sets)
        shared, common, write = self._shared, self._common, self._copy.write_row
        for row, slot in zip(zip(*values, strict=True), shared_of, strict=True):
            write((*row, *shared[slot], *common))

    def close(self, *, failed: bool) -> None:
        """End the COPY; after a failure, only let go of it (the transaction is rolled back)."""
        try:
            self._open.close()
        except Exception:
            if not failed:
                raise
