"""The job queue's fallback poll: a NOTIFY wakes PostgreSQL workers, so their poll is only a safety
net and can be slow; on SQLite another process's work is found only by polling."""

from __future__ import annotations

from aicmo.config import Settings


def test_the_fallback_poll_is_slower_where_notifications_wake_workers() -> None:
    assert (
        Settings(_env_file=None, database_url="postgresql+psycopg://u@db/aicmo").resolved_queue_polling_s
        == 5.0
    )
    assert Settings(_env_file=None, database_url="sqlite:///x.db").resolved_queue_polling_s == 2.0
    assert (
        Settings(_env_file=None, database_url="sqlite:///x.db", queue_polling_s=0.5).resolved_queue_polling_s
        == 0.5
    )
