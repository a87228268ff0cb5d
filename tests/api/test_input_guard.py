"""No 5xx from input (issue 18): an unexpected error is the JSON envelope with a trace id and a log
line; NUL bytes and deep nesting are 422s naming the field; oversized bodies are 413s; concurrent
schema bootstraps all answer. On SQLite and PostgreSQL (the `client` fixture)."""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import exc as sa_exc

from aicmo.bootstrap import App, build_app
from aicmo.entrypoints.api.guard import MAX_DEPTH, body_problem
from aicmo.entrypoints.api.main import create_app
from aicmo.observability.logging import install_record_factory
from tests.api.helpers import Api
from tests.conftest import ADMIN_TOKEN, make_settings, migrated
from tests.ops.conftest import serve_http

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def _nested(depth: int, leaf: object = "deep") -> object:
    value = leaf
    for _ in range(depth):
        value = {"next": value}
    return value


# ---- the catch-all -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "error",
    [RuntimeError("boom from a route"), sa_exc.ResourceClosedError("a cursor was closed")],
    ids=["route error", "database library error"],
)
def test_an_unexpected_error_is_the_envelope_with_a_trace_id_and_a_log_line(
    error: Exception, aicmo_app: App, caplog: pytest.LogCaptureFixture
) -> None:
    install_record_factory()  # as in production: records carry a trace id (the old handler's KeyError)
    api: FastAPI = create_app(aicmo_app, run_jobs=False)

    def explode() -> None:
        raise error

    api.add_api_route("/api/v1/explode", explode, methods=["GET"])
    with TestClient(api, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        answer = client.get("/api/v1/explode", headers=AUTH | {"x-trace-id": "trace-explode-0001"})

    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["status"] == "FAILED" and body["error"]["type"] == "INTERNAL_ERROR"
    assert body["trace_id"] == "trace-explode-0001" == answer.headers["x-trace-id"]
    assert "trace-explode-0001" in body["error"]["message"]
    logged = [r for r in caplog.records if r.levelno == logging.ERROR and "/api/v1/explode" in r.getMessage()]
    assert logged and logged[0].trace_id == "trace-explode-0001" and logged[0].exc_text


# ---- NUL bytes -----------------------------------------------------------------------------------
def test_a_nul_byte_anywhere_in_the_input_is_a_422_naming_the_field(client: TestClient) -> None:
    api = Api(client)
    client_id, engagement_id = api.new_engagement()
    cases = [
        ("POST", "/api/v1/clients", {"json": {"name": "North\x00wind"}}, "name"),
        ("POST", "/api/v1/engagements", {"json": {"client_id": client_id, "name": "Q\x001"}}, "name"),
        (
            "POST",
            "/api/v1/artifacts",
            {"json": {"engagement_id": engagement_id, "type": "intake", "content": {"a": [{"b": "x\x00"}]}}},
            "content.a.0.b",
        ),
        ("POST", "/api/v1/clients", {"json": {"name": "ok", "not\x00es": "x"}}, "not\\0es"),
        ("GET", "/api/v1/clients", {"params": {"search": "a\x00"}}, "search"),
        ("GET", "/api/v1/clients/cl_%00x", {}, "path"),
    ]
    for method, path, kwargs, field in cases:
        answer = client.request(method, path, headers=AUTH, **kwargs)
        assert answer.status_code == 422, (path, answer.status_code, answer.text)
        error = answer.json()["error"]
        assert error["type"] == "VALIDATION_ERROR" and error["details"][0]["field"] == field, error
    assert api.get("/clients", expect=200)["count"] == 1  # nothing was saved


# ---- nesting depth -------------------------------------------------------------------------------
def test_content_nested_deeper_than_the_bound_is_a_422_and_the_artifact_stays_readable(
    client: TestClient,
) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement()
    artifact = api.new_artifact(engagement_id, "intake")
    too_deep = {"expected_version": artifact["version"], "content": {"tree": _nested(MAX_DEPTH)}}
    answer = client.post(f"/api/v1/artifacts/{artifact['id']}/amend", headers=AUTH, json=too_deep)
    assert answer.status_code == 422, answer.text
    detail = answer.json()["error"]["details"][0]
    assert detail["code"] == "too_deep" and detail["field"].startswith("content.tree.next.next")
    assert api.artifact(artifact["id"])["version"] == artifact["version"]
    # under the guard's bound the body reaches the service, whose content model answers (a brief has no
    # `tree`, and content deeper than it allows is refused by name): still a 422, never a 5xx
    fits = {"expected_version": artifact["version"], "content": {"tree": _nested(MAX_DEPTH - 3)}}
    answer = client.post(f"/api/v1/artifacts/{artifact['id']}/amend", headers=AUTH, json=fits)
    assert answer.status_code == 422 and answer.json()["error"]["details"][0]["field"].startswith("content")
    assert client.get(f"/api/v1/artifacts/{artifact['id']}", headers=AUTH).status_code == 200
    absurd = b'{"expected_version": 2, "content": ' + b'{"a":' * 100_000 + b"1" + b"}" * 100_001
    answer = client.post(
        f"/api/v1/artifacts/{artifact['id']}/amend",
        headers=AUTH | {"content-type": "application/json"},
        content=absurd,
    )
    assert answer.status_code == 422 and answer.json()["error"]["details"][0]["code"] == "too_deep"


def test_the_body_check_names_the_first_problem_and_passes_ordinary_documents() -> None:
    assert body_problem(json.dumps({"a": [1, 2, {"b": "plain"}] * 50}).encode()) is None
    assert body_problem(b"not json \\u0000 at all") is None  # the route's own parser answers
    assert body_problem(json.dumps({"list": [[[[["\x00"]]]]]}).encode())["field"] == "list.0.0.0.0.0"
    assert body_problem(json.dumps(_nested(MAX_DEPTH)).encode()) is None  # the bound itself is fine
    assert body_problem(json.dumps(_nested(MAX_DEPTH + 1)).encode())["code"] == "too_deep"


# ---- size caps -----------------------------------------------------------------------------------
def test_a_body_over_the_cap_is_a_413_envelope_and_uploads_have_their_own_cap(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cap.db'}"
    migrated(url)
    app = build_app(make_settings(url, tmp_path, max_body_bytes=20_000, max_upload_bytes=200_000))
    try:
        with TestClient(create_app(app, run_jobs=False)) as client:
            api = Api(client)
            client_id, _ = api.new_engagement()
            big = {"name": "Northwind", "notes": "x" * 30_000}
            answer = client.post("/api/v1/clients", headers=AUTH, json=big)
            assert answer.status_code == 413, answer.text
            assert answer.json()["error"]["type"] == "PAYLOAD_TOO_LARGE" and answer.json()["trace_id"]

            def chunks():  # no Content-Length: the cap counts the bytes as they arrive
                yield b'{"name": "Northwind", "notes": "'
                for _ in range(40):
                    yield b"y" * 1000
                yield b'"}'

            answer = client.post(
                "/api/v1/clients", headers=AUTH | {"content-type": "application/json"}, content=chunks()
            )
            assert answer.status_code == 413, answer.text
            csv = "email,name\n" + "".join(f"lead{i}@example.com,Lead {i}\n" for i in range(2_000))
            imported = client.post(
                "/api/v1/leads/import", headers=AUTH, json={"client_id": client_id, "csv": csv}
            )
            assert len(csv) > 20_000 and imported.status_code == 200, imported.text
            huge = client.post(
                "/api/v1/leads/import", headers=AUTH, json={"client_id": client_id, "csv": csv * 5}
            )
            assert huge.status_code == 413
            _, engagement_id = api.new_engagement("Metrics")
            rows = "date,platform,impressions\n" + "2027-01-04,instagram,10\n" * 3_000
            metrics = client.post(
                "/api/v1/metrics/import", headers=AUTH, json={"engagement_id": engagement_id, "csv": rows}
            )
            assert len(rows) > 20_000 and metrics.status_code == 201, metrics.text
    finally:
        app.close()


def test_an_amend_takes_back_content_as_large_as_the_api_writes(client: TestClient) -> None:
    """Issue 18: the amend limit must fit what the API returns (an execution plan's text runs to ~100k
    characters). Amends carry structured content now; a body of that size passes the request guard."""
    api = Api(client)
    _, engagement_id = api.new_engagement()
    artifact = api.new_artifact(engagement_id, "strategy")
    summary = " ".join(["Northwind's plan puts the fixed fee first in every channel, with owners."] * 1_500)
    assert len(summary) > 100_000
    answer = client.post(
        f"/api/v1/artifacts/{artifact['id']}/amend",
        headers=AUTH,
        json={"expected_version": artifact["version"], "content": {"executive_summary": summary}},
    )
    assert answer.status_code != 413, answer.text  # the size cap is not what answers
    assert answer.status_code < 500
    refused = api.call(
        "POST",
        f"/artifacts/{artifact['id']}/amend",
        json={"expected_version": artifact["version"], "content_markdown": "# Strategy"},
    )
    assert refused["error"]["details"][0]["field"] == "content_markdown"


# ---- concurrent bootstraps -----------------------------------------------------------------------
def test_concurrent_schema_bootstraps_all_answer(backend_url: str, tmp_path: Path) -> None:
    app = build_app(make_settings(backend_url, tmp_path))  # a database with no tables yet
    try:
        with serve_http(create_app(app, run_jobs=False)) as base:

            def bootstrap(_: int) -> int:
                return httpx.post(f"{base}/api/v1/system/bootstrap", headers=AUTH, timeout=120).status_code

            with ThreadPoolExecutor(6) as pool:
                codes = list(pool.map(bootstrap, range(6)))
            assert codes == [200] * 6
            assert httpx.get(f"{base}/readyz", timeout=10).status_code == 200
    finally:
        app.close()
