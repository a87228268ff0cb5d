"""Migrations reach head on an empty database of each backend, and survive a round trip."""

from __future__ import annotations

from sqlalchemy import inspect

from aicmo.adapters.db import migrate
from aicmo.adapters.db.engine import make_engine
from aicmo.adapters.db.tables import Base

APP_TABLES = set(Base.metadata.tables)


def test_upgrade_on_an_empty_database_reaches_head(backend_url: str) -> None:
    report = migrate.upgrade(backend_url)
    assert report.before.tables == []
    assert report.before.current is None
    assert report.after.at_head
    assert set(report.after.tables) >= APP_TABLES


def test_upgrade_downgrade_upgrade_round_trip(backend_url: str) -> None:
    migrate.upgrade(backend_url)
    down = migrate.downgrade(backend_url, "base")
    assert down.after.current is None
    assert not APP_TABLES & set(down.after.tables)
    again = migrate.upgrade(backend_url)
    assert again.after.at_head
    assert set(again.after.tables) >= APP_TABLES


def test_the_migrated_schema_matches_the_models(backend_url: str) -> None:
    """Autogenerate would find nothing to do: every model column exists in the migrated tables."""
    migrate.upgrade(backend_url)
    engine = make_engine(backend_url)
    try:
        inspector = inspect(engine)
        for name, table in Base.metadata.tables.items():
            columns = {c["name"] for c in inspector.get_columns(name)}
            assert set(table.columns.keys()) == columns, name
    finally:
        engine.dispose()


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
