"""Stale cascade (SPEC §4): a downstream built on an older upstream version is flagged once the
newer upstream version is approved.

Staleness follows approvals: a draft or revised upstream (a brief being edited, a strategy being
regenerated) flags nothing, because nothing has been decided yet; approving it is the change.
A cause is a small immutable record; the text ("intake changed from v2 to v3") is rendered from
it so every surface says the same. Causes propagate transitively: creatives built on a strategy
that is itself stale inherit the strategy's causes, with the path they came through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aicmo.domain.artifacts import UPSTREAMS, ArtifactStatus, Module


@dataclass(frozen=True)
class StaleCause:
    upstream: Module
    from_version: int
    to_version: int
    via: tuple[Module, ...] = field(default=())

    def __str__(self) -> str:
        text = f"{self.upstream.value} changed from v{self.from_version} to v{self.to_version}"
        if self.via:
            text += " (via " + " -> ".join(m.value for m in self.via) + ")"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "upstream": self.upstream.value,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "via": [m.value for m in self.via],
            "reason": str(self),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StaleCause:
        return cls(
            upstream=Module(data["upstream"]),
            from_version=int(data["from_version"]),
            to_version=int(data["to_version"]),
            via=tuple(Module(m) for m in data.get("via", [])),
        )


@dataclass(frozen=True)
class ArtifactState:
    """What the cascade needs to know about one artifact of an engagement."""

    version: int
    status: ArtifactStatus
    source_versions: Mapping[str, int]
    causes: tuple[StaleCause, ...] = ()


def stale_causes(module: Module, states: Mapping[Module, ArtifactState]) -> list[StaleCause]:
    """Why `module`'s artifact is stale given the current `states` (empty: fresh).

    Direct causes: an upstream it was built on now has a different version, and that version is
    approved (a draft upstream is work in progress, not a change).
    Inherited causes: a direct upstream is itself flagged; its causes pass down with `via`.
    """
    me = states.get(module)
    if me is None or me.status is ArtifactStatus.ARCHIVED:
        return []
    causes: list[StaleCause] = []
    for upstream in UPSTREAMS[module]:
        built_on = me.source_versions.get(upstream.value)
        current = states.get(upstream)
        if current is None or built_on is None:
            continue
        if current.version != built_on and current.status is ArtifactStatus.APPROVED:
            causes.append(StaleCause(upstream, built_on, current.version))
        elif current.status is ArtifactStatus.FLAGGED_FOR_REVIEW:
            for cause in current.causes:
                inherited = StaleCause(
                    cause.upstream, cause.from_version, cause.to_version, (*cause.via, upstream)
                )
                causes.append(inherited)
    return _one_per_change(causes)


def _one_per_change(causes: list[StaleCause]) -> list[StaleCause]:
    """One cause per upstream change, by the shortest path (a diamond would name it twice)."""
    best: dict[tuple[Module, int, int], StaleCause] = {}
    for cause in causes:
        key = (cause.upstream, cause.from_version, cause.to_version)
        if key not in best or len(cause.via) < len(best[key].via):
            best[key] = cause
    return list(best.values())
