"""The projects pipeline over the real routes: each engagement's stage follows its artifacts, counts
come from leads, campaigns and imported rows, and a reviewer sees only its own client (SPEC §7)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.api.helpers import Api
from tests.conftest import SAMPLES


def test_the_stage_follows_the_artifacts_and_counts_are_real(client: TestClient) -> None:
    api = Api(client)
    client_a, engagement_a = api.new_engagement("Calder & Finch Solicitors")
    _, engagement_b = api.new_engagement("Empty Co")
    brief = json.loads((SAMPLES / "law_firm_services.json").read_text())
    api.post("/intake/generate", {"engagement_id": engagement_a, "intake": brief, "auto_approve": True})
    api.post("/strategy/generate", {"engagement_id": engagement_a})
    api.post("/leads", {"client_id": client_a, "email": "owner@bakery.example"}, expect=201)
    api.post(
        "/metrics/import",
        {"engagement_id": engagement_a, "csv": "date,platform,impressions\n2027-02-01,linkedin,100\n"},
        expect=201,
    )

    pipeline = api.get("/projects", expect=200)
    by_id = {p["engagement_id"]: p for p in pipeline["projects"]}
    a, b = by_id[engagement_a], by_id[engagement_b]
    assert a["stage"] == "Strategy: draft" and a["statuses"]["intake"] == "approved"
    assert (a["leads"], a["metric_rows"], a["campaigns"]) == (1, 1, 0)
    assert a["start_date"] == brief["start_date"] and a["end_date"] == "2027-04-11"
    assert b["stage"] == "Client brief: not started"
    assert pipeline["by_stage"] == {"Strategy: draft": 1, "Client brief: not started": 1}

    reviewer = api.post(
        "/tokens", {"name": "rev", "role": "client_reviewer", "client_id": client_a}, expect=201
    )
    seen = api.as_token(reviewer["token"]).get("/projects", expect=200)
    assert [p["engagement_id"] for p in seen["projects"]] == [engagement_a]
