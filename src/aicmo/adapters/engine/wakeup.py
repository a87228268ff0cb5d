"""Waking a worker when there is new work, instead of polling for it (SPEC §5).

A worker's loops (the queue's dequeue, the sweeper) wait on a `Signal` with a slow fallback
timeout. What sets it:
- in this process: a dispatch (`Signal.set`) and any commit made by another thread of this
  process (`watch_commits`: an approval that made jobs ready, a job completed);
- other processes, on PostgreSQL: `NOTIFY aicmo_jobs` (`Notifier`), which every worker's
  `Listener` (`LISTEN aicmo_jobs` on its own connection) turns into `Signal.set`.
A lost notification costs at most the fallback poll: the queue rows and the plan tables stay the
record, the signal only says "look now".
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

CHANNEL = "aicmo_jobs"
log = logging.getLogger("aicmo.engine")
_quiet = threading.local()


class Signal:
    """A wake-up for one waiting loop: `set` from anywhere; `wait` returns at the first set (or
    after `timeout`) and clears it, so sets while the loop works make it look once more."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> bool:
        fired = self._event.wait(timeout)
        self._event.clear()
        return fired


class quiet_commits:
    """Commits made inside (by this thread) wake nobody: the sweeper's and heartbeat's own writes."""

    def __enter__(self) -> None:
        _quiet.on = True

    def __exit__(self, *_exc: object) -> None:
        _quiet.on = False


def watch_commits(
    engine: sa.Engine, signals: list[Signal], *, every: list[Signal] | None = None
) -> Callable[[], None]:
    """After every commit on `engine`: set `signals` unless it was made inside `quiet_commits`,
    and `every` in any case. Returns the undo."""
    always = list(every or [])

    def on_commit(_conn: Any) -> None:
        for signal in always:
            signal.set()
        if not getattr(_quiet, "on", False):
            for signal in signals:
                signal.set()

    sa.event.listen(engine, "commit", on_commit)
    return lambda: sa.event.remove(engine, "commit", on_commit)


def _psycopg_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


class Notifier:
    """Sends `NOTIFY aicmo_jobs` on a PostgreSQL database (one connection, opened when first used,
    reopened after an error). Best effort: a notification that cannot be sent is logged, and the
    workers' fallback poll finds the work."""

    def __init__(self, url: str) -> None:
        self._url = _psycopg_url(url)
        self._conn: Any = None
        self._lock = threading.Lock()

    def connect(self) -> Notifier:
        """Open the connection now (best effort), so the first notification does not wait for it."""
        import psycopg

        with self._lock:
            try:
                self._conn = psycopg.connect(self._url, autocommit=True)
            except psycopg.Error:
                self._conn = None  # notify() tries again
        return self

    def notify(self) -> None:
        import psycopg

        with self._lock:
            for _attempt in range(2):
                try:
                    if self._conn is None or self._conn.closed:
                        self._conn = psycopg.connect(self._url, autocommit=True)
                    self._conn.execute(f"NOTIFY {CHANNEL}")
                    return
                except psycopg.Error as exc:
                    log.warning("could not notify the workers (%s)", type(exc).__name__)
                    self.close_locked()

    def close_locked(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                self._conn.close()
            self._conn = None

    def close(self) -> None:
        with self._lock:
            self.close_locked()


class Listener:
    """`LISTEN aicmo_jobs` on its own PostgreSQL connection in a daemon thread; each notification
    sets `signals`. Reconnects after an error (and sets them once then: it may have missed one)."""

    def __init__(self, url: str, signals: list[Signal], stop: threading.Event) -> None:
        self._url = _psycopg_url(url)
        self._signals = signals
        self._stop = stop
        self.listening = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="aicmo-listen")

    def start(self) -> Listener:
        self.thread.start()
        return self

    def _fire(self) -> None:
        for signal in self._signals:
            signal.set()

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    self._fire()
                    while not self._stop.is_set():
                        for _note in conn.notifies(timeout=2.0):
                            self._fire()
            except Exception as exc:  # the database went away: listen again when it is back
                self.listening.clear()
                if not self._stop.is_set():
                    log.warning("lost the job notifications (%s); listening again", type(exc).__name__)
                    self._stop.wait(1.0)
