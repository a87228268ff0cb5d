"""The client review page behind a share link: HTML in the agency's branding, a decision per
deliverable bound to the version on screen, approve-all, the previous round with a diff when a new
version comes back, a clear page for a link that cannot be used, and overdue reviews for the
operator."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient

from aicmo.bootstrap import App
from aicmo.config import Settings
from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.sharing import ShareLinkCreate
from aicmo.services import share_links
from tests.api.helpers import Api
from tests.integration.delivery.builders import OPERATOR, Delivered, approved_delivery, load_brief


def delivered(app: App, brief: str = "coffee_ecommerce") -> Delivered:
    return approved_delivery(app, load_brief(brief), through=Module.EXECUTION)


def link(api: Api, engagement_id: str, **body: object) -> dict:
    return api.post(f"/engagements/{engagement_id}/share-links", {"expires_in_hours": 72, **body}, expect=201)


def page_path(url: str) -> str:
    return url[url.index("/review/") :]


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def decide(client: TestClient, path: str, artifact_id: str, version: int, decision: str, **fields: str):
    data = {"artifact_id": artifact_id, "expected_version": str(version), "decision": decision}
    return client.post(f"{path}/decide", data={**data, **fields}, follow_redirects=False)


def test_the_share_link_is_an_html_review_page_on_the_public_url(client: TestClient, aicmo_app: App) -> None:
    work = delivered(aicmo_app)
    api = Api(client)
    api.post(f"/engagements/{work.engagement_id}/exports", {"format": "PDF"}, expect=201)
    made = link(api, work.engagement_id)
    assert made["url"].startswith("http://testserver/review/") and made["link_id"]

    aicmo_app.settings.public_url = "https://review.agency.example"
    aicmo_app.settings.agency_name = "Northwind Creative"
    behind_proxy = link(api, work.engagement_id)
    assert behind_proxy["url"] == f"https://review.agency.example/review/{behind_proxy['token']}"

    page = client.get(page_path(behind_proxy["url"]))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["referrer-policy"] == "no-referrer"
    body = text_of(page.text)
    assert "Northwind Creative" in body and "Saltmarsh Coffee Roasters" in body
    for title in ("Client brief", "Strategy", "Creatives", "Execution plan"):
        assert title in body
    assert "4 of 4 awaiting your decision" in body and "Approve all 4 remaining" in body
    assert re.search(r"\d[\d,]* / 2,200 characters", body)  # an Instagram post with its limit
    pdf_href = re.search(r'href="(/review/[^"]+/files/[^"]+)"[^>]*>Download the PDF report', page.text)
    assert pdf_href
    pdf = client.get(pdf_href.group(1))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "<script>alert" not in page.text


def test_a_decision_is_bound_to_its_version_and_changes_need_a_comment(
    client: TestClient, aicmo_app: App
) -> None:
    work = delivered(aicmo_app)
    api = Api(client)
    path = page_path(link(api, work.engagement_id)["url"])
    strategy = work.artifact_ids["strategy"]

    missing = decide(client, path, strategy, 1, "request_changes", reviewer_name="Aoife Byrne")
    assert missing.status_code == 422
    assert "a comment is required when you request changes" in text_of(missing.text)
    assert api.artifact(strategy)["status"] == "approved"

    comment = "Lead with the <b>single-origin</b> story & drop the discount."
    sent = decide(client, path, strategy, 1, "request_changes", reviewer_name="Aoife Byrne", comment=comment)
    assert sent.status_code == 303 and sent.headers["location"].endswith("#item-strategy")
    assert "aicmo_reviewer=" in sent.headers["set-cookie"]
    assert api.artifact(strategy)["status"] == "draft"
    reviews = api.get(f"/engagements/{work.engagement_id}/reviews", expect=200)["data"]
    assert (reviews[0]["decision"], reviews[0]["comment"], reviews[0]["version"]) == (
        "request_changes",
        comment,
        1,
    )

    # the agency amends: a new version comes back with the previous round and what changed
    current = api.artifact(strategy)
    api.post(
        f"/artifacts/{strategy}/amend",
        {
            "expected_version": current["version"],
            "content": {"executive_summary": "Our single-origin story comes first."},
        },
        expect=200,
    )
    page = client.get(sent.headers["location"].split("#")[0])
    assert page.status_code == 200
    body = text_of(page.text)
    assert "New version since your review of v1" in body
    assert "Lead with the <b>single-origin</b> story" in body  # escaped, shown as text
    assert "<b>single-origin</b>" not in page.text
    assert "+ Our single-origin story comes first." in unescape(page.text) or re.search(
        r'class="add">Our single-origin story comes first\.', page.text
    )

    # approving the version the client no longer sees is refused, nothing is recorded
    stale = decide(client, path, strategy, 1, "approve", reviewer_name="Aoife Byrne")
    assert stale.status_code == 409 and "changed while you were reading" in text_of(stale.text)
    approved = decide(client, path, strategy, 2, "approve", reviewer_name="Aoife Byrne")
    assert approved.status_code == 303
    assert api.artifact(strategy)["status"] == "approved"

    # a later edit voids the client's approval of v2: the item awaits a decision again
    latest = api.artifact(strategy)
    api.post(
        f"/artifacts/{strategy}/amend",
        {"expected_version": latest["version"], "notes": "One more line."},
        expect=200,
    )
    reviews = api.get(f"/engagements/{work.engagement_id}/reviews", expect=200)["data"]
    assert reviews[0]["decision"] == "approve" and reviews[0]["superseded"] is True
    assert "New version: awaiting your decision" in text_of(client.get(path).text)


def test_approve_all_and_reject_are_recorded_per_deliverable(client: TestClient, aicmo_app: App) -> None:
    work = delivered(aicmo_app, "law_firm_services")
    api = Api(client)
    path = page_path(link(api, work.engagement_id)["url"])
    rejected = decide(
        client, path, work.artifact_ids["creatives"], 1, "reject", reviewer_name="Ines", comment="Off-brand"
    )
    assert rejected.status_code == 303
    page = client.get(path).text
    versions = re.findall(r'name="versions" value="([^"]+)"', page)
    assert len(versions) == 3  # creatives has a decision on v1 already

    nameless = client.post(f"{path}/approve-all", data={"versions": versions}, follow_redirects=False)
    assert nameless.status_code == 422 and "Type your name" in text_of(nameless.text)
    done = client.post(
        f"{path}/approve-all", data={"versions": versions, "reviewer_name": "Ines"}, follow_redirects=False
    )
    assert done.status_code == 303
    reviews = api.get(f"/engagements/{work.engagement_id}/reviews", expect=200)["data"]
    assert sorted((r["artifact_type"], r["decision"]) for r in reviews) == [
        ("creatives", "reject"),
        ("execution", "approve"),
        ("intake", "approve"),
        ("strategy", "approve"),
    ]
    assert "Everything has your decision" in text_of(client.get(path).text)


@pytest.mark.parametrize("kind", ["expired", "tampered", "garbage"])
def test_a_link_that_cannot_be_used_gets_a_clear_html_page(
    client: TestClient, aicmo_app: App, kind: str
) -> None:
    work = delivered(aicmo_app, "law_firm_services")
    secret = share_links.share_link_secret(aicmo_app.settings)
    with aicmo_app.uow() as uow:
        issued = share_links.issue_share_link(
            uow, OPERATOR, work.engagement_id, ShareLinkCreate(expires_in_hours=1), secret,
            now=datetime.now(UTC) - timedelta(hours=(2 if kind == "expired" else 0)),
        )  # fmt: skip
    token = issued.token
    if kind == "tampered":
        payload, signature = token.split(".")
        token = f"{payload[:-2]}xy.{signature}"
    elif kind == "garbage":
        token = "not-a-link"
    for response in (
        client.get(f"/review/{token}"),
        decide(client, f"/review/{token}", work.artifact_ids["strategy"], 1, "approve", reviewer_name="A"),
        client.get(f"/review/{token}/files/ex_1"),
    ):
        assert response.headers["content-type"].startswith("text/html"), response.text[:200]
        body = text_of(response.text)
        if kind == "expired":
            assert response.status_code == 401 and "This review link has expired" in body
        else:
            assert response.status_code == 403 and "This review link is not valid" in body
        assert "Traceback" not in response.text and work.engagement_id not in response.text
    assert Api(client).artifact(work.artifact_ids["strategy"])["status"] == "approved"


def test_a_pending_review_past_its_due_date_is_listed_for_the_operator(
    client: TestClient, aicmo_app: App
) -> None:
    work = delivered(aicmo_app, "hospital_hiring")
    api = Api(client)
    bad = api.post(
        f"/engagements/{work.engagement_id}/share-links",
        {"expires_in_hours": 72, "review_due": "2001-01-01"},
        expect=422,
    )
    assert bad["error"]["details"][0]["field"] == "review_due"
    secret = share_links.share_link_secret(aicmo_app.settings)
    ten_days_ago = datetime.now(UTC) - timedelta(days=10)
    with aicmo_app.uow() as uow:
        issued = share_links.issue_share_link(
            uow, OPERATOR, work.engagement_id,
            ShareLinkCreate(expires_in_hours=720, review_due=ten_days_ago.date() + timedelta(days=3)),
            secret, now=ten_days_ago,
        )  # fmt: skip
    link(api, work.engagement_id, review_due=(date.today() + timedelta(days=5)).isoformat())  # not due

    [overdue] = api.get(f"/engagements/{work.engagement_id}/reviews/overdue", expect=200)["data"]
    assert overdue["link_id"] == issued.link_id and overdue["days_overdue"] == 7
    assert overdue["pending"] == ["intake v1", "strategy v1", "creatives v1", "execution v1"]
    page = text_of(client.get(f"/review/{issued.token}").text)
    assert "Please review by" in page

    versions = re.findall(r'name="versions" value="([^"]+)"', client.get(f"/review/{issued.token}").text)
    client.post(f"/review/{issued.token}/approve-all", data={"versions": versions, "reviewer_name": "Aoife"})
    assert api.get(f"/engagements/{work.engagement_id}/reviews/overdue", expect=200)["count"] == 0


def test_public_url_and_logo_must_be_urls() -> None:
    with pytest.raises(ValueError, match="AICMO_PUBLIC_URL"):
        Settings(_env_file=None, public_url="review.agency.example")
    with pytest.raises(ValueError, match="AICMO_AGENCY_LOGO_URL"):
        Settings(_env_file=None, agency_logo_url="javascript:alert(1)")
    assert Settings(_env_file=None, public_url="https://x.example/").public_url == "https://x.example"


def test_a_revoked_link_shows_it_was_withdrawn_and_is_no_longer_overdue(
    client: TestClient, aicmo_app: App
) -> None:
    work = delivered(aicmo_app, "law_firm_services")
    api = Api(client)
    secret = share_links.share_link_secret(aicmo_app.settings)
    ten_days_ago = datetime.now(UTC) - timedelta(days=10)
    with aicmo_app.uow() as uow:
        old = share_links.issue_share_link(
            uow, OPERATOR, work.engagement_id,
            ShareLinkCreate(expires_in_hours=1, review_due=ten_days_ago.date()), secret, now=ten_days_ago,
        )  # fmt: skip
    fresh = link(api, work.engagement_id)
    listed = api.get(f"/engagements/{work.engagement_id}/share-links", expect=200)["data"]
    assert [(s["link_id"], s["state"], s["overdue"]) for s in listed] == [
        (fresh["link_id"], "active", False),
        (old.link_id, "expired", True),  # expired unanswered: still overdue for the operator
    ]
    api.post(f"/engagements/{work.engagement_id}/share-links/{fresh['link_id']}/revoke", {}, expect=200)
    api.post(f"/engagements/{work.engagement_id}/share-links/{old.link_id}/revoke", {}, expect=200)
    assert api.get(f"/engagements/{work.engagement_id}/reviews/overdue", expect=200)["count"] == 0
    states = {
        s["link_id"]: s["state"] for s in api.get(f"/engagements/{work.engagement_id}/share-links")["data"]
    }
    assert states == {fresh["link_id"]: "revoked", old.link_id: "revoked"}

    page = client.get(page_path(fresh["url"]))
    assert page.status_code == 401 and page.headers["content-type"].startswith("text/html")
    body = text_of(page.text)
    assert "This review link was withdrawn" in body and "Calder" not in body
