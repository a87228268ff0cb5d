"""Client review through signed share links: read-only for its own engagement, approve or request
changes with a comment the operator sees, refused when expired or altered, and blind to any other
client's work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from aicmo.bootstrap import App
from aicmo.config import Settings
from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.sharing import ShareLinkCreate
from aicmo.domain.share_links import ShareClaims, sign_share_token
from aicmo.services import share_links
from tests.api.helpers import Api
from tests.integration.delivery.builders import OPERATOR, Delivered, approved_delivery, load_brief


def public(client: TestClient, method: str, path: str, **kwargs: object):
    """A call with no Authorization header at all: what a client's browser sends."""
    return client.request(method, path, **kwargs)


def share(api: Api, engagement_id: str, hours: int = 72) -> dict:
    return api.post(f"/engagements/{engagement_id}/share-links", {"expires_in_hours": hours}, expect=201)


def delivered(app: App, brief: str) -> Delivered:
    return approved_delivery(app, load_brief(brief), through=Module.EXECUTION)


def test_a_share_link_opens_its_engagement_read_only_without_an_api_token(
    client: TestClient, aicmo_app: App
) -> None:
    work = delivered(aicmo_app, "law_firm_services")
    api = Api(client)
    export = api.post(f"/engagements/{work.engagement_id}/exports", {"format": "MD"}, expect=201)
    before = datetime.now(UTC)
    link = share(api, work.engagement_id, hours=48)
    assert link["url_path"] == f"/api/v1/share/{link['token']}"
    expires = datetime.fromisoformat(link["expires_at"])
    assert timedelta(hours=47, minutes=59) < expires - before <= timedelta(hours=48)

    response = public(client, "GET", link["url_path"])
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["client_name"] == "Calder & Finch Solicitors"
    assert [a["type"] for a in view["artifacts"]] == ["intake", "strategy", "creatives", "execution"]
    assert all(a["content_markdown"].strip() and a["version"] == 1 for a in view["artifacts"])
    assert "notes" not in view["artifacts"][0]
    [shared_export] = view["exports"]
    assert shared_export["id"] == export["id"]
    download = public(client, "GET", shared_export["download_path"])
    assert download.status_code == 200
    assert download.headers["content-disposition"] == f'attachment; filename="{export["filename"]}"'

    # nothing else is public: the same engagement's own routes still need a token
    assert public(client, "GET", f"/api/v1/engagements/{work.engagement_id}/exports").status_code == 401


def test_only_operators_and_admins_issue_share_links(client: TestClient, aicmo_app: App) -> None:
    work = delivered(aicmo_app, "coffee_ecommerce")
    api = Api(client)
    viewer = api.as_token(api.post("/tokens", {"name": "v", "role": "viewer"}, expect=201)["token"])
    reviewer = api.as_token(
        api.post(
            "/tokens", {"name": "r", "role": "client_reviewer", "client_id": work.client_id}, expect=201
        )["token"]
    )
    viewer.post(f"/engagements/{work.engagement_id}/share-links", {"expires_in_hours": 1}, expect=403)
    reviewer.post(f"/engagements/{work.engagement_id}/share-links", {"expires_in_hours": 1}, expect=403)
    for hours in (0, 721):
        bad = api.post(
            f"/engagements/{work.engagement_id}/share-links", {"expires_in_hours": hours}, expect=422
        )
        assert bad["error"]["details"][0]["field"] == "expires_in_hours"
    trail = api.get("/audit", expect=200, engagement_id=work.engagement_id, action="share_link.create")
    assert trail["count"] == 0


def test_a_client_approves_and_requests_changes_and_the_operator_reads_every_comment(
    client: TestClient, aicmo_app: App
) -> None:
    work = delivered(aicmo_app, "hospital_hiring")
    api = Api(client)
    link = share(api, work.engagement_id)
    review = f"{link['url_path']}/review"
    execution, strategy = work.artifact_ids["execution"], work.artifact_ids["strategy"]

    changes = public(
        client,
        "POST",
        review,
        json={
            "artifact_id": execution,
            "decision": "request_changes",
            "comment": "Please add a night-shift nurse story in week 2.",
            "reviewer_name": "Aoife Byrne",
            "expected_version": 1,
        },
    )
    assert changes.status_code == 200, changes.text
    assert changes.json()["status"] == "draft" and changes.json()["awaiting_approval"] is True
    assert api.artifact(execution)["status"] == "draft"

    signed_off = public(
        client,
        "POST",
        review,
        json={
            "artifact_id": strategy,
            "decision": "approve",
            "comment": "Love it",
            "expected_version": 1,
            "reviewer_name": "Aoife Byrne",
        },
    )
    assert signed_off.status_code == 200 and signed_off.json()["status"] == "approved"

    approved = public(
        client,
        "POST",
        review,
        json={
            "artifact_id": execution,
            "decision": "approve",
            "expected_version": 1,
            "reviewer_name": "Aoife Byrne",
        },
    )
    assert approved.status_code == 200
    assert api.artifact(execution)["approved_by"] == "client:Aoife Byrne via share link"

    reviews = api.get(f"/engagements/{work.engagement_id}/reviews", expect=200)
    assert reviews["count"] == 3
    assert [
        (r["artifact_type"], r["decision"], r["comment"], r["status_after"]) for r in reviews["data"]
    ] == [
        ("execution", "approve", "", "approved"),
        ("strategy", "approve", "Love it", "approved"),
        ("execution", "request_changes", "Please add a night-shift nurse story in week 2.", "draft"),
    ]
    assert {(r["reviewer"], r["via"]) for r in reviews["data"]} == {("Aoife Byrne", "share link")}
    trail = api.get("/audit", expect=200, artifact_id=execution)["data"]
    assert any(
        e["actor"] == "client:Aoife Byrne via share link" and e["action"] == "artifact.reject" for e in trail
    )

    # a reviewer token's decisions are client reviews too
    token = api.post(
        "/tokens", {"name": "niamh", "role": "client_reviewer", "client_id": work.client_id}, expect=201
    )
    api.as_token(token["token"]).post(
        f"/artifacts/{execution}/reject",
        {"expected_version": 1, "comment": "One more pass on tone"},
        expect=200,
    )
    latest = api.get(f"/engagements/{work.engagement_id}/reviews", expect=200)["data"][0]
    assert (latest["reviewer"], latest["via"], latest["decision"]) == (
        "niamh",
        "reviewer token",
        "request_changes",
    )

    stale = public(
        client,
        "POST",
        review,
        json={"artifact_id": execution, "decision": "approve", "reviewer_name": "A", "expected_version": 9},
    )
    assert stale.status_code == 409
    empty = public(
        client,
        "POST",
        review,
        json={
            "artifact_id": execution,
            "decision": "request_changes",
            "expected_version": 1,
            "reviewer_name": "A",
        },
    )
    assert empty.status_code == 422 and empty.json()["error"]["details"][0]["field"] == "comment"


def test_a_share_link_shows_and_changes_nothing_of_another_client(client: TestClient, aicmo_app: App) -> None:
    mine = delivered(aicmo_app, "coffee_ecommerce")
    theirs = delivered(aicmo_app, "saas_hr_leads")
    api = Api(client)
    their_export = api.post(f"/engagements/{theirs.engagement_id}/exports", {"format": "MD"}, expect=201)
    link = share(api, mine.engagement_id)

    view = public(client, "GET", link["url_path"])
    assert view.status_code == 200
    secrets = {
        theirs.client_id,
        theirs.engagement_id,
        their_export["id"],
        "Brightlane",
        *theirs.artifact_ids.values(),
    }
    assert not [s for s in secrets if s in view.text]

    their_strategy = theirs.artifact_ids["strategy"]
    for decision in ("approve", "request_changes"):
        attempt = public(
            client,
            "POST",
            f"{link['url_path']}/review",
            json={
                "artifact_id": their_strategy,
                "decision": decision,
                "comment": "hijack",
                "expected_version": 1,
                "reviewer_name": "Mallory",
            },
        )
        assert attempt.status_code == 404, attempt.text
        assert not [s for s in secrets - {their_strategy} if s in attempt.text]
    assert api.artifact(their_strategy)["status"] == "approved"
    assert api.get(f"/engagements/{theirs.engagement_id}/reviews", expect=200)["count"] == 0
    stolen = public(client, "GET", f"{link['url_path']}/exports/{their_export['id']}/download")
    assert stolen.status_code == 404

    # a link for their engagement signed under my client's id is refused before anything is read
    forged = sign_share_token(
        ShareClaims(mine.client_id, theirs.engagement_id, datetime.now(UTC) + timedelta(hours=1), "f0f0"),
        share_links.share_link_secret(aicmo_app.settings),
    )
    assert public(client, "GET", f"/api/v1/share/{forged}").status_code == 404


def test_an_expired_or_altered_link_is_refused_with_a_clear_message(
    client: TestClient, aicmo_app: App
) -> None:
    work = delivered(aicmo_app, "law_firm_services")
    secret = share_links.share_link_secret(aicmo_app.settings)
    with aicmo_app.uow() as uow:  # issued two hours ago for one hour: the injected clock
        old = share_links.issue_share_link(
            uow, OPERATOR, work.engagement_id, ShareLinkCreate(expires_in_hours=1), secret,
            now=datetime.now(UTC) - timedelta(hours=2),
        )  # fmt: skip
    expired = public(client, "GET", old.url_path)
    assert expired.status_code == 401
    assert "this share link expired on" in expired.json()["error"]["message"]
    review = public(
        client,
        "POST",
        f"{old.url_path}/review",
        json={
            "artifact_id": work.artifact_ids["strategy"],
            "decision": "request_changes",
            "comment": "x",
            "expected_version": 1,
            "reviewer_name": "A",
        },
    )
    assert review.status_code == 401
    assert Api(client).artifact(work.artifact_ids["strategy"])["status"] == "approved"

    token = share(Api(client), work.engagement_id)["token"]
    payload, signature = token.split(".")
    for altered in (f"{payload}.{signature[::-1]}", f"{payload[:-3]}abc.{signature}", payload, "garbage"):
        refused = public(client, "GET", f"/api/v1/share/{altered}")
        assert refused.status_code == 403, altered
        assert refused.json()["error"]["message"].startswith("this share link is not valid")


def test_the_signing_secret_is_generated_once_and_kept_private(aicmo_app: App) -> None:
    first = share_links.share_link_secret(aicmo_app.settings)
    path = aicmo_app.settings.data_dir / share_links.SECRET_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert share_links.share_link_secret(aicmo_app.settings) == first and len(first) >= 48
    configured = Settings(
        _env_file=None,
        data_dir=aicmo_app.settings.data_dir,
        share_link_secret="from-the-environment-0123456789",
    )
    assert share_links.share_link_secret(configured) == b"from-the-environment-0123456789"


def test_one_link_can_be_revoked_and_the_others_keep_working(client: TestClient, aicmo_app: App) -> None:
    work = delivered(aicmo_app, "law_firm_services")
    api = Api(client)
    first, second = share(api, work.engagement_id), share(api, work.engagement_id)
    assert first["link_id"] and first["link_id"] != second["link_id"]
    path = f"/engagements/{work.engagement_id}/share-links/{first['link_id']}/revoke"
    viewer = api.as_token(api.post("/tokens", {"name": "v", "role": "viewer"}, expect=201)["token"])
    viewer.post(path, expect=403)
    assert public(client, "GET", first["url_path"]).status_code == 200  # the refusal changed nothing

    revoked = api.post(path, expect=200)
    assert revoked["link_id"] == first["link_id"] and api.post(path, expect=200) == revoked  # idempotent

    gone = public(client, "GET", first["url_path"])
    assert gone.status_code == 401 and "revoked" in gone.json()["error"]["message"]
    review = {
        "artifact_id": work.artifact_ids["strategy"],
        "decision": "request_changes",
        "comment": "x",
        "reviewer_name": "A",
        "expected_version": 1,
    }
    assert public(client, "POST", f"{first['url_path']}/review", json=review).status_code == 401
    assert public(client, "GET", second["url_path"]).status_code == 200
    audit = api.get("/audit", expect=200, engagement_id=work.engagement_id)["data"]
    assert any(e["action"] == "share_link.revoke" for e in audit)
