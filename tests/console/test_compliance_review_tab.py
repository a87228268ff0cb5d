"""The Delivery tab shows a regulated client's compliance review (issue 15) above the delivery
summary: the verdict, the sign-off sheet, the findings and what the compliance officer checks; a
client in no regulated sector sees no review section."""

from __future__ import annotations

from tests.console.conftest import Console, LiveApi, assert_clean, sample_brief, texts


def test_a_regulated_clients_review_shows_in_the_delivery_tab(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Calder & Finch Review")
    live_api.approved(engagement_id, "intake", "strategy", "creatives", "execution", brief=sample_brief())
    execution = live_api.artifact(engagement_id, "execution")
    assert execution is not None
    posts = execution["content"]["posts"]
    posts[1]["text"] = "Best lawyers in Leeds. " + posts[1]["text"]
    live_api.approve(live_api.amend(execution, content={"posts": posts}))
    review = live_api.generate(engagement_id, "compliance")
    assert review is not None and review["status"] == "draft"

    at = console.open("Delivery", client_id, engagement_id)
    assert_clean(at)
    page = texts(at)
    assert "Compliance review" in page
    assert "not ready to publish" in "\n".join(e.value for e in at.error)  # the verdict, as an error
    assert "What the compliance officer checks" in page
    assert "Delivery is blocked" in "\n".join(w.value for w in at.warning)
    frames = [df.value for df in at.dataframe]
    findings = next(f for f in frames if "asset" in f.columns and "rule" in f.columns)
    assert "execution.posts.1" in set(findings["asset"])
    assert "forbidden claim (superlative)" in set(findings["rule"])


def test_a_client_in_no_regulated_sector_sees_no_review(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Roastery Review")
    live_api.approved(engagement_id, "intake", brief=sample_brief("coffee_ecommerce"))
    at = console.open("Delivery", client_id, engagement_id)
    assert_clean(at)
    assert "Compliance review" not in texts(at)
