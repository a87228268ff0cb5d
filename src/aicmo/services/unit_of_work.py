"""Unit of work (the port services use): one use case, one transaction, rolled back unless the
service commits. The SQL implementation is `adapters.db.unit_of_work.SqlAlchemyUnitOfWork`; the
in-memory one for fast service tests is `tests.fakes.FakeUnitOfWork`.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar

from aicmo.domain.errors import WriteRace

if TYPE_CHECKING:  # the repositories' surfaces and the records they return; services never construct them
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
    from aicmo.adapters.db.tables import ApiTokenRow as ApiTokenRow
    from aicmo.adapters.db.tables import ArtifactRow as ArtifactRow
    from aicmo.adapters.db.tables import ArtifactVersionRow as ArtifactVersionRow
    from aicmo.adapters.db.tables import AuditRow as AuditRow
    from aicmo.adapters.db.tables import CampaignItemRow as CampaignItemRow
    from aicmo.adapters.db.tables import CampaignRow as CampaignRow
    from aicmo.adapters.db.tables import ClientRow as ClientRow
    from aicmo.adapters.db.tables import EngagementRow as EngagementRow
    from aicmo.adapters.db.tables import EnrolmentRow as EnrolmentRow
    from aicmo.adapters.db.tables import ExportRow as ExportRow
    from aicmo.adapters.db.tables import GenerationRunRow as GenerationRunRow
    from aicmo.adapters.db.tables import LeadBatchRow as LeadBatchRow
    from aicmo.adapters.db.tables import LeadRow as LeadRow
    from aicmo.adapters.db.tables import MentionImportRow as MentionImportRow
    from aicmo.adapters.db.tables import MetricImportRow as MetricImportRow
    from aicmo.adapters.db.tables import OutreachSendRow as OutreachSendRow
    from aicmo.adapters.db.tables import PlanJobRow as PlanJobRow
    from aicmo.adapters.db.tables import PlanRow as PlanRow
    from aicmo.adapters.db.tables import ProposalRow as ProposalRow
    from aicmo.adapters.db.tables import PublishJobRow as PublishJobRow
    from aicmo.adapters.db.tables import SequenceRow as SequenceRow
    from aicmo.adapters.db.tables import SuppressionRow as SuppressionRow

T = TypeVar("T")
log = logging.getLogger("aicmo.uow")


class UnitOfWork(ABC):
    """The repositories of one transaction; `commit` or everything is rolled back on exit.

    A lost race on a versioned row or a unique key raises `WriteRace` (HTTP 409) from `commit`."""

    clients: repos.ClientRepository
    engagements: repos.EngagementRepository
    artifacts: repos.ArtifactRepository
    audit: repos.AuditRepository
    tokens: repos.TokenRepository
    leads: repos.LeadRepository
    runs: repos.RunRepository
    plans: PlanRepository
    metrics: MetricRepository
    listening: ListeningRepository
    campaigns: CampaignRepository
    projects: ProjectRepository
    provider_calls: ProviderCallRepository
    outreach: OutreachRepository
    exports: ExportRepository
    proposals: ProposalRepository
    share_links: ShareLinkRepository

    @abstractmethod
    def __enter__(self) -> Self: ...

    @abstractmethod
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def flush(self) -> None: ...

    def lock_for_write(self) -> bool:
        """Serialize this transaction with every other writer when the database needs it (see the
        SQL implementation); True when done. Nothing to do by default."""
        return False


UowFactory = Callable[[], UnitOfWork]


def retry_conflicts(uow_factory: UowFactory, action: Callable[[UnitOfWork], T], *, attempts: int = 5) -> T:
    """Run `action` in a fresh unit of work, again when its write lost a race (`WriteRace`): for a
    command that names no version (a plan command, a job's bookkeeping) racing the runner on
    PostgreSQL, where rows are checked, not locked, on read. A refusal (`Conflict`: a stale
    version, a paused plan) is not retried."""
    for attempt in range(1, attempts + 1):
        try:
            with uow_factory() as uow:
                return action(uow)
        except WriteRace as exc:
            log.info("write race on attempt %d of %d: %s", attempt, attempts, exc.__cause__ or exc)
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
