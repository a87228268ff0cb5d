"""The Delivery tab's client review: the link to give the client is the review page, every client
decision shows with its comment, and a review past its due date is listed as overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from tests.console.conftest import Console, LiveApi, assert_clean, sample_brief, texts

from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.sharing import ShareLinkCreate
from aicmo.services import share_links

OPERATOR = Principal(name="maya", role=Role.OPERATOR)


def test_an_overdue_review_and_the_clients_comment_show_in_the_delivery_tab(
    console: Console, live_api: LiveApi
) -> None:
    client_id, engagement_id = live_api.new_engagement("Overdue Review Ltd")
    live_api.approved(engagement_id, "intake", "strategy", brief=sample_brief("law_firm_services"))
    secret = share_links.share_link_secret(live_api.app.settings)
    issued = datetime.now(UTC) - timedelta(days=10)
    with live_api.app.uow() as uow:  # issued ten days ago, due three days after
        link = share_links.issue_share_link(
            uow, OPERATOR, engagement_id,
            ShareLinkCreate(expires_in_hours=720, review_due=issued.date() + timedelta(days=3)),
            secret, base_url=live_api.url, now=issued,
        )  # fmt: skip
    strategy = next(
        a
        for a in live_api.call("GET", f"/artifacts?engagement_id={engagement_id}")["data"]
        if a["type"] == "strategy"
    )
    sent = httpx.post(
        f"{link.url}/decide",
        data={
            "artifact_id": strategy["id"],
            "expected_version": str(strategy["version"]),
            "decision": "request_changes",
            "comment": "Lead with the fixed fees.",
            "reviewer_name": "Aoife Byrne",
        },
    )
    assert sent.status_code == 303, sent.text[:300]

    at = console.open("Delivery", client_id, engagement_id)
    assert_clean(at)
    overdue = "\n".join(w.value for w in at.warning)
    assert "Client review overdue by 7 days" in overdue and link.link_id in overdue
    # the client answered on the strategy (the agency's move now); the brief still awaits them
    assert "still awaiting intake v1." in overdue
    page = texts(at)
    assert "Lead with the fixed fees." in page and "Aoife Byrne" in page and "changes requested" in page
    assert "Review links" in page and link.link_id in page

    revoke = next(b for b in at.button if b.key == f"delivery:revoke:{link.link_id}")
    revoke.click().run()
    assert_clean(at)
    assert f"Link {link.link_id} revoked" in texts(at)
    assert httpx.get(link.url).status_code == 401
    assert "Client review overdue" not in "\n".join(w.value for w in at.warning)
