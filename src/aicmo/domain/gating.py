"""Gating (SPEC §4): which upstream artifacts stop a module from generating, and why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aicmo.domain.artifacts import UPSTREAMS, ArtifactStatus, Module

_WHY = {
    ArtifactStatus.DRAFT: "draft - must be approved",
    ArtifactStatus.REVISED: "revised - must be approved",
    ArtifactStatus.FLAGGED_FOR_REVIEW: "flagged_for_review - upstream changed",
    ArtifactStatus.ARCHIVED: "archived - must be regenerated and approved",
}


@dataclass(frozen=True)
class GateReason:
    upstream: Module
    status: ArtifactStatus | None  # None: the upstream artifact does not exist

    def __str__(self) -> str:
        if self.status is None:
            return f"{self.upstream.value} (missing)"
        return f"{self.upstream.value} ({_WHY[self.status]})"

    def as_dict(self) -> dict[str, str | None]:
        return {
            "upstream": self.upstream.value,
            "status": self.status.value if self.status else None,
            "reason": str(self),
        }


def gate_reasons(
    module: Module, upstream_statuses: Mapping[Module, ArtifactStatus | None]
) -> list[GateReason]:
    """Reasons `module` may not generate; an empty list means it may."""
    reasons = []
    for upstream in UPSTREAMS[module]:
        status = upstream_statuses.get(upstream)
        if status is not ArtifactStatus.APPROVED:
            reasons.append(GateReason(upstream, status))
    return reasons
