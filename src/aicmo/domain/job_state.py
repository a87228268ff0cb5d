"""A plan job's state as a pure function of the job, its dependencies, the gates and its inputs.

`job_state` decides what a job waiting in a plan is (pending, ready, blocked, skipped, or due to
run again) and why, as a `BlockReason` record - a category and the jobs or approvals it names -
like `StaleCause` for artifacts. Nothing reads the prose back: the plan reads the category.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aicmo.domain.gating import GateReason
from aicmo.domain.schemas.plans import JobStatus


class BlockCategory(StrEnum):
    """Why a job is not simply pending or running."""

    UPSTREAM_FAILED = "upstream_failed"  # a job it depends on failed
    UPSTREAM_BLOCKED = "upstream_blocked"  # a job it depends on is blocked by a failure upstream
    AWAITING_APPROVAL = "awaiting_approval"  # its module's upstream artifacts are not approved
    NOT_IN_BRIEF = "not_in_brief"  # the brief no longer asks for it (switched off by the plan)
    SWITCHED_OFF = "switched_off"  # an operator switched it off
    INPUTS_CHANGED = "inputs_changed"  # not a block: it ran, and its inputs changed since
    LEASE_EXPIRED = "lease_expired"  # not a block: its worker died, it runs again elsewhere


@dataclass(frozen=True)
class BlockReason:
    category: BlockCategory
    jobs: tuple[str, ...] = ()  # the upstream jobs it names
    gates: tuple[str, ...] = ()  # the approvals it waits for, as people read them
    worker: str = ""  # LEASE_EXPIRED: whose lease ran out

    def __str__(self) -> str:
        c = BlockCategory
        return {
            c.UPSTREAM_FAILED: f"upstream job failed: {', '.join(self.jobs)}",
            c.UPSTREAM_BLOCKED: f"upstream job blocked: {', '.join(self.jobs)}",
            c.AWAITING_APPROVAL: "waiting for approval: " + "; ".join(self.gates),
            c.NOT_IN_BRIEF: "no longer in the brief",
            c.SWITCHED_OFF: "switched off",
            c.INPUTS_CHANGED: "inputs changed since the last run: will run again",
            c.LEASE_EXPIRED: f"lease of {self.worker} expired: running again",
        }[self.category]

    @property
    def blocks_downstream(self) -> bool:
        """A failure somewhere upstream, which a person must fix: what is built on it is blocked
        too (an approval it waits for is not: its dependants simply wait)."""
        return self.category in (BlockCategory.UPSTREAM_FAILED, BlockCategory.UPSTREAM_BLOCKED)

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category.value,
            "jobs": list(self.jobs),
            "gates": list(self.gates),
            "worker": self.worker,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> BlockReason | None:
        if not data:
            return None
        return cls(
            BlockCategory(data["category"]),
            tuple(data.get("jobs", ())),
            tuple(data.get("gates", ())),
            str(data.get("worker", "")),
        )


@dataclass(frozen=True)
class JobFacts:
    """What the state of a job depends on, read from its row."""

    key: str
    status: JobStatus
    enabled: bool = True
    reason: BlockReason | None = None


@dataclass(frozen=True)
class JobState:
    status: JobStatus
    reason: BlockReason | None = None

    @property
    def text(self) -> str:
        return str(self.reason) if self.reason else ""


J = JobStatus


def job_state(
    job: JobFacts,
    deps: Sequence[JobFacts],
    gates: Sequence[GateReason],
    *,
    inputs_changed: bool = False,
    disabled: BlockReason | None = None,
) -> JobState | None:
    """The state of a job that waits in a plan; None when the plan does not decide it (the job is
    running or failed: its worker, or a person, does).

    `deps`: the enabled jobs it depends on; `gates`: why its module may not generate now;
    `inputs_changed`: it completed and what it was built from has changed since (it runs again);
    `disabled`: why it is switched off, for a disabled job.
    """
    if not job.enabled:
        return JobState(J.SKIPPED, disabled or job.reason or BlockReason(BlockCategory.SWITCHED_OFF))
    if job.status in (J.RUNNING, J.FAILED):
        return None
    rerun = job.reason if job.reason and job.reason.category is BlockCategory.INPUTS_CHANGED else None
    if job.status is J.COMPLETED:
        if not inputs_changed or gates:
            return JobState(J.COMPLETED, job.reason)
        rerun = BlockReason(BlockCategory.INPUTS_CHANGED)
    failed = tuple(d.key for d in deps if d.status is J.FAILED)
    stuck = tuple(
        d.key for d in deps if d.status is J.BLOCKED and d.reason is not None and d.reason.blocks_downstream
    )
    if failed:
        return JobState(J.BLOCKED, BlockReason(BlockCategory.UPSTREAM_FAILED, failed))
    if stuck:
        return JobState(J.BLOCKED, BlockReason(BlockCategory.UPSTREAM_BLOCKED, stuck))
    if all(d.status is J.COMPLETED for d in deps):
        if gates:
            return JobState(
                J.BLOCKED, BlockReason(BlockCategory.AWAITING_APPROVAL, gates=tuple(map(str, gates)))
            )
        return JobState(J.READY, rerun)
    return JobState(J.PENDING, rerun)
