"""Artifact vocabulary and the status machine (SPEC §4). Pure: no I/O."""

from __future__ import annotations

from enum import StrEnum

from aicmo.domain.errors import InvalidTransition


class Module(StrEnum):
    """The nine generating modules; each one produces an artifact of the same name."""

    INTAKE = "intake"
    STRATEGY = "strategy"
    CREATIVES = "creatives"
    EXECUTION = "execution"
    MONITORING = "monitoring"
    LEADGEN = "leadgen"
    AUTONOMY = "autonomy"
    DELIVERY = "delivery"
    LEARN = "learn"


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


# SPEC §4: a module may generate only when these upstream artifacts are approved.
UPSTREAMS: dict[Module, tuple[Module, ...]] = {
    Module.INTAKE: (),
    Module.STRATEGY: (Module.INTAKE,),
    Module.CREATIVES: (Module.STRATEGY,),
    Module.EXECUTION: (Module.STRATEGY, Module.CREATIVES),
    Module.MONITORING: (Module.EXECUTION,),
    Module.DELIVERY: (Module.INTAKE, Module.STRATEGY, Module.CREATIVES, Module.EXECUTION),
    Module.LEADGEN: (Module.INTAKE, Module.STRATEGY),
    Module.AUTONOMY: (Module.INTAKE,),
    Module.LEARN: (Module.INTAKE,),
}


def topological_order() -> list[Module]:
    """Modules ordered so every module comes after all of its upstreams."""
    ordered: list[Module] = []
    seen: set[Module] = set()

    def visit(module: Module) -> None:
        if module in seen:
            return
        seen.add(module)
        for upstream in UPSTREAMS[module]:
            visit(upstream)
        ordered.append(module)

    for module in Module:
        visit(module)
    return ordered
