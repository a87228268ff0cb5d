"""The proposals panel (issue 16): the plan's regeneration of an amended module waits beside it."""

from __future__ import annotations

from tests.console.conftest import Console, LiveApi, assert_clean, button, sample_brief, texts

from aicmo.services import artifacts, proposals


def test_an_open_proposal_is_shown_with_its_diff_and_discarded_from_the_panel(
    console: Console, live_api: LiveApi
) -> None:
    client_id, engagement_id = live_api.new_engagement("Calder & Finch Solicitors")
    live_api.approved(engagement_id, "intake", brief=sample_brief("law_firm_services"))
    strategy = live_api.generate(engagement_id, "strategy")
    edited = dict(strategy["content"], executive_summary="Fixed fees first, as the partners asked.")
    amended = live_api.amend(strategy, content=edited)
    with live_api.app.uow() as uow:  # what a plan job does when it regenerates an amended module
        row = uow.artifacts.get(amended["id"])
        made = artifacts.NewContent(content=strategy["content"])
        proposals.propose(uow, "system:job strategy.measurement", row, made, [])
        uow.commit()

    at = console.open("Strategy", client_id, engagement_id)
    assert_clean(at)
    warning = "\n".join(w.value for w in at.warning)
    assert "The plan regenerated this module, and kept your edits" in warning
    assert "executive_summary" in warning
    assert "Fixed fees first" in texts(at) or any("Fixed fees first" in c.value for c in at.code)
    button(at, "Discard it, keep my version").click().run()
    assert_clean(at)
    assert "Proposal discarded" in texts(at)
    assert live_api.artifact(engagement_id, "strategy")["version"] == amended["version"]
    assert live_api.call("GET", f"/engagements/{engagement_id}/proposals?status=open") == []
