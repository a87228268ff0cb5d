"""WAL checkpoints for the application's SQLite file on a thread of their own, not in a commit.

In WAL mode SQLite copies committed pages from the `-wal` file back into the database (a
checkpoint) inside whichever commit pushes the log past `wal_autocheckpoint` pages, so that one
request pays for everyone's writes: a 100,000-lead import spent 0.15-0.3 s of its commit copying
its own 68 MB. SQLite's documentation offers the alternative used here ("turn off the automatic
checkpoints and run checkpoints ... in a separate thread"): after commits, this thread runs a
PASSIVE checkpoint (it waits for no reader or writer) through a connection of its own, at most
once a second. Automatic checkpoints stay on with a high threshold, a bound on the log should
this thread fall behind. Idle, the thread waits on an event: no polling.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref

log = logging.getLogger(__name__)

FALLBACK_PAGES = 65_536  # wal_autocheckpoint while the thread runs: 256 MiB of 4 KiB pages
SETTLE_S = 0.1  # after a commit, gather the ones that follow before checkpointing
MIN_GAP_S = 1.0  # at most one checkpoint a second, however many commits (each ends in an fsync)


class WalCheckpointer:
    """Checkpoints `database` (a file path) after `poke()`, until `close()`."""

    def __init__(self, database: str) -> None:
        self.database = database
        self._wanted = threading.Event()
        self._closing = False
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.checkpoints = 0  # completed, for tests and diagnostics

    def poke(self) -> None:
        """A commit happened (or is about to): checkpoint soon."""
        if self._thread is None:
            with self._start_lock:
                if self._thread is None and not self._closing:
                    self._thread = threading.Thread(
                        target=self._run, name="aicmo-wal-checkpoint", daemon=True
                    )
                    self._thread.start()
        self._wanted.set()

    def close(self, timeout_s: float = 30.0) -> None:
        """Stop the thread after any checkpoint under way (the engine's last connection to close
        checkpoints what is left). A later `poke()` starts a new one (a disposed engine can be
        used again)."""
        with self._start_lock:
            thread, self._thread = self._thread, None
            self._closing = True
            self._wanted.set()
            if thread is not None:
                thread.join(timeout_s)
            self._closing = False
            self._wanted.clear()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            if self._closing:
                return
            # Sleeping with the event still set lets the commit that poked settle, and folds
            # the commits of the next moments into one checkpoint.
            threading.Event().wait(SETTLE_S)
            self._wanted.clear()
            if self._closing:
                return
            self.checkpoint()
            threading.Event().wait(MIN_GAP_S - SETTLE_S)

    def checkpoint(self) -> None:
        try:
            connection = sqlite3.connect(self.database, timeout=1.0, isolation_level=None)
            try:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            finally:
                connection.close()
            self.checkpoints += 1
        except sqlite3.Error as exc:  # a busy or vanished file: the next commit tries again
            log.debug("WAL checkpoint skipped: %s", exc)


# Each engine's checkpointer (diagnostics and tests); an engine that goes takes its entry with it.
WORKERS: weakref.WeakKeyDictionary[object, WalCheckpointer] = weakref.WeakKeyDictionary()
