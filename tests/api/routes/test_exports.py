"""Delivery over HTTP: the manifest (never a 5xx), exports refused with named reasons or made,
listed and downloaded, per-artifact Markdown / JSON, and who may do which."""

from __future__ import annotations

import hashlib
import json

from fastapi.testclient import TestClient

from aicmo.bootstrap import App
from aicmo.domain.artifacts import Module
from tests.api.helpers import Api
from tests.integration.delivery.builders import approved_delivery, load_brief

MISSING = ["intake (missing)", "strategy (missing)", "creatives (missing)", "execution (missing)"]


def test_the_manifest_of_an_unready_engagement_names_every_failing_check_without_an_error(
    client: TestClient,
) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    manifest = api.get(f"/engagements/{engagement}/delivery/manifest", expect=200)
    assert manifest["ready"] is False
    assert manifest["reasons"] == MISSING
    assert {c["name"]: c["passed"] for c in manifest["checks"]} == {
        "approved": False, "fresh": True, "quality": True, "disclaimers": True, "branding": True,
    }  # fmt: skip

    # hand-typed content that fits no schema is refused when typed, naming the field
    refused = api.post(
        "/artifacts",
        {"engagement_id": engagement, "type": "intake", "content": {"offer": "free audit"}},
        expect=422,
    )
    assert {d["field"] for d in refused["error"]["details"]} == {"content.offer"}


def test_an_export_is_refused_with_a_gating_error_naming_each_reason(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    api.new_artifact(engagement, "intake")
    refused = api.post(f"/engagements/{engagement}/exports", {"format": "PDF"}, expect=409)
    assert refused["error"]["type"] == "GATING_ERROR"
    reasons = [d["reason"] for d in refused["error"]["details"]]
    assert reasons[:4] == ["intake (draft - must be approved)", *MISSING[1:]]
    assert refused["error"]["message"].startswith("delivery refused: intake (draft - must be approved); ")
    assert api.get(f"/engagements/{engagement}/exports", expect=200) == {"data": [], "count": 0}
    bad = api.post(f"/engagements/{engagement}/exports", {"format": "DOCX"}, expect=422)
    assert bad["error"]["details"][0]["field"] == "format"


def test_a_ready_engagement_exports_lists_and_downloads_with_the_right_headers(
    client: TestClient, aicmo_app: App
) -> None:
    delivered = approved_delivery(aicmo_app, load_brief("saas_hr_leads"))
    api = Api(client)
    made = {}
    for fmt in ("PPTX", "MD", "JSON"):
        made[fmt] = api.post(f"/engagements/{delivered.engagement_id}/exports", {"format": fmt}, expect=201)
    listed = api.get(f"/engagements/{delivered.engagement_id}/exports", expect=200)
    assert [e["format"] for e in listed["data"]] == ["JSON", "MD", "PPTX"]  # newest first
    assert {e["created_by"] for e in listed["data"]} == {"admin:bootstrap-admin"}

    media = {
        "PPTX": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "MD": "text/markdown; charset=utf-8",
        "JSON": "application/json",
    }
    for fmt, record in made.items():
        response = client.get(record["download_path"], headers=api.headers)
        assert response.status_code == 200
        assert response.headers["content-type"] == media[fmt]
        assert response.headers["content-disposition"] == f'attachment; filename="{record["filename"]}"'
        assert record["filename"].startswith("brightlane-hr-")
        assert hashlib.sha256(response.content).hexdigest() == record["sha256"]
    package = json.loads(client.get(made["JSON"]["download_path"], headers=api.headers).content)
    assert package["manifest"]["ready"] is True
    assert package["package"]["client_name"] == "Brightlane HR"
    text = client.get(made["MD"]["download_path"], headers=api.headers).text
    assert text.startswith("# Brightlane HR — ")
    assert api.get("/exports/ex_missing/download", expect=404)["error"]["type"] == "NOT_FOUND"
    assert not any(e["superseded"] for e in listed["data"])

    # a newer export of a format supersedes the older ones of that format only
    again = api.post(f"/engagements/{delivered.engagement_id}/exports", {"format": "MD"}, expect=201)
    assert again["superseded"] is False and again["superseded_by"] is None
    listed = api.get(f"/engagements/{delivered.engagement_id}/exports", expect=200)["data"]
    marks = {e["id"]: (e["superseded"], e["superseded_by"]) for e in listed}
    assert marks == {
        again["id"]: (False, None),
        made["MD"]["id"]: (True, again["id"]),
        made["PPTX"]["id"]: (False, None),
        made["JSON"]["id"]: (False, None),
    }


def test_an_artifact_downloads_as_markdown_or_json_only_while_approved(
    client: TestClient, aicmo_app: App
) -> None:
    delivered = approved_delivery(aicmo_app, load_brief("law_firm_services"), through=Module.EXECUTION)
    api = Api(client)
    strategy = delivered.artifact_ids["strategy"]
    md = client.get(f"/api/v1/artifacts/{strategy}/export", params={"format": "md"}, headers=api.headers)
    assert md.status_code == 200
    assert md.headers["content-type"] == "text/markdown; charset=utf-8"
    assert (
        md.headers["content-disposition"] == 'attachment; filename="calder-finch-solicitors-strategy-v1.md"'
    )
    assert md.text.startswith("# Strategy — Calder & Finch Solicitors")
    as_json = client.get(
        f"/api/v1/artifacts/{strategy}/export", params={"format": "json"}, headers=api.headers
    )
    assert json.loads(as_json.content)["status"] == "approved"

    api.post(f"/artifacts/{strategy}/revoke", {"expected_version": 1}, expect=200)
    refused = api.get(f"/artifacts/{strategy}/export", expect=409, format="md")
    assert refused["error"]["type"] == "GATING_ERROR"
    assert refused["error"]["message"] == (
        "only an approved artifact can be exported: strategy (draft - must be approved)"
    )
    api.get(f"/artifacts/{strategy}/export", expect=422, format="docx")


def test_viewers_cannot_export_and_a_reviewer_sees_only_its_own_clients_delivery(
    client: TestClient, aicmo_app: App
) -> None:
    delivered = approved_delivery(aicmo_app, load_brief("coffee_ecommerce"), through=Module.EXECUTION)
    api = Api(client)
    record = api.post(f"/engagements/{delivered.engagement_id}/exports", {"format": "MD"}, expect=201)
    viewer = api.as_token(api.post("/tokens", {"name": "v", "role": "viewer"}, expect=201)["token"])
    other_client, _ = api.new_engagement("Other Client")
    outsider = api.as_token(
        api.post("/tokens", {"name": "o", "role": "client_reviewer", "client_id": other_client}, expect=201)[
            "token"
        ]
    )
    own = api.as_token(
        api.post(
            "/tokens", {"name": "c", "role": "client_reviewer", "client_id": delivered.client_id}, expect=201
        )["token"]
    )

    viewer.post(f"/engagements/{delivered.engagement_id}/exports", {"format": "MD"}, expect=403)
    own.post(f"/engagements/{delivered.engagement_id}/exports", {"format": "MD"}, expect=403)
    assert viewer.get(f"/engagements/{delivered.engagement_id}/delivery/manifest", expect=200)["ready"]
    for path in (
        f"/engagements/{delivered.engagement_id}/delivery/manifest",
        f"/engagements/{delivered.engagement_id}/exports",
        f"/exports/{record['id']}/download",
        f"/artifacts/{delivered.artifact_ids['strategy']}/export",
    ):
        assert outsider.get(path, expect=404)["error"]["type"] == "NOT_FOUND"
    assert own.get(f"/engagements/{delivered.engagement_id}/exports", expect=200)["count"] == 1
    response = client.get(record["download_path"], headers=own.headers)
    assert response.status_code == 200 and response.content.startswith(b"# Saltmarsh Coffee Roasters")
