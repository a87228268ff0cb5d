"""Composition root: Settings -> engine, unit-of-work factory, provider. Built on demand, never at import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Engine

from aicmo.adapters.db.engine import make_engine, make_session_factory
from aicmo.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from aicmo.config import Settings, get_settings
from aicmo.services.mail import MailOff, MailSender
from aicmo.services.unit_of_work import UnitOfWork


@dataclass
class App:
    """The wired application: what every entry point (API, CLI, worker) works with."""

    settings: Settings
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @cached_property
    def engine(self) -> Engine:
        settings = self.settings
        return make_engine(
            settings.resolved_database_url,
            connect_timeout_s=settings.db_connect_timeout_s,
            statement_timeout_s=settings.db_statement_timeout_s or None,
            busy_timeout_s=settings.db_busy_timeout_s,
            background_checkpoints=True,
        )

    @cached_property
    def _session_factory(self):
        return make_session_factory(self.engine)

    def uow(self) -> UnitOfWork:
        return SqlAlchemyUnitOfWork(self._session_factory)

    @cached_property
    def provider(self):
        """The configured provider; a remote one records every call in the cost ledger, each in
        its own transaction (issue 18). The offline planner calls nobody and costs nothing."""
        from functools import partial

        from aicmo.adapters.llm.recording import RecordingProvider
        from aicmo.adapters.llm.registry import build_provider
        from aicmo.services import provider_calls

        built = build_provider(self.settings)
        if built.id == "offline":
            return built
        return RecordingProvider(built, partial(provider_calls.record, self.uow))

    @cached_property
    def mailer(self) -> MailSender:
        """Outgoing e-mail over SMTP from the AICMO_SMTP_* settings (`MailError` when unset)."""
        from aicmo.adapters.email.smtp import SmtpConfig, SmtpSender

        s = self.settings
        if not s.smtp_host:
            return MailOff()
        return SmtpSender(
            SmtpConfig(
                host=s.smtp_host,
                port=s.smtp_port,
                user=s.smtp_user,
                password=s.smtp_password,
                tls=s.smtp_tls,
                timeout_s=s.smtp_timeout_s,
                ca_file=s.smtp_ca_file,
            )
        )

    @cached_property
    def publishing(self):
        """Live-mode publishing: the adapters configured in settings, and the retry policy."""
        from aicmo.adapters.publishing.registry import build_publishing

        return build_publishing(self.settings)

    runtime: Any = None  # the job engine started by this process's entry point, if any

    def dispatch(self, jobs: list[tuple[str, int]]) -> None:
        """Hand jobs to the task engine: in-process when it runs here, else through its client."""
        if not jobs:
            return
        if self.runtime is None:
            from aicmo.adapters.engine.dbos_runtime import ClientDispatcher

            self.runtime = ClientDispatcher(self.settings.resolved_engine_url)
        self.runtime.dispatch(jobs)

    def start_engine(self, *, listen: bool = True, worker_id: str | None = None) -> Any:
        from aicmo.adapters.engine.dbos_runtime import Runtime

        self.runtime = Runtime(self, listen=listen, worker_id=worker_id).start()
        return self.runtime

    def close(self) -> None:
        if self.runtime is not None:
            self.runtime.stop()
            self.runtime = None
        if "provider" in self.__dict__:
            getattr(self.provider, "close", lambda: None)()
        if "engine" in self.__dict__:
            self.engine.dispose()


def build_app(settings: Settings | None = None) -> App:
    return App(settings=settings or get_settings())
