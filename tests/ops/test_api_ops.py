"""The operations endpoints over HTTP: sentinels, schema bootstrap, self-test, the cost ledger, /metrics."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from aicmo.adapters.db.migrate import downgrade, upgrade
from aicmo.adapters.db.tables import GenerationRunRow
from aicmo.bootstrap import App, build_app
from aicmo.domain.provider_calls import CallKind, CallScope, ProviderCall
from aicmo.entrypoints.api.main import create_app
from tests.api.helpers import Api
from tests.conftest import make_settings, migrated


def test_sentinels_endpoint_returns_the_doctor_report(client: TestClient) -> None:
    report = Api(client).get("/system/sentinels", expect=200)
    by_id = {s["id"]: s for s in report["sentinels"]}
    # the test app runs in team mode (AICMO_RUNNER_MODE=external) and no worker ever started
    engine = by_id.pop("task_engine")
    assert engine["status"] == "fail" and "aicmo worker" in engine["remedy"]
    assert report["ok"] is False and report["counts"]["fail"] == 1
    assert {s["status"] for s in by_id.values()} == {"pass"}
    assert by_id["api_reachable"] == {**by_id["api_reachable"], "status": "pass"}
    assert "served by the API" in by_id["api_reachable"]["evidence"]
    assert all({"id", "name", "status", "evidence", "remedy"} <= set(s) for s in report["sentinels"])
    assert client.get("/api/v1/system/sentinels").status_code == 401


def test_bootstrap_is_admin_only_and_lists_tables_before_and_after(backend_url: str, tmp_path: Path) -> None:
    upgrade(backend_url, "0001")
    app = build_app(make_settings(backend_url, tmp_path))
    with TestClient(create_app(app)) as http:
        api = Api(http)
        operator = api.post("/tokens", {"name": "op", "role": "operator"}, expect=201)["token"]
        api.as_token(operator).post("/system/bootstrap", expect=403)
        report = api.post("/system/bootstrap", expect=200)
        assert report["revision_before"] == "0001" and report["revision_after"] == report["head"]
        assert "generation_runs" in report["created"] and "generation_runs" not in report["tables_before"]
        assert set(report["tables_after"]) >= set(report["tables_before"]) | {"generation_runs"}
        again = api.post("/system/bootstrap", expect=200)
        assert again["created"] == [] and again["tables_before"] == again["tables_after"]
    app.close()


def test_selftest_endpoint_passes_every_step_and_leaves_the_workspace_alone(client: TestClient) -> None:
    api = Api(client)
    clients_before = api.get("/clients", expect=200)["count"]
    report = api.post("/system/selftest", expect=200)
    assert report["ok"], report["steps"]
    assert [s["name"] for s in report["steps"]] == [
        "migrate", "intake", "gating refusal", "approval", "unlock", "stale cascade",
    ]  # fmt: skip
    refusal = report["steps"][2]["detail"]
    assert "intake (draft - must be approved)" in refusal
    assert "intake changed from v1 to v2" in report["steps"][5]["detail"]
    assert api.get("/clients", expect=200)["count"] == clients_before
    viewer = api.post("/tokens", {"name": "v", "role": "viewer"}, expect=201)["token"]
    api.as_token(viewer).post("/system/selftest", expect=403)


def _runs(
    app: App, engagement_id: str, client_id: str, rows: list[tuple[str, str, int, int, int, float]]
) -> None:
    """Generation runs as the generation service records them (module, model, calls, in, out, cost)."""
    with app.uow() as uow:
        for i, (module, model, calls, tokens_in, tokens_out, cost) in enumerate(rows):
            uow.session.add(
                GenerationRunRow(
                    id=f"run_{engagement_id}_{i}", client_id=client_id, engagement_id=engagement_id,
                    module=module, status="SUCCESS", provider="openai", model=model, requests=calls,
                    input_tokens=tokens_in, output_tokens=tokens_out, cost_usd=cost,
                )
            )  # fmt: skip
        uow.commit()


def _calls(
    app: App, engagement_id: str, client_id: str, rows: list[tuple[str, str, int, int, int, float]]
) -> None:
    """Provider calls as the recording provider stores them (module, model, requests, in, out, cost)."""
    now = datetime.now(UTC)
    scope = CallScope(CallKind.GENERATE, client_id, engagement_id)
    with app.uow() as uow:
        for i, (module, model, requests, tokens_in, tokens_out, cost) in enumerate(rows):
            uow.provider_calls.add(
                ProviderCall(
                    id=f"call_{engagement_id}_{i}", scope=scope, module=module, provider="openai",
                    model=model, started_at=now, finished_at=now, ok=True, requests=requests,
                    input_tokens=tokens_in, output_tokens=tokens_out, cost_usd=cost,
                )
            )  # fmt: skip
        uow.commit()


def test_the_cost_ledger_groups_by_client_engagement_module_and_model_and_is_scoped(
    client: TestClient, aicmo_app: App
) -> None:
    api = Api(client)
    client_a, engagement_a = api.new_engagement("Acme Dental")
    client_b, engagement_b = api.new_engagement("Brightside Gyms")
    _calls(aicmo_app, engagement_a, client_a, [
        ("strategy", "gpt-x", 2, 1000, 500, 0.0075), ("strategy", "gpt-x", 1, 200, 100, 0.0015),
        ("creatives", "gpt-y", 3, 3000, 1500, 0.0225),
    ])  # fmt: skip
    _calls(aicmo_app, engagement_b, client_b, [("strategy", "gpt-x", 1, 100, 50, 0.00075)])

    ledger = api.get("/system/costs", expect=200)
    assert ledger["count"] == 3
    first = ledger["data"][0]
    assert (first["client_name"], first["module"], first["model"]) == ("Acme Dental", "creatives", "gpt-y")
    strategy_a = next(d for d in ledger["data"] if d["client_id"] == client_a and d["module"] == "strategy")
    assert (strategy_a["calls"], strategy_a["requests"], strategy_a["input_tokens"]) == (2, 3, 1200)
    assert (strategy_a["kind"], strategy_a["failed"], strategy_a["repeated"]) == ("generate", 0, 0)
    assert strategy_a["cost_usd"] == 0.009
    assert ledger["by_client"][client_a]["cost_usd"] == 0.0315
    assert ledger["totals"] == {
        "calls": 4, "requests": 7, "failed": 0, "unfinished": 0, "started_ahead": 0, "repeated": 0,
        "input_tokens": 4300, "output_tokens": 2150, "cost_usd": 0.03225,
    }  # fmt: skip
    only_b = api.get("/system/costs", expect=200, client_id=client_b)
    assert [d["client_id"] for d in only_b["data"]] == [client_b]
    assert api.get("/system/costs", expect=200, engagement_id=engagement_a)["count"] == 2

    reviewer = api.post(
        "/tokens", {"name": "r", "role": "client_reviewer", "client_id": client_b}, expect=201
    )
    as_reviewer = api.as_token(reviewer["token"])
    assert [d["client_id"] for d in as_reviewer.get("/system/costs", expect=200)["data"]] == [client_b]
    as_reviewer.get("/system/costs", expect=404, client_id=client_a)


def _sample(metrics: str, name: str, **labels: str) -> float:
    for line in metrics.splitlines():
        named = line.startswith(name + "{") or line.startswith(name + " ")
        if named and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {name} {labels}")


def test_metrics_count_requests_by_route_template_and_read_workspace_totals(
    client: TestClient, aicmo_app: App
) -> None:
    api = Api(client)
    client_id, engagement_id = api.new_engagement("Metric Co")
    for _ in range(3):
        api.get(f"/engagements/{engagement_id}", expect=200)
    api.get("/engagements/en_missing", expect=404)
    client.get("/no/such/path")
    _runs(aicmo_app, engagement_id, client_id, [("strategy", "gpt-x", 2, 1000, 500, 0.0075)])
    _calls(aicmo_app, engagement_id, client_id, [("strategy", "gpt-x", 2, 1000, 500, 0.0075)])

    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    route = "/api/v1/engagements/{engagement_id}"
    assert _sample(text, "aicmo_http_requests_total", method="GET", route=route, status="200") == 3
    assert _sample(text, "aicmo_http_requests_total", method="GET", route=route, status="404") == 1
    assert _sample(text, "aicmo_http_requests_total", route="unmatched", status="404") == 1
    assert _sample(text, "aicmo_http_request_duration_seconds_count", route=route, status="200") == 3
    assert engagement_id not in text  # ids never become labels
    assert _sample(text, "aicmo_database_up") == 1
    assert _sample(text, "aicmo_provider_requests_total", provider="openai", model="gpt-x") == 2
    assert _sample(text, "aicmo_llm_tokens_total", model="gpt-x", direction="input") == 1000
    assert _sample(text, "aicmo_llm_cost_usd_total", model="gpt-x") == 0.0075
    assert _sample(text, "aicmo_generation_runs_total", module="strategy", status="SUCCESS") == 1
    assert re.search(r"^# TYPE aicmo_jobs gauge", text, re.M)  # plan jobs exist as a table: states reported


def test_metrics_survive_a_database_without_the_optional_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrated(url)
    downgrade(url, "0001")  # no generation_runs, no plan_jobs
    app = build_app(make_settings(url, tmp_path))
    with TestClient(create_app(app)) as http:
        text = http.get("/metrics").text
    app.close()
    assert _sample(text, "aicmo_database_up") == 1
    assert "aicmo_jobs" not in text and "aicmo_llm_tokens_total" not in text
