"""The plan API with the embedded engine: inspect, toggle, run, pause/resume, retry, progress, SSE."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aicmo.bootstrap import build_app
from aicmo.domain.errors import WriteRace
from aicmo.entrypoints.api.main import create_app
from aicmo.services import plans
from tests.api.helpers import Api
from tests.conftest import SAMPLES, make_settings, migrated


@pytest.fixture
def engine_client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    migrated(url)
    app = build_app(make_settings(url, tmp_path, runner_mode="embedded", queue_polling_s=0.02))
    with TestClient(create_app(app)) as client:  # the lifespan starts the engine in-process
        yield client


def approved_plan(api: Api, autonomy: str = "manual") -> dict:
    client = api.post("/clients", {"name": "Saltmarsh"}, expect=201)
    engagement = api.post(
        "/engagements", {"client_id": client["id"], "name": "Launch", "autonomy_level": autonomy}, expect=201
    )
    api.get(f"/engagements/{engagement['id']}/plan", expect=404)
    brief = json.loads((SAMPLES / "coffee_ecommerce.json").read_text())
    saved = api.post("/intake/generate", {"engagement_id": engagement["id"], "intake": brief}, expect=200)
    api.approve(api.artifact(saved["meta"]["artifact_id"]))
    return api.get(f"/engagements/{engagement['id']}/plan", expect=200)


def wait_settled(api: Api, plan_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        plan = api.get(f"/plans/{plan_id}", expect=200)
        moving = plan["auto_continue"] and plan["state"] == "active"
        active = [
            j
            for j in plan["jobs"]
            if j["enabled"]
            and (j["status"] == "running" or (j["status"] == "ready" and (j["queued_at"] or moving)))
        ]
        if not active:
            return plan
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_run_next_runs_one_job_and_run_ready_runs_until_an_approval_is_needed(
    engine_client: TestClient,
) -> None:
    api = Api(engine_client)
    plan = approved_plan(api)
    assert plan["progress"]["total"] == len(plan["jobs"])
    assert [j["status"] for j in plan["jobs"][:2]] == ["ready", "pending"]

    api.post(f"/plans/{plan['id']}/run-next", expect=200)
    plan = wait_settled(api, plan["id"])
    assert plan["jobs"][0]["status"] == "completed"
    assert plan["jobs"][1]["status"] == "ready"  # run-next does not keep going

    api.post(f"/plans/{plan['id']}/run-ready", expect=200)
    plan = wait_settled(api, plan["id"])
    by_key = {j["key"]: j for j in plan["jobs"]}
    assert by_key["strategy.measurement"]["status"] == "completed"
    assert by_key["creatives.brand_kit"]["blocked_reason"] == (
        "waiting for approval: strategy (draft - must be approved)"
    )
    assert all(j["attempts"] == 1 and j["started_at"] and j["finished_at"] for j in plan["jobs"][:6])


def test_toggling_pausing_and_resuming(engine_client: TestClient) -> None:
    api = Api(engine_client)
    plan = approved_plan(api)
    reels = next(j for j in plan["jobs"] if j["key"] == "execution.reel_scripts")
    toggled = api.call(
        "PATCH", f"/plans/{plan['id']}/jobs/{reels['id']}", expect=200, json={"enabled": False}
    )
    assert (toggled["enabled"], toggled["status"]) == (False, "skipped")

    paused = api.post(f"/plans/{plan['id']}/pause", expect=200)
    assert paused["state"] == "paused"
    refused = api.post(f"/plans/{plan['id']}/run-ready", expect=409)
    assert "paused" in refused["error"]["message"]
    api.post(f"/plans/{plan['id']}/resume", expect=200)
    api.post(f"/plans/{plan['id']}/run-ready", expect=200)
    plan = wait_settled(api, plan["id"])
    assert plan["state"] == "active"


def test_a_plan_command_that_loses_a_race_with_the_runner_runs_again(
    engine_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a command can lose a write race with the runner claiming a job; the command
    names no version, so the API runs it again instead of answering 409 (a refusal still is)."""
    api = Api(engine_client)
    plan = approved_plan(api)
    real, attempts = plans.run_ready, []

    def racing(uow, principal, plan_id):  # the first attempt loses, as the runner's claim would win
        attempts.append(plan_id)
        if len(attempts) == 1:
            raise WriteRace("someone else changed this record at the same time; reload and try again")
        return real(uow, principal, plan_id)

    monkeypatch.setattr(plans, "run_ready", racing)
    started = api.post(f"/plans/{plan['id']}/run-ready", expect=200)
    assert attempts == [plan["id"], plan["id"]]
    assert started["auto_continue"] is True


def test_retry_is_refused_for_a_job_that_is_not_finished(engine_client: TestClient) -> None:
    api = Api(engine_client)
    plan = approved_plan(api)
    pending = plan["jobs"][1]
    refused = api.post(f"/plans/{plan['id']}/jobs/{pending['id']}/retry", expect=409)
    assert "pending" in refused["error"]["message"]


def test_events_stream_the_plan_until_it_settles(engine_client: TestClient) -> None:
    api = Api(engine_client)
    plan = approved_plan(api)
    api.post(f"/plans/{plan['id']}/run-next", expect=200)
    with engine_client.stream(
        "GET", f"/api/v1/plans/{plan['id']}/events?timeout_s=30", headers=api.headers
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line for line in response.iter_lines() if line.startswith("event:")]
    assert events[0] == "event: plan"
    assert events[-1] == "event: done"
