"""The SQLAlchemy unit of work: a session, the repositories over it, errors turned into ours.

Services see only `services.unit_of_work.UnitOfWork` (the port); `bootstrap.App.uow()` builds this one.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from aicmo.adapters.db import repositories as repos
from aicmo.adapters.db.campaign_repository import CampaignRepository
from aicmo.adapters.db.export_repository import ExportRepository
from aicmo.adapters.db.listening_repository import ListeningRepository
from aicmo.adapters.db.metric_repository import MetricRepository
from aicmo.adapters.db.outreach_repository import OutreachRepository
from aicmo.adapters.db.plan_repository import PlanRepository
from aicmo.adapters.db.project_repository import ProjectRepository
from aicmo.adapters.db.proposal_repository import ProposalRepository
from aicmo.adapters.db.provider_call_repository import ProviderCallRepository
from aicmo.adapters.db.share_link_repository import ShareLinkRepository
from aicmo.domain.errors import WriteRace
from aicmo.services.unit_of_work import UnitOfWork

T = TypeVar("T")


class SqlAlchemyUnitOfWork(UnitOfWork):
    """Opens a session, exposes the repositories, commits only when told to."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self.session: Session

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self.clients = repos.ClientRepository(self.session)
        self.engagements = repos.EngagementRepository(self.session)
        self.artifacts = repos.ArtifactRepository(self.session)
        self.audit = repos.AuditRepository(self.session)
        self.tokens = repos.TokenRepository(self.session)
        self.leads = repos.LeadRepository(self.session)
        self.runs = repos.RunRepository(self.session)
        self.plans = PlanRepository(self.session)
        self.campaigns = CampaignRepository(self.session)
        self.metrics = MetricRepository(self.session)
        self.listening = ListeningRepository(self.session)
        self.projects = ProjectRepository(self.session)
        self.provider_calls = ProviderCallRepository(self.session)
        self.outreach = OutreachRepository(self.session)
        self.exports = ExportRepository(self.session)
        self.proposals = ProposalRepository(self.session)
        self.share_links = ShareLinkRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def lock_for_write(self) -> bool:
        """Start this transaction as a writer, before it reads what it will write over; True when
        the whole transaction is now serialized with every other writer.

        On SQLite this takes the database's write lock now (`BEGIN IMMEDIATE`, queued in-process by
        the adapter's write gate), so rows read next cannot change before the commit and versioned
        updates do not lose races they would otherwise retry. PostgreSQL locks per row on write and
        keeps the optimistic checks; nothing to do there (False).
        """
        return repos.begin_serialized(self.session)

    def commit(self) -> None:
        """Commit; a lost race on a versioned row or unique key becomes `Conflict` (HTTP 409)."""
        self._guarded(self.session.commit)

    def flush(self) -> None:
        self._guarded(self.session.flush)

    def _guarded(self, action: Callable[[], None]) -> None:
        try:
            action()
        except (StaleDataError, IntegrityError) as exc:
            self.session.rollback()
            if isinstance(exc, IntegrityError) and not _is_unique_violation(exc):
                raise  # a broken reference is a bug, not a race
            raise WriteRace(
                "someone else changed this record at the same time; reload and try again",
                [{"reason": type(exc).__name__}],
            ) from exc


def _is_unique_violation(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "unique" in text or "duplicate key" in text
