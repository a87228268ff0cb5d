"""Gating reasons worded as SPEC §4, and the transitive stale cascade with named causes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import Api


def gating(api: Api, engagement: str, module: str) -> dict:
    return api.get(f"/engagements/{engagement}/gating/{module}", expect=200)


def test_gating_names_a_missing_then_draft_intake(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    assert gating(api, engagement, "strategy")["reasons"] == ["intake (missing)"]
    intake = api.new_artifact(engagement, "intake")
    assert gating(api, engagement, "strategy") == {
        "engagement_id": engagement,
        "module": "strategy",
        "allowed": False,
        "reasons": ["intake (draft - must be approved)"],
    }
    api.approve(intake)
    assert gating(api, engagement, "strategy")["allowed"] is True


def test_gating_names_revised_and_flagged_upstreams(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    intake = api.approve(api.new_artifact(engagement, "intake"))
    strategy = api.approve(api.new_artifact(engagement, "strategy"))
    creatives = api.approve(api.new_artifact(engagement, "creatives"))
    assert gating(api, engagement, "execution")["allowed"] is True

    api.amend(strategy, notes="Sharper positioning")  # a revision flags nothing until approved
    assert gating(api, engagement, "execution")["reasons"] == ["strategy (revised - must be approved)"]
    assert api.artifact(creatives["id"])["status"] == "approved"
    intake_v2 = api.amend(intake, notes="New offer")
    assert gating(api, engagement, "delivery")["reasons"] == [
        "intake (revised - must be approved)",
        "strategy (revised - must be approved)",
        "execution (missing)",
    ]
    api.approve(intake_v2)  # now the revised strategy built on intake v1 is stale, and creatives too
    assert gating(api, engagement, "delivery")["reasons"] == [
        "strategy (flagged_for_review - upstream changed)",
        "creatives (flagged_for_review - upstream changed)",
        "execution (missing)",
    ]


def test_approval_is_refused_while_an_upstream_is_unapproved(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    api.new_artifact(engagement, "intake")
    strategy = api.new_artifact(engagement, "strategy")
    answer = api.post(f"/artifacts/{strategy['id']}/approve", {"expected_version": 1}, expect=409)
    assert answer["error"]["type"] == "GATING_ERROR"
    assert answer["error"]["details"][0]["reason"] == "intake (draft - must be approved)"


def test_intake_v2_flags_strategy_creatives_and_execution_with_causes(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    intake = api.approve(api.new_artifact(engagement, "intake"))
    strategy = api.approve(api.new_artifact(engagement, "strategy"))
    creatives = api.approve(api.new_artifact(engagement, "creatives"))
    execution = api.approve(api.new_artifact(engagement, "execution"))

    intake_v2 = api.amend(intake, content={"target_audience": "Mid-market HR teams"})
    assert intake_v2["version"] == 2
    for artifact in (strategy, creatives, execution):  # a draft upstream flags nothing
        assert api.artifact(artifact["id"])["status"] == "approved"
    assert api.get("/audit", expect=200, engagement_id=engagement, action="artifact.flag")["count"] == 0
    api.approve(intake_v2)  # the cascade starts when the new version is approved

    causes = {
        name: [c["reason"] for c in api.artifact(a["id"])["stale_causes"]]
        for name, a in (("strategy", strategy), ("creatives", creatives), ("execution", execution))
    }
    assert causes == {
        "strategy": ["intake changed from v1 to v2"],
        "creatives": ["intake changed from v1 to v2 (via strategy)"],
        "execution": ["intake changed from v1 to v2 (via strategy)"],
    }
    for artifact in (strategy, creatives, execution):
        assert api.artifact(artifact["id"])["status"] == "flagged_for_review"

    flags = api.get("/audit", expect=200, engagement_id=engagement, action="artifact.flag")["data"]
    assert sorted(f["artifact_type"] for f in flags) == ["creatives", "execution", "strategy"]


def test_reapproving_clears_the_cause_and_rebases_on_the_new_upstream(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    intake = api.approve(api.new_artifact(engagement, "intake"))
    strategy = api.approve(api.new_artifact(engagement, "strategy"))
    api.approve(api.amend(intake, notes="Add Germany"))

    flagged = api.artifact(strategy["id"])
    assert flagged["status"] == "flagged_for_review"
    reapproved = api.approve(flagged)
    assert reapproved["stale_causes"] == []
    assert reapproved["source_versions"] == {"intake": 2}
    assert gating(api, engagement, "creatives")["allowed"] is True
