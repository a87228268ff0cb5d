"""The plan and the runner's bookkeeping on the fake unit of work: creating a plan from an approved
brief, queueing ready jobs, claims and lapsed leases, an operator's switch - no database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from tests.conftest import SAMPLES
from tests.fakes import FakeUnitOfWork

from aicmo.adapters.db.tables import ArtifactRow, ClientRow, EngagementRow
from aicmo.domain.errors import Conflict
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.plans import JobStatus
from aicmo.services import job_lease, plans

OPERATOR = Principal(name="ops", role=Role.OPERATOR)
J = JobStatus


def fake_with_brief(autonomy: str) -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.clients.add(ClientRow(id="cl_1", name="Saltmarsh"))
    fake.engagements.add(EngagementRow(id="en_1", client_id="cl_1", name="Launch", autonomy_level=autonomy))
    brief = json.loads((SAMPLES / "coffee_ecommerce.json").read_text(encoding="utf-8"))
    fake.artifacts.add(
        ArtifactRow(
            id="ar_1",
            client_id="cl_1",
            engagement_id="en_1",
            type="intake",
            status="approved",
            version=1,
            content=brief,
        )
    )
    return fake


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return fake_with_brief("full")


def test_an_approved_brief_gets_a_plan_whose_first_jobs_are_ready(uow: FakeUnitOfWork) -> None:
    plan = plans.ensure_plan(uow, "en_1", "system:test")

    assert plan is not None and plan.auto_continue  # autonomy full runs on by itself
    jobs = uow.plans.jobs(plan.id)
    assert [j.position for j in jobs] == list(range(len(jobs)))
    ready = {j.key for j in jobs if j.status == J.READY.value}
    assert ready == {j.key for j in jobs if not j.depends_on and j.module == "strategy"}
    assert all(j.status == J.PENDING.value for j in jobs if j.key not in ready)
    assert uow.audit.actions() == ["plan.create"]
    assert plans.ensure_plan(uow, "en_1", "system:test") is plan  # again: the same plan, no new jobs
    assert len(uow.plans.jobs(plan.id)) == len(jobs)


def test_ready_jobs_are_queued_once_and_a_lapsed_lease_is_handed_back(uow: FakeUnitOfWork) -> None:
    plan = plans.ensure_plan(uow, "en_1", "system:test")
    assert plan is not None
    first = job_lease.dispatchable(uow)
    assert first and job_lease.dispatchable(uow) == []  # queued: not again until REQUEUE_AFTER_S

    job_id = first[0][0]
    token = job_lease.claim(uow, job_id, "worker-a", lease_s=30)
    job = uow.plans.job(job_id)
    assert token and job is not None and (job.status, job.worker_id) == (J.RUNNING.value, "worker-a")
    assert job_lease.claim(uow, job_id, "worker-b", lease_s=30) is None  # leased to worker-a
    assert job_lease.renew_leases(uow, "worker-a", lease_s=60) == 1

    job.lease_expires_at = datetime.now(UTC) - timedelta(seconds=1)  # worker-a died
    run_no = job.run_no
    job_lease.dispatchable(uow)  # the sweep hands it back: ready again, under a new run number
    assert (job.status, job.run_no, job.queued_at) == (J.READY.value, run_no + 1, None)
    assert (job.id, job.run_no) in job_lease.dispatchable(uow)  # and the next sweep queues it
    assert job_lease.claim(uow, job_id, "worker-b", lease_s=30)


def test_a_manual_plan_queues_nothing_by_itself() -> None:
    uow = fake_with_brief("manual")
    plan = plans.ensure_plan(uow, "en_1", "system:test")
    assert plan is not None and not plan.auto_continue
    assert job_lease.dispatchable(uow) == []


def test_an_operator_switches_a_job_off_but_not_while_it_runs(uow: FakeUnitOfWork) -> None:
    plan = plans.ensure_plan(uow, "en_1", "system:test")
    assert plan is not None
    jobs = uow.plans.jobs(plan.id)
    later = next(j for j in jobs if j.status == J.PENDING.value)
    switched = plans.toggle_job(uow, OPERATOR, plan.id, later.id, enabled=False)
    assert switched.enabled is False and "job.disable" in uow.audit.actions()

    running = next(j for j in jobs if j.status == J.READY.value)
    assert job_lease.claim(uow, running.id, "worker-a", lease_s=30)
    with pytest.raises(Conflict):
        plans.toggle_job(uow, OPERATOR, plan.id, running.id, enabled=False)
