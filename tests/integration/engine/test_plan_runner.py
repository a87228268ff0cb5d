"""The plan runner on the real engine (DBOS on a SQLite file) with the offline provider."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select, text, update

from aicmo.adapters.db.tables import AuditRow, PlanJobRow
from aicmo.bootstrap import App
from aicmo.domain.artifacts import Action
from aicmo.domain.schemas.resources import AutonomyLevel
from aicmo.services import artifacts, job_lease, job_runner, plans
from aicmo.services.plan_watch import wait_for_plan
from tests.conftest import POSTGRES_URL, fresh_postgres_database
from tests.integration.engine.conftest import (
    OPERATOR,
    approved_engagement,
    engine_app,
    load_brief,
    plan_of,
    without_exports,
)


def run_all(app: App, engagement_id: str):
    plan = plan_of(app, engagement_id)
    with app.uow() as uow:
        plan, dispatch = plans.run_ready(uow, OPERATOR, plan.id)
    app.dispatch(dispatch)
    return wait_for_plan(app.uow, OPERATOR, plan.id, timeout_s=60)


def test_approving_the_intake_creates_the_spec_dag(running_app: App) -> None:
    engagement = approved_engagement(running_app, load_brief("coffee_ecommerce"), AutonomyLevel.MANUAL)
    plan = plan_of(running_app, engagement)
    keys = [j.key for j in plan.jobs]
    assert keys[:6] == [
        "strategy.icp",
        "strategy.positioning",
        "strategy.messaging",
        "strategy.pillars",
        "strategy.platform_strategy",
        "strategy.measurement",
    ]
    for platform in ("instagram", "facebook", "tiktok"):  # eight weeks: four two-week batches
        assert [k for k in keys if k.startswith(f"execution.posts.{platform}.")] == [
            f"execution.posts.{platform}.w{first}-{first + 1}" for first in (1, 3, 5, 7)
        ]
    assert "execution.email_sequence" in keys
    by_key = {j.key: j for j in plan.jobs}
    assert by_key["strategy.icp"].status == "ready"
    assert by_key["strategy.positioning"].status == "pending"
    assert set(by_key["creatives.brand_kit"].depends_on) >= {"strategy.icp", "strategy.measurement"}


def test_manual_autonomy_stops_at_each_approval_and_resumes_when_it_lands(running_app: App) -> None:
    engagement = approved_engagement(running_app, load_brief(), AutonomyLevel.MANUAL)
    plan = run_all(running_app, engagement)
    by_key = {j.key: j for j in plan.jobs}
    assert all(by_key[k].status == "completed" for k in by_key if k.startswith("strategy."))
    creatives = by_key["creatives.brand_kit"]
    assert creatives.status == "blocked"
    assert creatives.blocked_reason == "waiting for approval: strategy (draft - must be approved)"

    with running_app.uow() as uow:
        strategy = uow.artifacts.by_engagement(engagement)["strategy"]
        strategy_id, version = strategy.id, strategy.version
    with running_app.uow() as uow:
        artifacts.decide(uow, OPERATOR, strategy_id, Action.APPROVE, expected_version=version)
    plan = wait_for_plan(running_app.uow, OPERATOR, plan.id, timeout_s=60)
    by_key = {j.key: j for j in plan.jobs}
    assert all(by_key[k].status == "completed" for k in by_key if k.startswith("creatives."))
    assert by_key["execution.calendar"].blocked_reason.startswith("waiting for approval: creatives")


def test_a_new_engagement_through_the_whole_plan_leaves_one_version_per_module(running_app: App) -> None:
    """Parts are assembled in a working draft (each job's part on its row); the module's version is
    written once, when its last part is (issue 16: a new engagement used to end at "execution v27").
    Export jobs are off: they write no version, and their rendering is most of a plan's time."""
    engagement = without_exports(running_app, load_brief("hospital_hiring"), AutonomyLevel.FULL)
    plan = run_all(running_app, engagement)
    generate_jobs = [j for j in plan.jobs if j.kind == "generate"]
    assert len(generate_jobs) >= 18
    assert all(j.status == "completed" for j in plan.jobs if j.enabled), [
        (j.key, j.status) for j in plan.jobs
    ]
    with running_app.uow() as uow:
        rows = uow.artifacts.by_engagement(engagement)
        versions = {t: [v.version for v in uow.artifacts.versions(r.id)] for t, r in rows.items()}
        generations = Counter(
            a.artifact_type
            for a in uow.session.scalars(select(AuditRow).where(AuditRow.action.like("generation.%")))
            if a.engagement_id == engagement
        )
        provenance = {t: r.provenance["generator"] for t, r in rows.items() if t != "intake"}
    modules = {j.module.value for j in generate_jobs}
    # a hospital hiring nurses is regulated (healthcare, employment): its plan has a compliance review
    assert modules == {"strategy", "creatives", "execution", "compliance", "monitoring", "delivery"}
    assert versions == {t: [1] for t in modules | {"intake"}}
    assert {t: generations[t] for t in modules} == dict.fromkeys(modules, 1)
    assert provenance == {t: f"aicmo.{t}" for t in modules}
    assert {j.artifact_version for j in generate_jobs} == {1}


def test_assisted_autonomy_auto_approves_and_records_it(running_app: App) -> None:
    engagement = approved_engagement(running_app, load_brief("law_firm_services"), AutonomyLevel.ASSISTED)
    plan = run_all(running_app, engagement)
    by_module = {j.module.value: j for j in plan.jobs}
    assert by_module["monitoring"].status == "completed"
    with running_app.uow() as uow:
        rows = uow.artifacts.by_engagement(engagement)
        assert {m: rows[m].status for m in ("strategy", "creatives", "execution", "monitoring")} == {
            m: "approved" for m in ("strategy", "creatives", "execution", "monitoring")
        }
        autos = [
            (a.artifact_type, a.actor)
            for a in uow.session.scalars(select(AuditRow).where(AuditRow.action == "artifact.auto_approve"))
        ]
    assert {kind for kind, _ in autos} >= {"strategy", "creatives", "execution", "monitoring"}
    assert {actor for _, actor in autos} == {"system:autopilot"}


def test_a_job_whose_upstream_lost_its_approval_before_the_claim_is_handed_back_blocked(tmp_path) -> None:
    """The race the claim cannot see: the job was ready when queued, and the brief's approval was
    withdrawn before a worker took it. The runner checks the gates after claiming and gives the
    job back blocked, with the reason, without generating anything."""
    app = engine_app(tmp_path)  # no engine: the test is the worker
    try:
        engagement = approved_engagement(app, load_brief(), AutonomyLevel.MANUAL)
        icp = next(j for j in plan_of(app, engagement).jobs if j.key == "strategy.icp")
        assert icp.status == "ready"
        with app.uow() as uow:  # behind the plan's back, as a concurrent request would land
            uow.artifacts.by_engagement(engagement)["intake"].status = "revised"
            uow.commit()

        outcome = job_runner.execute_job(app.uow, app.provider, icp.id, "worker-1")

        assert outcome.result == "blocked"
        job = next(j for j in plan_of(app, engagement).jobs if j.key == "strategy.icp")
        assert (job.status, job.blocked_reason) == ("blocked", outcome.detail)
        assert job.blocked_reason == "waiting for approval: intake (revised - must be approved)"
        assert job.llm_calls == 0
        with app.uow() as uow:
            assert "strategy" not in uow.artifacts.by_engagement(engagement)
    finally:
        app.close()


def test_a_lease_renewal_leaves_the_job_row_version_alone(tmp_path) -> None:
    """The heartbeat renews a running job's lease without counting as a change of the job: a
    renewal during a long export used to make the job's own completion lose its version check."""
    app = engine_app(tmp_path)  # no engine: the test is the worker
    try:
        engagement = approved_engagement(app, load_brief(), AutonomyLevel.MANUAL)
        icp = next(j for j in plan_of(app, engagement).jobs if j.key == "strategy.icp")
        with app.uow() as uow:
            assert job_lease.claim(uow, icp.id, "worker-1", 30.0)
            uow.commit()
            row = uow.session.get(PlanJobRow, icp.id)
            before, lease = row.row_version, row.lease_expires_at
        with app.uow() as uow:
            assert job_lease.renew_leases(uow, "worker-1", 300.0) == 1
        with app.uow() as uow:
            row = uow.session.get(PlanJobRow, icp.id)
            assert row.row_version == before
            assert row.lease_expires_at > lease
    finally:
        app.close()


@pytest.mark.postgres
def test_a_lease_renewal_skips_a_job_whose_bookkeeping_holds_its_row(tmp_path) -> None:
    """On PostgreSQL the heartbeat's one UPDATE took the worker's rows in scan order and waited for
    a row a job's completion held, while that completion waited for a row the heartbeat had taken:
    a deadlock (seen in the stress test). It now renews what is free and skips what is held (that
    job is finishing; its lease is renewed at the next beat if it is not)."""
    if not POSTGRES_URL:
        pytest.skip("AICMO_TEST_POSTGRES_URL is not set")
    url, drop = fresh_postgres_database()
    app = engine_app(tmp_path, url)
    try:
        engagement = approved_engagement(app, load_brief(), AutonomyLevel.MANUAL)
        jobs = [j for j in plan_of(app, engagement).jobs if j.key in ("strategy.icp", "strategy.positioning")]
        with app.uow() as uow:
            for job in jobs:
                uow.session.execute(
                    update(PlanJobRow).where(PlanJobRow.id == job.id).values(status="running", worker_id="w1")
                )
            uow.commit()
        with app.uow() as holder:  # a completion in progress holds the first job's row
            holder.session.execute(select(PlanJobRow.id).where(PlanJobRow.id == jobs[0].id).with_for_update())
            with app.uow() as uow:
                uow.session.execute(text("SET LOCAL lock_timeout = '2s'"))  # a wait would fail, not hang
                assert job_lease.renew_leases(uow, "w1", 300.0) == 1
            holder.session.rollback()
        with app.uow() as uow:
            assert job_lease.renew_leases(uow, "w1", 300.0) == 2
    finally:
        app.close()
        drop()
