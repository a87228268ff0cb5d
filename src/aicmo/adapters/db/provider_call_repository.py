"""Provider calls (the cost ledger): the only SQL for the `provider_calls` table."""

from __future__ import annotations

from sqlalchemy import and_, case, distinct, func, select, update
from sqlalchemy.orm import Session

from aicmo.adapters.db.tables import ClientRow, EngagementRow, PlanJobRow, PlanRow, ProviderCallRow
from aicmo.domain.provider_calls import ProviderCall
from aicmo.domain.schemas.costs import CostLine


class ProviderCallRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, call: ProviderCall) -> None:
        scope = call.scope
        self.session.add(
            ProviderCallRow(
                id=call.id,
                kind=scope.kind.value,
                client_id=scope.client_id,
                engagement_id=scope.engagement_id,
                job_id=scope.job_id,
                trace_id=scope.trace_id[:64],
                actor=scope.actor[:200],
                module=call.module[:32],
                provider=call.provider[:32],
                model=call.model[:200],
                outcome=_outcome(call),
                ahead=call.ahead,
                requests=call.requests,
                input_tokens=call.input_tokens,
                output_tokens=call.output_tokens,
                cost_usd=call.cost_usd,
                error=call.error,
                started_at=call.started_at,
                finished_at=call.finished_at,
            )
        )

    def finish(self, call: ProviderCall) -> bool:
        """Write how the call ended over its starting row (one UPDATE, no read); False when there
        is none."""
        result = self.session.execute(
            update(ProviderCallRow)
            .where(ProviderCallRow.id == call.id)
            .values(
                outcome=_outcome(call),
                provider=call.provider[:32],
                model=call.model[:200],
                requests=call.requests,
                input_tokens=call.input_tokens,
                output_tokens=call.output_tokens,
                cost_usd=call.cost_usd,
                error=call.error,
                finished_at=call.finished_at,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    def owner_of_job(self, job_id: str) -> tuple[str, str] | None:
        """(client id, engagement id) of a plan job, or None when it is gone."""
        found = self.session.execute(
            select(PlanRow.client_id, PlanRow.engagement_id)
            .join(PlanJobRow, PlanJobRow.plan_id == PlanRow.id)
            .where(PlanJobRow.id == job_id)
        ).first()
        return (found[0], found[1]) if found else None

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(ProviderCallRow)) or 0)

    def ledger(
        self, *, client_ids: list[str] | None, client_id: str | None, engagement_id: str | None
    ) -> list[CostLine]:
        """Sums by client, engagement, kind, module, provider and model (`client_ids`: the clients
        the reader may see, None for all; a call that served no client is visible to all-seeing
        readers only)."""
        call = ProviderCallRow
        own_call = and_(call.ahead.is_(False), call.job_id.is_not(None))
        client = func.coalesce(call.client_id, "")
        engagement = func.coalesce(call.engagement_id, "")
        client_name = func.coalesce(ClientRow.name, "")
        engagement_name = func.coalesce(EngagementRow.name, "")
        names = (client, client_name, engagement, engagement_name)
        keys = (*names, call.kind, call.module, call.provider, call.model)
        query = (
            select(
                *keys,
                func.count(),
                func.sum(call.requests),
                func.sum(case((call.outcome == "error", 1), else_=0)),
                func.sum(case((call.outcome == "pending", 1), else_=0)),
                func.sum(case((call.ahead.is_(True), 1), else_=0)),
                func.sum(case((own_call, 1), else_=0)) - func.count(distinct(case((own_call, call.job_id)))),
                func.sum(call.input_tokens),
                func.sum(call.output_tokens),
                func.sum(call.cost_usd),
            )
            .outerjoin(ClientRow, ClientRow.id == call.client_id)
            .outerjoin(EngagementRow, EngagementRow.id == call.engagement_id)
            .group_by(*keys)
            .order_by(client_name, client, engagement_name, engagement, call.kind, call.module, call.model)
        )
        if client_ids is not None:
            query = query.where(call.client_id.in_(client_ids))
        if client_id is not None:
            query = query.where(call.client_id == client_id)
        if engagement_id is not None:
            query = query.where(call.engagement_id == engagement_id)
        return [
            CostLine(
                client_id=r[0],
                client_name=r[1] or ("(no client)" if not r[0] else "(deleted client)"),
                engagement_id=r[2],
                engagement_name=r[3],
                kind=r[4],
                module=r[5],
                provider=r[6],
                model=r[7] or "",
                calls=int(r[8]),
                requests=int(r[9] or 0),
                failed=int(r[10] or 0),
                unfinished=int(r[11] or 0),
                started_ahead=int(r[12] or 0),
                repeated=int(r[13] or 0),
                input_tokens=int(r[14] or 0),
                output_tokens=int(r[15] or 0),
                cost_usd=round(float(r[16] or 0), 6),
            )
            for r in self.session.execute(query).all()
        ]


def _outcome(call: ProviderCall) -> str:
    return "pending" if call.pending else "ok" if call.ok else "error"
