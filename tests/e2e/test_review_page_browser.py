"""The client review page in headless Chromium on a phone-sized screen, over the real stack.

The operator makes a review link in the console; the client opens it with no login, reads the
deliverables and the posts as each platform shows them, downloads the PDF, and requests changes
with a comment (refused without one); the operator then reads that comment through the API and in
the console. An expired and an altered link each get a clear page. Screenshots in
test-output/screenshots/review-*.png.
"""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.console.conftest import sample_brief
from tests.e2e.conftest import Stack, require_chromium
from tests.e2e.console_page import ConsolePage

from aicmo.domain.share_links import ShareClaims, read_share_token, sign_share_token

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
COMMENT = "Please open with the single-origin story, not the discount."


AGENCY = "Northwind Creative"
LOGO = (
    "data:image/svg+xml;base64,"
    + base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32" '
        b'rx="8" fill="#2f5bea"/><text x="16" y="22" font-size="16" text-anchor="middle" fill="#fff" '
        b'font-family="sans-serif">N</text></svg>'
    ).decode()
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real stack, with the agency's name and logo set for the review page."""
    require_chromium()
    running = Stack(tmp_path_factory.mktemp("e2e-review"))
    running.env |= {"AICMO_AGENCY_NAME": AGENCY, "AICMO_AGENCY_LOGO_URL": LOGO}
    running.start()
    yield running
    running.stop()


def approved_engagement(stack: Stack) -> tuple[dict[str, Any], str]:
    brief = sample_brief("coffee_ecommerce")
    client = stack.call("POST", "/clients", {"name": brief["client_name"]}, expect=201)
    eid = stack.call("POST", "/engagements", {"client_id": client["id"], "name": "Spring launch"}, 201)["id"]
    stack.call("POST", "/intake/generate", {"engagement_id": eid, "intake": brief})
    stack.call("POST", f"/artifacts/{stack.artifact(eid, 'intake')['id']}/approve", {"expected_version": 1})
    for module in ("strategy", "creatives", "execution"):
        stack.call("POST", f"/{module}/generate", {"engagement_id": eid, "auto_approve": True})
        assert stack.artifact(eid, module)["status"] == "approved", module
    stack.call("POST", f"/engagements/{eid}/exports", {"format": "PDF"}, expect=201)
    return client, eid


def test_the_client_reviews_on_a_phone_and_the_operator_reads_the_comment(
    stack: Stack, browser: Any, page: Any, screenshots: Path, tmp_path: Path
) -> None:
    client, eid = approved_engagement(stack)
    ui = ConsolePage(page, stack.ui_url, screenshots)

    # the operator makes the link in the console
    ui.open(f"?client={client['id']}&engagement={eid}&tab=Delivery")
    ui.see("Create review link").scroll_into_view_if_needed()
    ui.page.get_by_role("button", name="Create review link").click()
    ui.settle()
    url = ui.page.locator("code").filter(has_text="/review/").first.inner_text().strip()
    assert url.startswith(f"{stack.api_url}/review/")

    phone = browser.new_context(**PHONE, accept_downloads=True)
    client_page = phone.new_page()
    try:
        client_page.goto(url)
        expect(client_page.get_by_role("heading", name=client["name"], exact=True)).to_be_visible()
        expect(client_page.get_by_text("4 of 4 awaiting your decision")).to_be_visible()
        expect(client_page.locator(".topbar")).to_contain_text(AGENCY)
        expect(client_page.get_by_role("img", name=f"{AGENCY} logo")).to_be_visible()
        width = client_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        client_page.screenshot(path=str(screenshots / "review-phone-top.png"))

        # read: the strategy text and the posts, each with its platform's character limit
        strategy = client_page.locator("#item-strategy")
        expect(strategy.get_by_role("heading", name="Strategy", exact=True)).to_be_visible()
        expect(strategy.locator(".doc")).to_contain_text("Positioning")
        execution = client_page.locator("#item-execution")
        execution.scroll_into_view_if_needed()
        first_post = execution.locator("article.post").first
        expect(first_post).to_contain_text("characters")
        first_post.scroll_into_view_if_needed()
        client_page.screenshot(path=str(screenshots / "review-phone-posts.png"))

        # download the PDF report
        with client_page.expect_download() as download_info:
            client_page.get_by_role("link", name="Download the PDF report").click()
        pdf = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.suffix == ".pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert client["name"] in text

        # request changes: refused without a comment, recorded with one
        strategy.scroll_into_view_if_needed()
        strategy.get_by_text("Request changes", exact=True).click()
        strategy.get_by_label("Your name").fill("Aoife Byrne")
        strategy.get_by_role("button", name="Send decision").click()
        assert strategy.locator("textarea:invalid").count() == 1  # the browser asks for the comment
        strategy.get_by_label("Comment (required to request changes)").fill(COMMENT)
        strategy.get_by_role("button", name="Send decision").click()
        client_page.wait_for_url("**/review/**?done=*")
        expect(client_page.get_by_role("status")).to_contain_text("Strategy v1 sent back with your comments")
        expect(client_page.locator("#item-strategy .chip").first).to_contain_text(
            "Aoife Byrne requested changes v1"
        )
        expect(client_page.get_by_text("3 of 4 awaiting your decision")).to_be_visible()
        expect(client_page.locator("#item-strategy .said")).to_contain_text(COMMENT)
        client_page.locator("#item-strategy").scroll_into_view_if_needed()
        client_page.screenshot(path=str(screenshots / "review-phone-changes-requested.png"))
    finally:
        phone.close()

    # the operator sees the comment: API and console
    [review] = stack.call("GET", f"/engagements/{eid}/reviews")["data"]
    assert (review["reviewer"], review["decision"], review["comment"]) == (
        "Aoife Byrne",
        "request_changes",
        COMMENT,
    )
    assert stack.artifact(eid, "strategy")["status"] == "draft"
    ui.page.reload()
    ui.idle()
    ui.see(COMMENT).scroll_into_view_if_needed()
    ui.see("changes requested")
    ui.assert_clean()
    ui.shot("review-operator-sees-comment")

    # the agency answers with a new version: the client sees their comment and what changed
    strategy = stack.artifact(eid, "strategy")
    promise = "Single-origin first: Ethiopia Guji, roasted within 48 hours of shipping."
    messaging = strategy["content"]["messaging"] | {"promise": promise}
    stack.call(
        "POST",
        f"/artifacts/{strategy['id']}/amend",
        {"expected_version": strategy["version"], "content": {"messaging": messaging}},
    )
    phone = browser.new_context(**PHONE)
    client_page = phone.new_page()
    try:
        client_page.goto(url)
        item = client_page.locator("#item-strategy")
        expect(item.locator(".round")).to_contain_text("New version since your review of v1")
        expect(item.locator(".round")).to_contain_text(COMMENT)
        expect(item.locator(".diff .add").filter(has_text=promise)).to_have_count(1)
        expect(item.locator(".chip").first).to_contain_text("New version: awaiting your decision")
        item.locator(".round").scroll_into_view_if_needed()
        client_page.screenshot(path=str(screenshots / "review-phone-new-version-diff.png"))
    finally:
        phone.close()


def test_an_expired_and_an_altered_link_each_get_a_clear_page(
    stack: Stack, browser: Any, screenshots: Path
) -> None:
    client = stack.call("POST", "/clients", {"name": "Calder & Finch Solicitors"}, expect=201)
    eid = stack.call("POST", "/engagements", {"client_id": client["id"], "name": "Autumn"}, 201)["id"]
    token = stack.call("POST", f"/engagements/{eid}/share-links", {"expires_in_hours": 1}, expect=201)[
        "token"
    ]
    secret = (stack.data_dir / "share_link_secret").read_bytes().strip()
    claims = read_share_token(token, secret, now=datetime.now(UTC))
    expired = sign_share_token(
        ShareClaims(claims.client_id, claims.engagement_id, datetime.now(UTC) - timedelta(hours=1), "old1"),
        secret,
    )
    payload, signature = token.split(".")
    altered = f"{payload[:-4]}AAAA.{signature}"

    phone = browser.new_context(**PHONE)
    visitor = phone.new_page()
    try:
        for name, path, status, heading in (
            ("expired", expired, 401, "This review link has expired"),
            ("altered", altered, 403, "This review link is not valid"),
        ):
            response = visitor.goto(f"{stack.api_url}/review/{path}")
            assert response is not None and response.status == status
            expect(visitor.get_by_role("heading", name=heading)).to_be_visible()
            body = visitor.locator("body").inner_text()
            assert "new" in body and "{" not in body and "Traceback" not in body
            assert client["name"] not in body
            assert f"ask {AGENCY} for a new one" in body
            visitor.screenshot(path=str(screenshots / f"review-phone-{name}-link.png"))
    finally:
        phone.close()
