"""The per-client cost ledger (`GET /api/v1/system/costs`): one line per client, engagement, kind
of call, module, provider and model, summed from every provider call (`provider_calls`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

COUNTS = (
    "calls",
    "requests",
    "failed",
    "unfinished",
    "started_ahead",
    "repeated",
    "input_tokens",
    "output_tokens",
)


class CostTotals(BaseModel):
    calls: int = Field(default=0, description="Provider calls (one generate, retries inside it)")
    requests: int = Field(default=0, description="HTTP requests they made, retries included")
    failed: int = Field(default=0, description="Calls that ended in an error (still billed)")
    unfinished: int = Field(
        default=0,
        description="Calls still in flight, or cut off by a killed process (counted as one request)",
    )
    started_ahead: int = Field(default=0, description="Calls started before their job ran (prefetch)")
    repeated: int = Field(
        default=0, description="Calls beyond the first for the same job: a retried or crashed job"
    )
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0

    def add(self, other: CostTotals) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.cost_usd = round(self.cost_usd + other.cost_usd, 6)


class CostLine(CostTotals):
    client_id: str = Field(description="Empty for a call that served no client (a brief review)")
    client_name: str
    engagement_id: str
    engagement_name: str
    kind: str = Field(description="generate, plan_job, brief_review or other")
    module: str
    provider: str
    model: str


class CostLedger(BaseModel):
    data: list[CostLine]
    count: int
    totals: CostTotals
    by_client: dict[str, CostTotals]
