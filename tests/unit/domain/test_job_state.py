"""A plan job's state as a pure function (issue 17): no database, no plan rows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.gating import GateReason
from aicmo.domain.job_state import BlockCategory, BlockReason, JobFacts, JobState, job_state
from aicmo.domain.schemas.plans import JobStatus

J = JobStatus
C = BlockCategory
WAITING = GateReason(Module.STRATEGY, ArtifactStatus.DRAFT)


def facts(key: str, status: JobStatus, reason: BlockReason | None = None, enabled: bool = True) -> JobFacts:
    return JobFacts(key, status, enabled, reason)


def test_a_job_whose_dependencies_are_done_and_gates_open_is_ready() -> None:
    state = job_state(facts("b", J.PENDING), [facts("a", J.COMPLETED)], [])
    assert state == JobState(J.READY)
    assert state.text == ""


def test_a_job_waits_for_unfinished_dependencies() -> None:
    assert job_state(facts("b", J.READY), [facts("a", J.RUNNING)], []) == JobState(J.PENDING)


def test_closed_gates_block_with_the_approvals_named() -> None:
    state = job_state(facts("b", J.PENDING), [facts("a", J.COMPLETED)], [WAITING])
    assert state is not None
    assert state.reason == BlockReason(C.AWAITING_APPROVAL, gates=("strategy (draft - must be approved)",))
    assert state.text == "waiting for approval: strategy (draft - must be approved)"
    assert not state.reason.blocks_downstream


def test_a_failure_blocks_everything_built_on_it_transitively() -> None:
    failed = facts("a", J.FAILED)
    b = job_state(facts("b", J.PENDING), [failed], [])
    assert b == JobState(J.BLOCKED, BlockReason(C.UPSTREAM_FAILED, ("a",)))
    c = job_state(facts("c", J.PENDING), [facts("b", b.status, b.reason)], [])
    assert c == JobState(J.BLOCKED, BlockReason(C.UPSTREAM_BLOCKED, ("b",)))
    assert c.text == "upstream job blocked: b"


def test_waiting_for_an_approval_upstream_does_not_block_what_follows() -> None:
    waiting = facts("a", J.BLOCKED, BlockReason(C.AWAITING_APPROVAL, gates=("intake",)))
    assert job_state(facts("b", J.PENDING), [waiting], []) == JobState(J.PENDING)


def test_a_completed_job_runs_again_only_when_its_inputs_changed_and_its_gates_are_open() -> None:
    done = facts("a", J.COMPLETED)
    assert job_state(done, [], []) == JobState(J.COMPLETED)
    assert job_state(done, [], [WAITING], inputs_changed=True) == JobState(J.COMPLETED)
    rerun = job_state(done, [], [], inputs_changed=True)
    assert rerun == JobState(J.READY, BlockReason(C.INPUTS_CHANGED))
    assert rerun.text == "inputs changed since the last run: will run again"
    # the note stays while it waits for its own dependencies' re-runs
    later = job_state(facts("b", J.PENDING, BlockReason(C.INPUTS_CHANGED)), [facts("a", J.COMPLETED)], [])
    assert later == JobState(J.READY, BlockReason(C.INPUTS_CHANGED))


def test_running_and_failed_jobs_are_not_the_plans_to_decide() -> None:
    assert job_state(facts("a", J.RUNNING), [], []) is None
    assert job_state(facts("a", J.FAILED), [], []) is None


def test_a_switched_off_job_is_skipped_with_why() -> None:
    off = job_state(facts("a", J.PENDING, enabled=False), [], [], disabled=BlockReason(C.NOT_IN_BRIEF))
    assert off == JobState(J.SKIPPED, BlockReason(C.NOT_IN_BRIEF))
    assert off.text == "no longer in the brief"


statuses = st.sampled_from(list(JobStatus))
reasons = st.none() | st.builds(
    BlockReason, st.sampled_from(list(BlockCategory)), st.tuples(st.sampled_from(["x", "y"]))
)
job_facts = st.builds(JobFacts, st.sampled_from(["a", "b", "c"]), statuses, st.booleans(), reasons)


@given(job=job_facts, deps=st.lists(job_facts, max_size=4), gated=st.booleans(), changed=st.booleans())
def test_the_state_is_total_and_consistent(
    job: JobFacts, deps: list[JobFacts], gated: bool, changed: bool
) -> None:
    state = job_state(job, deps, [WAITING] if gated else [], inputs_changed=changed)
    if job.enabled and job.status in (J.RUNNING, J.FAILED):
        assert state is None
        return
    assert state is not None
    if not job.enabled:
        assert state.status is J.SKIPPED
    if state.status is J.READY:  # ready only when everything it needs is there
        assert not gated and all(d.status is J.COMPLETED for d in deps)
    if state.status is J.BLOCKED:
        assert state.reason is not None and state.reason.category in (
            C.UPSTREAM_FAILED,
            C.UPSTREAM_BLOCKED,
            C.AWAITING_APPROVAL,
        )
    if state.reason is not None:
        assert BlockReason.from_dict(state.reason.as_dict()) == state.reason
        assert str(state.reason)
