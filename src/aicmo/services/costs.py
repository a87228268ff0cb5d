"""The per-client cost ledger: tokens, requests and cost by client, engagement, module and model,
from the `generation_runs` rows every generation writes."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func, select

from aicmo.adapters.db.tables import ClientRow, EngagementRow, GenerationRunRow
from aicmo.domain.roles import Principal
from aicmo.services.access import client_scope, require_client
from aicmo.services.unit_of_work import UnitOfWork


class CostLine(BaseModel):
    client_id: str
    client_name: str
    engagement_id: str
    engagement_name: str
    module: str
    provider: str
    model: str
    runs: int
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float


class CostTotals(BaseModel):
    runs: int = 0
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


class CostLedger(BaseModel):
    data: list[CostLine]
    count: int
    totals: CostTotals
    by_client: dict[str, CostTotals]


def cost_ledger(
    uow: UnitOfWork, principal: Principal, *, client_id: str | None = None, engagement_id: str | None = None
) -> CostLedger:
    """Grouped totals, scoped to what `principal` may read (a client reviewer sees its own client)."""
    if client_id is not None:
        require_client(principal, client_id)
    run = GenerationRunRow
    query = (
        select(
            run.client_id,
            ClientRow.name,
            run.engagement_id,
            EngagementRow.name,
            run.module,
            run.provider,
            run.model,
            func.count(),
            func.sum(run.requests),
            func.sum(run.input_tokens),
            func.sum(run.output_tokens),
            func.sum(run.cost_usd),
        )
        .join(ClientRow, ClientRow.id == run.client_id)
        .join(EngagementRow, EngagementRow.id == run.engagement_id)
        .group_by(
            run.client_id,
            ClientRow.name,
            run.engagement_id,
            EngagementRow.name,
            run.module,
            run.provider,
            run.model,
        )
        .order_by(ClientRow.name, run.client_id, EngagementRow.name, run.engagement_id, run.module, run.model)
    )
    scope = client_scope(principal)
    if scope is not None:
        query = query.where(run.client_id.in_(scope))
    if client_id is not None:
        query = query.where(run.client_id == client_id)
    if engagement_id is not None:
        query = query.where(run.engagement_id == engagement_id)
    lines = [
        CostLine(
            client_id=r[0],
            client_name=r[1],
            engagement_id=r[2],
            engagement_name=r[3],
            module=r[4],
            provider=r[5],
            model=r[6] or "",
            runs=r[7],
            calls=int(r[8] or 0),
            input_tokens=int(r[9] or 0),
            output_tokens=int(r[10] or 0),
            cost_usd=round(float(r[11] or 0), 6),
        )
        for r in uow.session.execute(query).all()
    ]
    totals = CostTotals()
    by_client: dict[str, CostTotals] = {}
    for line in lines:
        for bucket in (totals, by_client.setdefault(line.client_id, CostTotals())):
            bucket.runs += line.runs
            bucket.calls += line.calls
            bucket.input_tokens += line.input_tokens
            bucket.output_tokens += line.output_tokens
            bucket.cost_usd = round(bucket.cost_usd + line.cost_usd, 6)
    return CostLedger(data=lines, count=len(lines), totals=totals, by_client=by_client)
