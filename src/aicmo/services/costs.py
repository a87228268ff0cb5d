"""The per-client cost ledger: calls, requests, tokens and cost by client, engagement, kind of call,
module and model, from the `provider_calls` rows every provider call writes (issue 18) - failed
calls, calls started ahead and repeated calls of crashed or retried jobs included, and counted as
such."""

from __future__ import annotations

from aicmo.domain.roles import Principal
from aicmo.domain.schemas.costs import CostLedger, CostLine, CostTotals
from aicmo.services.access import client_scope, require_client
from aicmo.services.unit_of_work import UnitOfWork

__all__ = ["CostLedger", "CostLine", "CostTotals", "cost_ledger"]


def cost_ledger(
    uow: UnitOfWork, principal: Principal, *, client_id: str | None = None, engagement_id: str | None = None
) -> CostLedger:
    """Grouped totals, scoped to what `principal` may read (a client reviewer sees its own client)."""
    if client_id is not None:
        require_client(principal, client_id)
    lines = uow.provider_calls.ledger(
        client_ids=client_scope(principal), client_id=client_id, engagement_id=engagement_id
    )
    totals = CostTotals()
    by_client: dict[str, CostTotals] = {}
    for line in lines:
        totals.add(line)
        by_client.setdefault(line.client_id, CostTotals()).add(line)
    return CostLedger(data=lines, count=len(lines), totals=totals, by_client=by_client)
