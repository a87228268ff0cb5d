"""Repositories: the only place that writes SQL for the core tables. Small surfaces on purpose."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, delete, event, func, or_, select, text
from sqlalchemy.orm import Session, defer

from aicmo.adapters.db.lead_bulk_insert import LeadBulkInsert
from aicmo.adapters.db.sqlite_gate import GatedConnection
from aicmo.adapters.db.tables import (
    ApiTokenRow,
    ArtifactRow,
    ArtifactVersionRow,
    AuditRow,
    Base,
    ClientRow,
    EngagementRow,
    GenerationRunRow,
    LeadBatchRow,
    LeadRow,
    PlanJobRow,
)
from aicmo.domain.leads import LeadFilter

RowT = TypeVar("RowT", bound=Base)
T = TypeVar("T")


_MEMOISED = (ArtifactRow, PlanJobRow)
SERIALIZED = "aicmo.serialized"  # session.info: this transaction holds the database's write lock
MEMO = "aicmo.memo"  # session.info: what this transaction has read, by key


def transaction_memo(session: Session, key: tuple[str, str], load: Callable[[], T]) -> T:
    """`load()` once per transaction. The rows it returns are the session's own objects, and a
    second read in the same transaction would hand back those same objects without refreshing
    them (the identity map), so remembering the list skips only the statement: a plan job read
    its plan's jobs seven times and the engagement's artifacts five, each a round trip on
    PostgreSQL. A flush that adds or deletes memoised kinds of row, `forget` (a re-read under
    new locks) and the end of the transaction clear it."""
    _watch(session)
    memo = session.info.setdefault(MEMO, {})
    if key not in memo:
        memo[key] = load()
    return memo[key]


def forget(session: Session) -> None:
    """Read everything again from here on (the caller expired the session under new locks)."""
    session.info.pop(MEMO, None)


def begin_serialized(session: Session) -> bool:
    """On SQLite, open the session's transaction with the write lock (`BEGIN IMMEDIATE`); True
    when done. A transaction that has only read so far (a request's token lookup) is ended first;
    its rows stay loaded. False on PostgreSQL, or once the transaction has written or holds
    unflushed changes."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    if session.in_transaction():
        if SERIALIZED in session.info:
            return True
        dbapi = session.connection().connection.dbapi_connection
        read_only = isinstance(dbapi, GatedConnection) and not dbapi.holds_write_lock
        if not read_only or session.new or session.dirty or session.deleted:
            return False
        session.commit()  # nothing to write: ends the read snapshot (expire_on_commit is off)
    session.execute(text("BEGIN IMMEDIATE"))
    _watch(session)
    session.info[SERIALIZED] = True
    return True


def _watch(session: Session) -> None:
    if not event.contains(session, "after_flush", _forget):
        event.listen(session, "after_flush", _forget)
        event.listen(session, "after_transaction_end", _end)


def _forget(session: Session, _context: Any) -> None:
    """A flush that added or removed memoised kinds of row (artifacts, plan jobs) clears the memo;
    updates need nothing: the memo holds the session's own row objects."""
    changed = (*session.new, *session.deleted)  # still the pre-flush lists here
    if any(isinstance(row, _MEMOISED) for row in changed):
        session.info.pop(MEMO, None)


def _end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended: commit or rollback
        session.info.pop(SERIALIZED, None)
        session.info.pop(MEMO, None)


class _Repository(Generic[RowT]):
    row_type: type[RowT]

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: RowT) -> RowT:
        self.session.add(row)
        return row

    def create(self, **fields: Any) -> RowT:
        """A new row from its columns, added to the transaction (services never build rows)."""
        return self.add(self.row_type(**fields))

    def get(self, row_id: Any) -> RowT | None:
        return self.session.get(self.row_type, row_id)

    def page(self, query: Select[Any], *, limit: int, offset: int, order: Any) -> tuple[list[RowT], int]:
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(order).limit(limit).offset(offset)).all()
        return list(rows), int(total)


class ClientRepository(_Repository[ClientRow]):
    row_type = ClientRow

    def list(
        self, *, only_ids: Sequence[str] | None, include_archived: bool, limit: int, offset: int
    ) -> tuple[list[ClientRow], int]:
        query = select(ClientRow)
        if only_ids is not None:
            query = query.where(ClientRow.id.in_(only_ids))
        if not include_archived:
            query = query.where(ClientRow.archived.is_(False))
        return self.page(query, limit=limit, offset=offset, order=ClientRow.created_at.desc())

    def named(self, name: str) -> list[ClientRow]:
        """Live clients whose name matches `name` case- and space-insensitively, oldest first."""
        wanted = " ".join(name.split()).casefold()
        query = select(ClientRow).where(ClientRow.archived.is_(False)).order_by(ClientRow.created_at)
        return [r for r in self.session.scalars(query) if " ".join(r.name.split()).casefold() == wanted]


class EngagementRepository(_Repository[EngagementRow]):
    row_type = EngagementRow

    def list(
        self, *, client_ids: Sequence[str] | None, include_archived: bool, limit: int, offset: int
    ) -> tuple[list[EngagementRow], int]:
        query = select(EngagementRow)
        if client_ids is not None:
            query = query.where(EngagementRow.client_id.in_(client_ids))
        if not include_archived:
            query = query.where(EngagementRow.archived.is_(False))
        return self.page(query, limit=limit, offset=offset, order=EngagementRow.created_at.desc())


class ArtifactRepository(_Repository[ArtifactRow]):
    row_type = ArtifactRow

    def by_engagement(self, engagement_id: str) -> dict[str, ArtifactRow]:
        """The engagement's artifacts by type. Content and Markdown load on first access: most
        callers want statuses and versions, and decoding every module's content each time was
        most of the cost of a plan job's bookkeeping."""
        query = (
            select(ArtifactRow)
            .where(ArtifactRow.engagement_id == engagement_id)
            .options(defer(ArtifactRow.content), defer(ArtifactRow.content_markdown))
        )
        rows = transaction_memo(
            self.session,
            ("artifacts", engagement_id),
            lambda: {row.type: row for row in self.session.scalars(query)},
        )
        return dict(rows)

    def list(self, *, filters: dict[str, Any], limit: int, offset: int) -> tuple[list[ArtifactRow], int]:
        query = select(ArtifactRow)
        for column, value in filters.items():
            if value is None:
                continue
            attr = getattr(ArtifactRow, column)
            query = query.where(attr.in_(value) if isinstance(value, list | tuple) else attr == value)
        return self.page(query, limit=limit, offset=offset, order=ArtifactRow.updated_at.desc())

    def create_version(self, **fields: Any) -> ArtifactVersionRow:
        """A new version row from its columns, added to the transaction."""
        row = ArtifactVersionRow(**fields)
        self.session.add(row)
        return row

    def versions(self, artifact_id: str) -> list[ArtifactVersionRow]:
        query = (
            select(ArtifactVersionRow)
            .where(ArtifactVersionRow.artifact_id == artifact_id)
            .order_by(ArtifactVersionRow.version)
        )
        return list(self.session.scalars(query))

    def version(self, artifact_id: str, version: int) -> ArtifactVersionRow | None:
        query = select(ArtifactVersionRow).where(
            ArtifactVersionRow.artifact_id == artifact_id, ArtifactVersionRow.version == version
        )
        return self.session.scalar(query)


class AuditRepository(_Repository[AuditRow]):
    row_type = AuditRow

    def list(self, *, filters: dict[str, Any], limit: int, offset: int) -> tuple[list[AuditRow], int]:
        query = select(AuditRow)
        for column, value in filters.items():
            if value is None:
                continue
            attr = getattr(AuditRow, column)
            query = query.where(attr.in_(value) if isinstance(value, list | tuple) else attr == value)
        return self.page(query, limit=limit, offset=offset, order=AuditRow.id.desc())

    def last_entry(self, client_id: str) -> tuple[int, Any]:
        """The id and time of the client's newest entry ((0, None) when none): the log is only
        appended to, so this changes whenever anything about the client is recorded."""
        query = select(AuditRow.id, AuditRow.at).where(AuditRow.client_id == client_id)
        row = self.session.execute(query.order_by(AuditRow.id.desc()).limit(1)).first()
        return (int(row[0]), row[1]) if row else (0, None)

    def client_decisions(self, engagement_id: str, actions: Sequence[str]) -> list[AuditRow]:
        """The engagement's client decisions (`actions`, made through a share link or a reviewer
        token), oldest first."""
        return list(self.session.scalars(_client_decisions(engagement_id, actions).order_by(AuditRow.id)))

    def client_decisions_page(
        self, engagement_id: str, actions: Sequence[str], *, limit: int, offset: int
    ) -> tuple[list[AuditRow], int]:
        """The same, newest first, one page."""
        query = _client_decisions(engagement_id, actions)
        return self.page(query, limit=limit, offset=offset, order=AuditRow.id.desc())

    def share_links_issued(self, engagement_id: str) -> list[AuditRow]:
        """The share links issued for the engagement, newest first (their audit entries carry the
        link's terms)."""
        query = select(AuditRow).where(
            AuditRow.engagement_id == engagement_id, AuditRow.action == "share_link.create"
        )
        return list(self.session.scalars(query.order_by(AuditRow.id.desc())))


def _client_decisions(engagement_id: str, actions: Sequence[str]) -> Select[tuple[AuditRow]]:
    return select(AuditRow).where(
        AuditRow.engagement_id == engagement_id,
        AuditRow.action.in_(list(actions)),
        or_(AuditRow.actor.like("client:%"), AuditRow.actor.like("client_reviewer:%")),
    )


class TokenRepository(_Repository[ApiTokenRow]):
    row_type = ApiTokenRow

    def by_hash(self, token_hash: str) -> ApiTokenRow | None:
        return self.session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))

    def list(self, *, limit: int, offset: int) -> tuple[list[ApiTokenRow], int]:
        return self.page(select(ApiTokenRow), limit=limit, offset=offset, order=ApiTokenRow.created_at.desc())


class LeadRepository(_Repository[LeadRow]):
    row_type = LeadRow

    def emails(self, client_id: str) -> set[str]:
        return set(self.session.scalars(select(LeadRow.email).where(LeadRow.client_id == client_id)))

    def by_email(self, client_id: str, email: str) -> LeadRow | None:
        query = select(LeadRow).where(LeadRow.client_id == client_id, LeadRow.email == email)
        return self.session.scalar(query)

    def by_ids(self, client_id: str, ids: Sequence[str]) -> list[LeadRow]:
        query = select(LeadRow).where(LeadRow.client_id == client_id, LeadRow.id.in_(list(ids)))
        return list(self.session.scalars(query))

    def bulk_insert(self, common: Mapping[str, Any]) -> LeadBulkInsert:
        """New leads in bulk, a part at a time, in this transaction (`LeadBulkInsert`): `common`
        holds the values all rows have."""
        return LeadBulkInsert(self.session.connection(), common)

    def _filtered(self, client_id: str, filters: LeadFilter) -> Select[tuple[LeadRow]]:
        query = select(LeadRow).where(LeadRow.client_id == client_id)
        if filters.status:
            query = query.where(LeadRow.status == filters.status)
        if filters.tier:
            query = query.where(LeadRow.tier == filters.tier)
        if filters.batch_id:
            query = query.where(LeadRow.batch_id == filters.batch_id)
        if filters.min_score is not None:
            query = query.where(LeadRow.score >= filters.min_score)
        if filters.q:
            like = f"%{filters.q.lower()}%"
            query = query.where(
                or_(
                    *(
                        func.lower(column).like(like)
                        for column in (
                            LeadRow.email,
                            LeadRow.name,
                            LeadRow.company,
                            LeadRow.city,
                            LeadRow.title,
                        )
                    )
                )
            )
        return query

    def list(
        self, *, client_id: str, filters: LeadFilter | None = None, limit: int, offset: int
    ) -> tuple[list[LeadRow], int]:
        """A client's leads, best score first."""
        query = self._filtered(client_id, filters or LeadFilter())
        order = (LeadRow.score.desc(), LeadRow.created_at, LeadRow.id)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(*order).limit(limit).offset(offset)).all()
        return list(rows), int(total)

    def create_batch(self, **fields: Any) -> LeadBatchRow:
        """A new import batch, flushed (the leads' batch_id refers to it)."""
        row = LeadBatchRow(**fields)
        self.session.add(row)
        self.session.flush()
        return row

    def batch(self, batch_id: str) -> LeadBatchRow | None:
        return self.session.get(LeadBatchRow, batch_id)

    def batches(self, client_id: str) -> list[LeadBatchRow]:
        query = select(LeadBatchRow).where(LeadBatchRow.client_id == client_id)
        return list(self.session.scalars(query.order_by(LeadBatchRow.created_at.desc(), LeadBatchRow.id)))

    def undo_batch(self, batch_id: str, statuses: Sequence[str]) -> tuple[int, int]:
        """Delete the batch's leads still in one of `statuses`; (removed, kept)."""
        in_batch = LeadRow.batch_id == batch_id
        removed = self.session.execute(
            delete(LeadRow).where(in_batch, LeadRow.status.in_(list(statuses))),
            execution_options={"synchronize_session": False},
        ).rowcount
        kept = self.session.scalar(select(func.count()).select_from(LeadRow).where(in_batch)) or 0
        return int(removed or 0), int(kept)


class RunRepository(_Repository[GenerationRunRow]):
    """Generation runs: the cost ledger (one row per generation, route or plan job)."""

    row_type = GenerationRunRow

    def by_engagement(self, engagement_id: str) -> list[GenerationRunRow]:
        query = select(GenerationRunRow).where(GenerationRunRow.engagement_id == engagement_id)
        return list(self.session.scalars(query.order_by(GenerationRunRow.created_at)))
