"""System views: build, database, provider, configuration (secrets masked)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from aicmo.entrypoints.api.deps import AppDep, PrincipalDep, UowDep
from aicmo.services import system
from aicmo.services.access import require_staff, require_write
from aicmo.services.costs import CostLedger, cost_ledger
from aicmo.services.schema import BootstrapReport, bootstrap_schema
from aicmo.services.selftest import SelfTestReport, run_selftest
from aicmo.services.sentinels import SentinelOptions, SentinelReport, run_sentinels

router = APIRouter(prefix="/system", tags=["system"])


@router.get("/status")
def get_status(app: AppDep, principal: PrincipalDep) -> system.SystemStatus:
    """Build (version, git revision, start time), database, migrations and provider status. Not for
    client reviewers."""
    require_staff(principal)
    return system.system_status(app)


@router.get("/sentinels")
def get_sentinels(
    app: AppDep,
    principal: PrincipalDep,
    probe: Annotated[bool, Query(description="Also call the LLM endpoint.")] = False,
) -> SentinelReport:
    """Every sentinel (pass/fail/unknown) with its evidence and remedy; the same report as `aicmo doctor`.
    Not for client reviewers."""
    require_staff(principal)
    return run_sentinels(app.settings, SentinelOptions(probe_provider=probe, served_by_api=True))


@router.post("/bootstrap")
def bootstrap(app: AppDep, principal: PrincipalDep) -> BootstrapReport:
    """Run the migrations to head (admin only); lists the tables before and after."""
    return bootstrap_schema(app.settings, principal)


@router.post("/selftest")
def selftest(principal: PrincipalDep) -> SelfTestReport:
    """Intake -> gating refusal -> approval -> unlock -> stale cascade on a throwaway database."""
    require_write(principal)
    return run_selftest()


@router.get("/costs")
def get_costs(
    uow: UowDep,
    principal: PrincipalDep,
    client_id: Annotated[str | None, Query(max_length=64)] = None,
    engagement_id: Annotated[str | None, Query(max_length=64)] = None,
) -> CostLedger:
    """Tokens, LLM calls and cost by client, engagement, module and model (from generation runs)."""
    return cost_ledger(uow, principal, client_id=client_id, engagement_id=engagement_id)
