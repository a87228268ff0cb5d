"""Schema migrations as functions: upgrade, downgrade, check, with tables listed before and after."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from aicmo.adapters.db.engine import make_engine, table_names
from aicmo.adapters.db.tables import Base

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url  # kept out of the ini parser: passwords may contain '%'
    return config


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    tables: list[str]

    @property
    def at_head(self) -> bool:
        return self.current == self.head


@dataclass(frozen=True)
class UpgradeReport:
    before: SchemaState
    after: SchemaState


def expected_tables() -> set[str]:
    """The application's tables, as the ORM declares them (what a database at head holds)."""
    return set(Base.metadata.tables)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None, "the migration tree has no head"
    return head


def schema_state(url: str) -> SchemaState:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        return SchemaState(current=current, head=head_revision(), tables=table_names(engine))
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> UpgradeReport:
    before = schema_state(url)
    command.upgrade(alembic_config(url), revision)
    return UpgradeReport(before=before, after=schema_state(url))


def downgrade(url: str, revision: str) -> UpgradeReport:
    before = schema_state(url)
    command.downgrade(alembic_config(url), revision)
    return UpgradeReport(before=before, after=schema_state(url))
