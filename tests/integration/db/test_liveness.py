"""Pooled PostgreSQL connections are pinged only after sitting idle, and a dead one is replaced."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from aicmo.adapters.db.engine import make_engine
from aicmo.adapters.db.liveness import ping_when_idle
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> str:
    if not POSTGRES_URL:
        pytest.skip("AICMO_TEST_POSTGRES_URL is not set")
    return POSTGRES_URL


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _pings(engine) -> list[int]:
    """Count the pings sent on the engine's connections."""
    pings: list[int] = []
    real = engine.dialect.do_ping

    def counted(dbapi_connection) -> bool:
        pings.append(1)
        return real(dbapi_connection)

    engine.dialect.do_ping = counted
    return pings


def test_a_connection_back_a_moment_ago_is_not_pinged(pg_url: str) -> None:
    engine = create_engine(pg_url, pool_size=1, max_overflow=0)
    clock = Clock()
    pings = _pings(engine)
    ping_when_idle(engine, idle_s=1.0, clock=clock)
    try:
        for _ in range(3):
            with engine.connect() as conn:
                conn.execute(text("SELECT 41 + 1"))
            clock.now += 0.5
        assert pings == []
        clock.now += 5
        with engine.connect() as conn:
            conn.execute(text("SELECT 41 + 1"))
        assert pings == [1]  # the ping after sitting idle
    finally:
        engine.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(pg_url: str) -> None:
    engine = make_engine(pg_url)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with admin.connect() as conn:  # a server restart or an idle timeout, for this one backend
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        # As if the connection had sat in the pool beyond the window:
        for record in list(engine.pool._pool.queue):  # type: ignore[attr-defined]
            record.info["aicmo.checked_in_at"] = float("-inf")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
    finally:
        engine.dispose()
        admin.dispose()
