"""Staleness follows approvals (issue 16): properties of `stale_causes` over any engagement state."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aicmo.domain.artifacts import UPSTREAMS, ArtifactStatus, Module
from aicmo.domain.staleness import ArtifactState, StaleCause, stale_causes

S = ArtifactStatus
CHAIN = (Module.INTAKE, Module.STRATEGY, Module.CREATIVES, Module.EXECUTION)


@st.composite
def engagements(draw: st.DrawFn) -> dict[Module, ArtifactState]:
    """Any state of intake → strategy → creatives → execution: versions, statuses, what each was
    built on (possibly an older upstream version), and causes on the flagged ones."""
    states: dict[Module, ArtifactState] = {}
    for module in CHAIN:
        version = draw(st.integers(1, 6))
        status = draw(st.sampled_from([S.DRAFT, S.REVISED, S.APPROVED, S.FLAGGED_FOR_REVIEW]))
        built_on = {u.value: draw(st.integers(1, states[u].version)) for u in UPSTREAMS[module]}
        causes: tuple[StaleCause, ...] = ()
        if status is S.FLAGGED_FOR_REVIEW:
            causes = (StaleCause(Module.INTAKE, 1, 2),)
        states[module] = ArtifactState(version, status, built_on, causes)
    return states


@settings(deadline=None, max_examples=300)
@given(engagements())
def test_only_an_approved_newer_upstream_is_a_direct_cause(states: dict[Module, ArtifactState]) -> None:
    for module in CHAIN:
        for cause in stale_causes(module, states):
            if cause.via:
                continue  # inherited: passes through a flagged upstream
            upstream = states[cause.upstream]
            assert upstream.status is S.APPROVED
            assert cause.to_version == upstream.version
            assert cause.from_version == states[module].source_versions[cause.upstream.value]
            assert cause.from_version != cause.to_version


@settings(deadline=None, max_examples=300)
@given(engagements())
def test_drafts_flag_nothing(states: dict[Module, ArtifactState]) -> None:
    """With every approved upstream at the version built on and none flagged, nothing is stale,
    however many draft or revised versions the other upstreams have moved on to."""
    calm: dict[Module, ArtifactState] = {}
    for module in CHAIN:
        state = states[module]
        status = S.DRAFT if state.status is S.FLAGGED_FOR_REVIEW else state.status
        built_on = {
            u.value: calm[u].version if calm[u].status is S.APPROVED else v
            for u, v in ((Module(k), v) for k, v in state.source_versions.items())
        }
        calm[module] = ArtifactState(state.version, status, built_on)
    assert all(stale_causes(m, calm) == [] for m in CHAIN)


@settings(deadline=None, max_examples=300)
@given(engagements(), st.sampled_from(CHAIN[:-1]))
def test_approving_a_newer_upstream_version_flags_every_direct_downstream(
    states: dict[Module, ArtifactState], upstream: Module
) -> None:
    before = states[upstream]
    states = {**states, upstream: ArtifactState(before.version + 1, S.APPROVED, before.source_versions)}
    for module in CHAIN:
        if upstream in UPSTREAMS[module]:
            direct = [c for c in stale_causes(module, states) if c.upstream is upstream and not c.via]
            assert [(c.from_version, c.to_version) for c in direct] == [
                (states[module].source_versions[upstream.value], before.version + 1)
            ]
