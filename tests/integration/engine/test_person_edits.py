"""A person's edit is never overwritten by the plan (issue 16), and a job stores a generation the
way the generate route does (issue 17): the engine runs for real (DBOS on a SQLite file)."""

from __future__ import annotations

import copy
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select

from aicmo.adapters.db.tables import AuditRow, GenerationRunRow
from aicmo.bootstrap import App
from aicmo.domain.artifacts import Action, Module
from aicmo.domain.schemas.generation import GenerateRequest
from aicmo.domain.schemas.plans import JobStatus
from aicmo.domain.schemas.proposals import ProposalStatus
from aicmo.domain.schemas.resources import ArtifactAmend, AutonomyLevel
from aicmo.services import artifacts, generation, job_lease, plans, proposals
from aicmo.services.plan_watch import wait_for_plan
from tests.integration.engine.conftest import (
    OPERATOR,
    approved_engagement,
    load_brief,
    plan_of,
    without_exports,
)


def _artifact(app: App, engagement: str, module: str) -> Any:
    with app.uow() as uow:
        row = uow.artifacts.by_engagement(engagement)[module]
        names = ("id", "version", "status", "content", "content_markdown", "provenance", "inputs_hash")
        return SimpleNamespace(**{name: getattr(row, name) for name in names})


def _amend_strategy(app: App, engagement: str) -> dict[str, Any]:
    """The operator corrects the executive summary and one pillar's text; returns the content."""
    row = _artifact(app, engagement, "strategy")
    content = copy.deepcopy(row.content)
    content["executive_summary"] = "Corrected by the account lead: 40 demo requests a month, not 25."
    content["pillars"][0]["description"] = "Our own words for the first pillar, kept exactly as typed."
    with app.uow() as uow:
        artifacts.amend_artifact(
            uow, OPERATOR, row.id, ArtifactAmend(expected_version=row.version, content=content)
        )
    return content


def _change_and_approve_brief(app: App, engagement: str) -> None:
    row = _artifact(app, engagement, "intake")
    brief = copy.deepcopy(row.content)
    brief["primary_offer"] = "Onboarding software that gets new hires productive in their first three days"
    with app.uow() as uow:
        amended = artifacts.amend_artifact(
            uow, OPERATOR, row.id, ArtifactAmend(expected_version=row.version, content=brief)
        )
    with app.uow() as uow:
        artifacts.decide(uow, OPERATOR, row.id, Action.APPROVE, expected_version=amended.version)


def _generation_runs(app: App, engagement: str) -> int:
    with app.uow() as uow:
        return uow.session.scalar(
            select(func.count())
            .select_from(GenerationRunRow)
            .where(GenerationRunRow.engagement_id == engagement)
        )


def _run_all(app: App, engagement: str):
    plan = plan_of(app, engagement)
    with app.uow() as uow:
        plan, dispatch = plans.run_ready(uow, OPERATOR, plan.id)
    app.dispatch(dispatch)
    return wait_for_plan(app.uow, OPERATOR, plan.id, timeout_s=120)


def test_in_manual_autonomy_approving_an_amended_brief_starts_no_generation(running_app: App) -> None:
    engagement = approved_engagement(running_app, load_brief(), AutonomyLevel.MANUAL)
    plan = _run_all(running_app, engagement)  # the operator runs the plan once: strategy is written
    assert all(j.status is JobStatus.COMPLETED for j in plan.jobs if j.module is Module.STRATEGY)
    amended = _amend_strategy(running_app, engagement)
    runs_before = _generation_runs(running_app, engagement)

    _change_and_approve_brief(running_app, engagement)

    plan = wait_for_plan(running_app.uow, OPERATOR, plan.id, timeout_s=30)
    with running_app.uow() as uow:
        assert job_lease.dispatchable(uow) == []  # what the engine's sweeper would start: nothing
    strategy_jobs = [j for j in plan.jobs if j.module is Module.STRATEGY]
    assert not plan.auto_continue
    assert all(j.queued_at is None and j.status is not JobStatus.RUNNING for j in plan.jobs)
    assert {j.reason.category for j in strategy_jobs if j.reason} == {"inputs_changed"}
    assert strategy_jobs[0].blocked_reason == "inputs changed since the last run: will run again"
    assert _generation_runs(running_app, engagement) == runs_before
    strategy = _artifact(running_app, engagement, "strategy")
    assert (strategy.version, strategy.content) == (2, amended)


def test_in_full_autonomy_an_amended_strategy_survives_a_plan_rerun_word_for_word(running_app: App) -> None:
    engagement = without_exports(running_app, load_brief(), AutonomyLevel.FULL)
    plan = _run_all(running_app, engagement)
    assert all(j.status is JobStatus.COMPLETED for j in plan.jobs if j.enabled)
    amended = _amend_strategy(running_app, engagement)
    amended_version = _artifact(running_app, engagement, "strategy").version

    _change_and_approve_brief(running_app, engagement)  # the strategy's jobs must run again

    plan = wait_for_plan(running_app.uow, OPERATOR, plan.id, timeout_s=120)
    strategy_jobs = [j for j in plan.jobs if j.module is Module.STRATEGY]
    assert all(j.status is JobStatus.COMPLETED and j.attempts == 2 for j in strategy_jobs)  # ran again
    strategy = _artifact(running_app, engagement, "strategy")
    assert strategy.version == amended_version
    assert strategy.content == amended  # word for word

    with running_app.uow() as uow:
        listed = proposals.list_proposals(uow, OPERATOR, engagement, ProposalStatus.OPEN)
    assert [p.type for p in listed] == [Module.STRATEGY]
    assert "proposal" in strategy_jobs[-1].blocked_reason and listed[0].id in strategy_jobs[-1].blocked_reason
    with running_app.uow() as uow:
        detail = proposals.get_proposal(uow, OPERATOR, listed[0].id)
    assert detail.base_version == amended_version
    assert {"executive_summary", "pillars"} <= set(detail.changed_fields)
    assert "-Corrected by the account lead" in detail.unified_diff or "Corrected by the account lead" in (
        detail.content_diff
    )
    assert "three days" in detail.content_diff  # the regenerated strategy read the new brief

    with running_app.uow() as uow:  # the operator takes only the regenerated messaging
        proposals.accept(
            uow,
            OPERATOR,
            detail.id,
            proposals.ProposalAccept(expected_version=amended_version, fields=["messaging"]),
        )
    merged = _artifact(running_app, engagement, "strategy")
    assert merged.version == amended_version + 1
    assert merged.content["executive_summary"] == amended["executive_summary"]
    assert merged.content["messaging"] == detail.content["messaging"]


def _entries(app: App, artifact_id: str) -> list[tuple[Any, ...]]:
    with app.uow() as uow:
        rows = uow.session.scalars(
            select(AuditRow).where(AuditRow.artifact_id == artifact_id).order_by(AuditRow.id)
        )
        return [
            (a.action, a.from_version, a.to_version, a.from_status, a.to_status, sorted(a.data)) for a in rows
        ]


def test_the_route_and_a_plan_job_store_a_generation_alike(running_app: App) -> None:
    brief = load_brief()
    by_route = approved_engagement(running_app, brief, AutonomyLevel.MANUAL)
    by_plan = approved_engagement(running_app, brief, AutonomyLevel.MANUAL)
    with running_app.uow() as uow:
        generation.generate(
            uow, running_app.provider, OPERATOR, Module.STRATEGY, GenerateRequest(engagement_id=by_route)
        )
    _run_all(running_app, by_plan)

    route, job = _artifact(running_app, by_route, "strategy"), _artifact(running_app, by_plan, "strategy")
    volatile = {"run_id", "trace_id"}
    assert {k: v for k, v in route.provenance.items() if k not in volatile} == {
        k: v for k, v in job.provenance.items() if k not in volatile
    }
    assert route.provenance["prompt_version"]
    assert (route.version, route.status, route.inputs_hash) == (job.version, job.status, job.inputs_hash)
    assert route.content == job.content
    assert route.content_markdown == job.content_markdown
    assert _entries(running_app, route.id) == _entries(running_app, job.id)
    assert [e[0] for e in _entries(running_app, job.id)] == ["artifact.generate", "generation.success"]
    with running_app.uow() as uow:
        runs = {
            r.engagement_id: (r.id, r.prompt_version, r.status)
            for r in uow.session.scalars(
                select(GenerationRunRow).where(GenerationRunRow.artifact_id.is_not(None))
            )
        }
    prompt = route.provenance["prompt_version"]
    assert runs[by_route] == (route.provenance["run_id"], prompt, "SUCCESS")
    assert runs[by_plan] == (job.provenance["run_id"], prompt, "SUCCESS")
