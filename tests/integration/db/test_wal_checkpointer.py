"""The application's SQLite file is checkpointed on a thread of its own, not inside the commit
that fills the log; the thread waits on an event when idle and stops with the engine."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from aicmo.adapters.db import checkpointer
from aicmo.adapters.db.engine import make_engine


def _wait_for(condition, timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _fill(engine, rows: int) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)"))
        connection.execute(text("INSERT INTO t (body) VALUES (:body)"), [{"body": "x" * 500}] * rows)


def test_a_large_commit_leaves_its_checkpoint_to_the_thread(tmp_path: Path) -> None:
    database = tmp_path / "app.db"
    engine = make_engine(f"sqlite:///{database}", background_checkpoints=True)
    try:
        worker = checkpointer.WORKERS[engine]
        with engine.connect() as connection:
            pages = connection.execute(text("PRAGMA wal_autocheckpoint")).scalar()
        assert pages == checkpointer.FALLBACK_PAGES  # SQLite's own, only a bound on the log
        _fill(engine, 4_000)  # about 2 MB: past SQLite's default 1,000-page threshold
        # The thread copies the log into the database file; the commit did not.
        assert _wait_for(lambda: worker.checkpoints >= 1)
        assert _wait_for(lambda: database.stat().st_size > 1_000_000)
        with sqlite3.connect(database) as reader:
            assert reader.execute("SELECT count(*) FROM t").fetchone() == (4_000,)
    finally:
        engine.dispose()
    assert worker._thread is None  # disposing the engine stopped it


def test_the_thread_starts_on_the_first_commit_and_again_after_a_dispose(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}", background_checkpoints=True)
    worker = checkpointer.WORKERS[engine]
    try:
        assert worker._thread is None  # nothing committed yet: no thread
        _fill(engine, 10)
        assert worker._thread is not None and worker._thread.is_alive()
        engine.dispose()
        assert worker._thread is None
        _fill(engine, 10)  # a disposed engine is used again
        assert _wait_for(lambda: worker.checkpoints >= 1)
    finally:
        engine.dispose()


def test_other_engines_keep_sqlites_own_checkpoints(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")  # migrations, backups
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 1000
        assert engine not in checkpointer.WORKERS
    finally:
        engine.dispose()
