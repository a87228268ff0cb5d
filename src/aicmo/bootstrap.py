"""Composition root: Settings -> engine, unit-of-work factory, provider. Built on demand, never at import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from sqlalchemy import Engine

from aicmo.adapters.db.engine import make_engine, make_session_factory
from aicmo.config import Settings, get_settings
from aicmo.services.unit_of_work import UnitOfWork


@dataclass
class App:
    """The wired application: what every entry point (API, CLI, worker) works with."""

    settings: Settings
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.resolved_database_url)

    @cached_property
    def _session_factory(self):
        return make_session_factory(self.engine)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._session_factory)

    @cached_property
    def provider(self):
        from aicmo.adapters.llm.registry import build_provider

        return build_provider(self.settings)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def build_app(settings: Settings | None = None) -> App:
    return App(settings=settings or get_settings())
