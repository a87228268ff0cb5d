"""The in-process SQLite write gate: writers of one process queue instead of losing updates or
timing out, the gate comes free on commit, rollback, error and close, and a thread never waits on
a gate it already holds. Real SQLite files, real threads."""

from __future__ import annotations

import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from aicmo.adapters.db import sqlite_gate
from aicmo.adapters.db.engine import make_engine, make_session_factory
from aicmo.adapters.db.unit_of_work import SqlAlchemyUnitOfWork as UnitOfWork

JOIN_S = 10.0  # generous; well under sqlite_gate.WAIT_S, so a leaked gate shows as a hung thread


@dataclass
class Db:
    path: Path
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def gate(self) -> sqlite_gate._Gate:
        return sqlite_gate._gate_for(str(self.path))

    def counter(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one()

    def names(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(text("SELECT name FROM item")).scalars())


def open_db(path: Path) -> Db:
    """A migrated-by-hand file: a one-row counter and a table of named items."""
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        conn.execute(text("CREATE TABLE item (name TEXT PRIMARY KEY)"))
        conn.execute(text("INSERT INTO counter (id, n) VALUES (1, 0)"))
    return Db(path, engine, make_session_factory(engine))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Db]:
    opened = open_db(tmp_path / "gate.db")
    yield opened
    opened.engine.dispose()


def increment(uow: UnitOfWork) -> None:
    """Read-modify-write in Python: safe only because the write lock is taken before the read."""
    uow.lock_for_write()
    n = uow.session.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one()
    uow.session.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1})


def insert_item(uow: UnitOfWork, name: str) -> None:
    uow.session.execute(text("INSERT INTO item (name) VALUES (:name)"), {"name": name})


class Workers:
    """Threads whose exceptions are collected, so a failure in a worker fails the test."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []

    def start(self, target: Callable[[], None]) -> threading.Thread:
        def run() -> None:
            try:
                target()
            except BaseException as exc:
                self.errors.append(exc)

        thread = threading.Thread(target=run, daemon=True)
        self.threads.append(thread)
        thread.start()
        return thread

    def join(self, timeout: float = JOIN_S) -> None:
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        assert not [t for t in self.threads if t.is_alive()], "a worker is still running (stuck on the gate?)"
        assert not self.errors, self.errors


def assert_gate_free(db: Db) -> None:
    """Not held, and a writer in a fresh thread gets through promptly."""
    assert not db.gate.lock.locked()
    assert db.gate.owner is None
    workers = Workers()

    def write() -> None:
        with UnitOfWork(db.sessions) as uow:
            insert_item(uow, "probe")
            uow.commit()

    workers.start(write)
    workers.join(timeout=5.0)
    assert "probe" in db.names()


# 1 -----------------------------------------------------------------------------------------------


def test_concurrent_read_modify_write_after_lock_for_write_loses_no_update(db: Db) -> None:
    threads, rounds = 2, 50
    start = threading.Barrier(threads)
    workers = Workers()

    def work() -> None:
        start.wait(timeout=JOIN_S)
        for _ in range(rounds):
            with UnitOfWork(db.sessions) as uow:
                increment(uow)
                uow.commit()

    for _ in range(threads):
        workers.start(work)
    workers.join(timeout=30.0)
    assert db.counter() == threads * rounds
    assert not db.gate.lock.locked()


def test_the_connection_of_a_session_uses_the_gate_of_its_file(db: Db) -> None:
    with UnitOfWork(db.sessions) as uow:
        uow.lock_for_write()  # first: `session.connection()` would begin the transaction
        dbapi = uow.session.connection().connection.dbapi_connection
        assert isinstance(dbapi, sqlite_gate.GatedConnection)
        assert dbapi._gate is db.gate
        assert db.gate.lock.locked()
        assert db.gate.owner == threading.get_ident()
    assert not db.gate.lock.locked()


# 2 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("b_locks_first", [False, True], ids=["b-plain-insert", "b-lock-for-write"])
def test_a_second_writer_waits_until_the_first_commits(db: Db, b_locks_first: bool) -> None:
    a_holds, a_may_commit = threading.Event(), threading.Event()
    b_started, b_done = threading.Event(), threading.Event()
    order: list[str] = []
    workers = Workers()

    def writer_a() -> None:
        with UnitOfWork(db.sessions) as uow:
            uow.lock_for_write()
            insert_item(uow, "a")
            a_holds.set()
            assert a_may_commit.wait(JOIN_S)
            order.append("a commits")
            uow.commit()

    def writer_b() -> None:
        with UnitOfWork(db.sessions) as uow:
            b_started.set()
            if b_locks_first:
                uow.lock_for_write()
            insert_item(uow, "b")
            uow.commit()
            order.append("b committed")
        b_done.set()

    a = workers.start(writer_a)
    assert a_holds.wait(JOIN_S)
    assert db.gate.owner == a.ident
    workers.start(writer_b)
    assert b_started.wait(JOIN_S)
    assert not b_done.wait(0.3), "B wrote while A held the write lock"
    assert db.names() == set()  # A's row is not visible yet, B's does not exist
    a_may_commit.set()
    workers.join()
    assert b_done.is_set()
    assert order == ["a commits", "b committed"]
    assert db.names() == {"a", "b"}
    assert not db.gate.lock.locked()


# 3 -----------------------------------------------------------------------------------------------


class Boom(Exception):
    pass


def leave_without_commit(db: Db) -> None:
    with UnitOfWork(db.sessions) as uow:
        insert_item(uow, "abandoned")
        assert db.gate.owner == threading.get_ident()


def raise_inside_the_transaction(db: Db) -> None:
    with pytest.raises(Boom), UnitOfWork(db.sessions) as uow:
        uow.lock_for_write()
        insert_item(uow, "abandoned")
        assert db.gate.owner == threading.get_ident()
        raise Boom


def fail_a_write_statement(db: Db) -> None:
    """The gate is taken before the statement runs; the statement then fails (duplicate key)."""
    with UnitOfWork(db.sessions) as uow:
        insert_item(uow, "dup")
        uow.commit()
    with pytest.raises(Exception, match="UNIQUE"), UnitOfWork(db.sessions) as uow:
        insert_item(uow, "dup")


def fail_to_prepare_a_write_statement(db: Db) -> None:
    """The gate is taken, but the statement never starts a transaction (no such table)."""
    with pytest.raises(OperationalError, match="no such table"), UnitOfWork(db.sessions) as uow:
        uow.session.execute(text("INSERT INTO missing (x) VALUES (1)"))


def close_without_commit(db: Db) -> None:
    conn = sqlite3.connect(str(db.path), factory=sqlite_gate.GatedConnection)
    conn.take_write_lock()
    conn.execute("INSERT INTO item (name) VALUES ('abandoned')")
    assert db.gate.owner == threading.get_ident()
    conn.close()


@pytest.mark.parametrize(
    "first_writer",
    [
        leave_without_commit,
        raise_inside_the_transaction,
        fail_a_write_statement,
        fail_to_prepare_a_write_statement,
        close_without_commit,
    ],
)
def test_the_gate_comes_free_when_a_transaction_ends_without_commit(
    db: Db, first_writer: Callable[[Db], None]
) -> None:
    workers = Workers()
    workers.start(lambda: first_writer(db))
    workers.join()
    assert "abandoned" not in db.names()
    assert_gate_free(db)


def test_the_gate_comes_free_on_rollback_while_the_thread_goes_on(db: Db) -> None:
    """Released at rollback itself, not at thread exit: the next writer runs while A is still alive."""
    rolled_back, finish_a = threading.Event(), threading.Event()
    workers = Workers()

    def writer_a() -> None:
        with UnitOfWork(db.sessions) as uow:
            insert_item(uow, "abandoned")
            uow.session.rollback()
            rolled_back.set()
            assert finish_a.wait(JOIN_S)

    a = workers.start(writer_a)
    assert rolled_back.wait(JOIN_S)
    try:
        assert a.is_alive()
        assert_gate_free(db)
    finally:
        finish_a.set()
    workers.join()


@pytest.mark.parametrize("how", ["sql-commit", "autocommit"])
def test_the_gate_comes_free_as_soon_as_the_connection_leaves_its_transaction(db: Db, how: str) -> None:
    """Not only at the DB-API commit: an explicit COMMIT, or a write run in autocommit mode, frees it
    while the session or connection stays open."""
    if how == "sql-commit":
        with UnitOfWork(db.sessions) as uow:
            insert_item(uow, "kept")
            assert db.gate.owner == threading.get_ident()
            uow.session.execute(text("COMMIT"))
            assert_gate_free(db)
    else:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("INSERT INTO item (name) VALUES ('kept')"))
            assert_gate_free(db)
    assert db.names() == {"kept", "probe"}
    assert not db.gate.lock.locked()


# 4 -----------------------------------------------------------------------------------------------


def test_a_thread_never_waits_on_a_gate_it_holds_through_another_connection(db: Db) -> None:
    """The second connection of the holding thread meets SQLite's own lock (its busy timeout), not
    the gate (which would hang for `WAIT_S`)."""
    path = str(db.path)
    fast = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(
            path, timeout=0.2, check_same_thread=False, factory=sqlite_gate.GatedConnection
        ),
    )
    sqlite_gate.install(fast)
    raw = sqlite3.connect(path, timeout=0.2, factory=sqlite_gate.GatedConnection)
    try:
        with UnitOfWork(db.sessions) as uow:
            uow.lock_for_write()
            insert_item(uow, "one")
            assert db.gate.owner == threading.get_ident()

            # through SQLAlchemy, as the app would
            started = time.monotonic()
            with fast.connect() as conn, pytest.raises(OperationalError, match="database is locked"):
                conn.execute(text("INSERT INTO item (name) VALUES ('two')"))
            assert time.monotonic() - started < sqlite_gate.WAIT_S / 3

            # straight through the DB-API connection
            started = time.monotonic()
            raw.take_write_lock()
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                raw.execute("INSERT INTO item (name) VALUES ('three')")
            assert time.monotonic() - started < sqlite_gate.WAIT_S / 3
            raw.rollback()

            assert db.gate.owner == threading.get_ident()  # still the first connection's
            uow.commit()
        assert db.names() == {"one"}
    finally:
        raw.close()
        fast.dispose()
    assert_gate_free(db)


# 5 -----------------------------------------------------------------------------------------------


def record_statements(db: Db) -> list[str]:
    statements: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    return statements


def test_lock_for_write_after_reads_only_ends_the_read_and_takes_the_lock(db: Db) -> None:
    """A request that looked up its token (a read) can still serialize its writes."""
    statements = record_statements(db)
    with UnitOfWork(db.sessions) as uow:
        before = uow.session.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one()
        assert uow.session.in_transaction() and not db.gate.lock.locked()  # a read takes nothing

        assert uow.lock_for_write() is True
        assert db.gate.owner == threading.get_ident()
        assert [s for s in statements if s.upper().startswith("BEGIN")] == ["BEGIN IMMEDIATE"]
        increment(uow)
        uow.commit()
    assert db.counter() == before + 1
    assert_gate_free(db)


def test_lock_for_write_is_a_no_op_once_the_transaction_has_written(db: Db) -> None:
    statements = record_statements(db)
    with UnitOfWork(db.sessions) as uow:
        uow.session.execute(text("UPDATE counter SET n = n + 5 WHERE id = 1"))
        assert db.gate.owner == threading.get_ident()  # the write took the gate

        assert uow.lock_for_write() is False  # too late to serialize the reads before it
        assert not any(s.upper().startswith("BEGIN") for s in statements)
        uow.commit()
    assert db.counter() == 5
    assert_gate_free(db)


def test_lock_for_write_twice_begins_once(db: Db) -> None:
    statements = record_statements(db)
    with UnitOfWork(db.sessions) as uow:
        assert uow.lock_for_write() is True
        assert uow.lock_for_write() is True  # still serialized: nothing more to do
        increment(uow)
        uow.commit()
    assert [s for s in statements if s.upper().startswith("BEGIN")] == ["BEGIN IMMEDIATE"]
    assert db.counter() == 1
    assert_gate_free(db)


# 6 -----------------------------------------------------------------------------------------------

OPS = ("increment", "sql-increment", "rollback-increment", "raise-increment")


def run_op(sessions: sessionmaker[Session], op: str) -> None:
    if op == "sql-increment":  # atomic in SQL, no lock_for_write: the UPDATE takes the gate
        with UnitOfWork(sessions) as uow:
            uow.session.execute(text("UPDATE counter SET n = n + 1 WHERE id = 1"))
            uow.commit()
        return
    if op == "raise-increment":
        with pytest.raises(Boom), UnitOfWork(sessions) as uow:
            increment(uow)
            raise Boom
        return
    with UnitOfWork(sessions) as uow:
        increment(uow)
        if op == "increment":
            uow.commit()


@settings(deadline=None, max_examples=20)
@given(plans=st.lists(st.lists(st.sampled_from(OPS), max_size=8), min_size=2, max_size=3))
def test_the_counter_equals_the_committed_increments(plans: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "gate.db")
        try:
            start = threading.Barrier(len(plans))
            workers = Workers()

            def work(plan: list[str]) -> None:
                start.wait(timeout=JOIN_S)
                for op in plan:
                    run_op(db.sessions, op)

            for plan in plans:
                workers.start(lambda plan=plan: work(plan))
            workers.join()
            committed = sum(op in ("increment", "sql-increment") for plan in plans for op in plan)
            assert db.counter() == committed
            assert not db.gate.lock.locked()
        finally:
            db.engine.dispose()
