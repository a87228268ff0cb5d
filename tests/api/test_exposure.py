"""Abuse and exposure (issue 18): a viewer cannot make the LLM review a brief (a paid call); /metrics
keeps one label value for invented HTTP methods and can require a token."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from aicmo.bootstrap import build_app
from aicmo.entrypoints.api.main import create_app
from tests.api.helpers import Api
from tests.conftest import SAMPLES, make_settings, migrated

BRIEF = json.loads((SAMPLES / "law_firm_services.json").read_text())


def test_an_llm_review_of_a_brief_needs_operator_rights(client: TestClient) -> None:
    api = Api(client)
    viewer = api.as_token(api.post("/tokens", {"name": "v", "role": "viewer"}, expect=201)["token"])
    operator = api.as_token(api.post("/tokens", {"name": "o", "role": "operator"}, expect=201)["token"])
    refused = viewer.post("/intake/validate", {"intake": BRIEF, "review": True}, expect=403)
    assert "operator rights" in refused["error"]["message"]
    assert viewer.post("/intake/validate", {"intake": BRIEF}, expect=200)["ok"] is True  # rules: anyone
    assert operator.post("/intake/validate", {"intake": BRIEF, "review": True}, expect=200)["review"]


def test_invented_http_methods_share_one_metrics_label(client: TestClient) -> None:
    for index in range(30):
        client.request(f"X-INVENTED-{index}", "/api/v1/clients")
    text = client.get("/metrics").text
    methods = {
        line.split('method="', 1)[1].split('"', 1)[0]
        for line in text.splitlines()
        if line.startswith("aicmo_http_requests_total{")
    }
    assert "OTHER" in methods and not any(m.startswith("X-INVENTED") for m in methods)


def test_metrics_can_require_a_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrated(url)
    app = build_app(make_settings(url, tmp_path, metrics_token="scrape-token-0123456789"))
    try:
        with TestClient(create_app(app, run_jobs=False)) as client:
            refused = client.get("/metrics")
            assert refused.status_code == 401 and refused.json()["error"]["type"] == "UNAUTHORIZED"
            assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
            assert client.get("/metrics", headers=[(b"authorization", b"Bearer \xff\xfe")]).status_code == 401
            allowed = client.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"})
            assert allowed.status_code == 200 and "aicmo_http_requests_total" in allowed.text
    finally:
        app.close()


def test_a_client_reviewer_does_not_see_system_status_or_sentinels(client: TestClient) -> None:
    api = Api(client)
    client_id, _ = api.new_engagement()
    body = {"name": "r", "role": "client_reviewer", "client_id": client_id}
    reviewer = api.as_token(api.post("/tokens", body, expect=201)["token"])
    viewer = api.as_token(api.post("/tokens", {"name": "v", "role": "viewer"}, expect=201)["token"])
    for path in ("/system/status", "/system/sentinels"):
        refused = reviewer.get(path, expect=403)
        assert refused["error"]["type"] == "FORBIDDEN" and "database" not in json.dumps(refused)
        assert viewer.get(path, expect=200)  # the agency's own read-only people still see it


def test_a_share_review_must_name_the_version_it_approves(client: TestClient) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement()
    artifact = api.new_artifact(engagement_id, "strategy")
    link = api.post(f"/engagements/{engagement_id}/share-links", {"expires_in_hours": 1}, expect=201)
    for decision in ("approve", "reject"):
        body = {
            "artifact_id": artifact["id"],
            "decision": decision,
            "comment": "ok",
            "reviewer_name": "Aoife",
        }
        answer = client.post(f"{link['url_path']}/review", json=body)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["details"][0]["field"] == "expected_version"
    assert api.artifact(artifact["id"])["status"] == "draft"
