"""The artifact rules without a database: the status machine, gating and the stale cascade.

The HTTP state machine (tests/api/routes/test_artifact_status_machine.py) drives the same rules
through the API; these examples run in microseconds, so Hypothesis can try far more of them.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from aicmo.domain.artifacts import Action, ArtifactStatus, can_apply, next_status
from aicmo.domain.errors import InvalidTransition
from aicmo.domain.gating import gate_reasons
from aicmo.domain.modules import UPSTREAMS, Module, topological_order
from aicmo.domain.staleness import ArtifactState, StaleCause, stale_causes

S = ArtifactStatus
LIVE = {S.DRAFT, S.REVISED, S.APPROVED, S.FLAGGED_FOR_REVIEW}
# Written from SPEC §4, independently of domain.artifacts.TRANSITIONS: action -> {from: to}.
EXPECTED: dict[Action, dict[ArtifactStatus, ArtifactStatus]] = {
    Action.GENERATE: dict.fromkeys(LIVE, S.DRAFT),
    Action.AMEND: dict.fromkeys(LIVE, S.REVISED),
    Action.APPROVE: {S.DRAFT: S.APPROVED, S.REVISED: S.APPROVED, S.FLAGGED_FOR_REVIEW: S.APPROVED},
    Action.AUTO_APPROVE: {S.DRAFT: S.APPROVED, S.REVISED: S.APPROVED, S.FLAGGED_FOR_REVIEW: S.APPROVED},
    Action.REVOKE: {S.APPROVED: S.DRAFT},
    Action.REJECT: dict.fromkeys(LIVE, S.DRAFT),
    Action.FLAG: dict.fromkeys(LIVE, S.FLAGGED_FOR_REVIEW),
    Action.ARCHIVE: dict.fromkeys(LIVE, S.ARCHIVED),
    Action.CREATE: {},  # creating is not a transition of an existing artifact
}


class ArtifactLifecycle(RuleBasedStateMachine):
    """One artifact: every action from every reachable status is allowed or refused as SPEC says."""

    def __init__(self) -> None:
        super().__init__()
        self.status = S.DRAFT
        self.history: list[ArtifactStatus] = [S.DRAFT]

    @rule(action=st.sampled_from(list(Action)))
    def act(self, action: Action) -> None:
        expected = EXPECTED[action].get(self.status)
        assert can_apply(action, self.status) is (expected is not None)
        if expected is None:
            with pytest.raises(InvalidTransition) as refused:
                next_status(action, self.status)
            assert action.value in str(refused.value) and self.status.value in str(refused.value)
            return
        self.status = next_status(action, self.status)
        assert self.status is expected
        self.history.append(self.status)

    @invariant()
    def archived_is_final(self) -> None:
        if S.ARCHIVED in self.history:
            assert self.history[-1] is S.ARCHIVED and self.history.count(S.ARCHIVED) == 1


TestArtifactLifecycle = ArtifactLifecycle.TestCase


statuses = st.one_of(st.none(), st.sampled_from(list(ArtifactStatus)))


@given(module=st.sampled_from(list(Module)), data=st.data())
def test_a_module_may_generate_exactly_when_every_upstream_is_approved(module: Module, data) -> None:
    upstream = {m: data.draw(statuses, label=m.value) for m in Module}
    reasons = gate_reasons(module, upstream)
    blocked = [u for u in UPSTREAMS[module] if upstream[u] is not S.APPROVED]
    assert [r.upstream for r in reasons] == blocked
    assert all(r.status is upstream[r.upstream] for r in reasons)
    assert all(r.upstream.value in str(r) for r in reasons)


def test_a_missing_upstream_is_named_as_missing() -> None:
    assert [str(r) for r in gate_reasons(Module.EXECUTION, {Module.STRATEGY: S.APPROVED})] == [
        "creatives (missing)"
    ]


def _built_on(module: Module, versions: dict[Module, int]) -> dict[str, int]:
    return {u.value: versions[u] for u in UPSTREAMS[module]}


@given(changed=st.sampled_from(list(Module)), bump=st.integers(min_value=1, max_value=5))
def test_a_new_upstream_version_flags_exactly_what_was_built_on_it(changed: Module, bump: int) -> None:
    """Everything built on v1 of everything; then a new version of `changed` is approved (a draft
    flags nothing: staleness follows approvals). Walking the modules in dependency order and
    flagging as a service would, every module that (transitively) builds on `changed` is stale,
    naming that change once; nothing else is."""
    versions = dict.fromkeys(Module, 1)
    states = {m: ArtifactState(1, S.APPROVED, _built_on(m, versions)) for m in Module}
    draft = {**states, changed: ArtifactState(1 + bump, S.DRAFT, _built_on(changed, versions))}
    assert all(stale_causes(m, draft) == [] for m in Module)
    states[changed] = ArtifactState(1 + bump, S.APPROVED, _built_on(changed, versions))
    for module in topological_order():
        causes = stale_causes(module, states)
        if causes:
            states[module] = ArtifactState(
                1, S.FLAGGED_FOR_REVIEW, states[module].source_versions, tuple(causes)
            )

    def builds_on(module: Module) -> bool:
        return any(u is changed or builds_on(u) for u in UPSTREAMS[module])

    for module in Module:
        causes = states[module].causes
        if builds_on(module):
            assert [(c.upstream, c.from_version, c.to_version) for c in causes] == [(changed, 1, 1 + bump)]
            assert str(causes[0]).startswith(f"{changed.value} changed from v1 to v{1 + bump}")
        else:
            assert causes == ()


def test_an_inherited_cause_names_the_path_it_came_through() -> None:
    cause = StaleCause(Module.INTAKE, 2, 3)
    states = {
        Module.INTAKE: ArtifactState(3, S.APPROVED, {}),
        Module.STRATEGY: ArtifactState(1, S.FLAGGED_FOR_REVIEW, {"intake": 2}, (cause,)),
        Module.CREATIVES: ArtifactState(1, S.APPROVED, {"strategy": 1}),
    }
    assert [str(c) for c in stale_causes(Module.CREATIVES, states)] == [
        "intake changed from v2 to v3 (via strategy)"
    ]
    archived = {**states, Module.CREATIVES: ArtifactState(1, S.ARCHIVED, {"strategy": 1})}
    assert stale_causes(Module.CREATIVES, archived) == []
