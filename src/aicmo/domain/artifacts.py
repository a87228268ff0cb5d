"""Artifact vocabulary and the status machine (SPEC §4). Pure: no I/O."""

from __future__ import annotations

from enum import StrEnum

from aicmo.domain.errors import InvalidTransition

# The module vocabulary lives in the registry; re-exported here for the artifact rules' readers.
from aicmo.domain.modules import UPSTREAMS as UPSTREAMS
from aicmo.domain.modules import Module as Module
from aicmo.domain.modules import topological_order as topological_order

ArtifactType = Module


class ArtifactStatus(StrEnum):
    DRAFT = "draft"
    REVISED = "revised"
    APPROVED = "approved"
    FLAGGED_FOR_REVIEW = "flagged_for_review"
    ARCHIVED = "archived"


class Action(StrEnum):
    """Everything that can happen to an artifact; each is recorded in the audit trail."""

    CREATE = "create"
    GENERATE = "generate"
    AMEND = "amend"
    APPROVE = "approve"
    AUTO_APPROVE = "auto_approve"
    REVOKE = "revoke"
    REJECT = "reject"
    FLAG = "flag"
    ARCHIVE = "archive"


S = ArtifactStatus
_LIVE = frozenset({S.DRAFT, S.REVISED, S.APPROVED, S.FLAGGED_FOR_REVIEW})

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[ArtifactStatus], ArtifactStatus]] = {
    Action.GENERATE: (_LIVE, S.DRAFT),
    Action.AMEND: (_LIVE, S.REVISED),
    Action.APPROVE: (frozenset({S.DRAFT, S.REVISED, S.FLAGGED_FOR_REVIEW}), S.APPROVED),
    Action.AUTO_APPROVE: (frozenset({S.DRAFT, S.REVISED, S.FLAGGED_FOR_REVIEW}), S.APPROVED),
    Action.REVOKE: (frozenset({S.APPROVED}), S.DRAFT),
    Action.REJECT: (frozenset({S.DRAFT, S.REVISED, S.APPROVED, S.FLAGGED_FOR_REVIEW}), S.DRAFT),
    Action.FLAG: (_LIVE, S.FLAGGED_FOR_REVIEW),
    Action.ARCHIVE: (_LIVE, S.ARCHIVED),
}

# actions that store a new content version (the rest only change status)
CONTENT_ACTIONS = frozenset({Action.CREATE, Action.GENERATE, Action.AMEND})


def can_apply(action: Action, status: ArtifactStatus) -> bool:
    if action is Action.CREATE:
        return False
    sources, _ = TRANSITIONS[action]
    return status in sources


def next_status(action: Action, status: ArtifactStatus) -> ArtifactStatus:
    """The status after `action`, or InvalidTransition naming both."""
    if not can_apply(action, status):
        raise InvalidTransition(
            f"cannot {action.value} an artifact that is {status.value}",
            action=action.value,
            status=status.value,
        )
    return TRANSITIONS[action][1]
