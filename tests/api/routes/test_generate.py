"""The generate endpoints over HTTP: brief validation, gating refusals, envelopes, provenance."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.helpers import Api
from tests.conftest import SAMPLES

BRIEF = json.loads((SAMPLES / "law_firm_services.json").read_text())


def save_brief(api: Api, engagement: str, brief: dict, expect: int = 200) -> dict:
    return api.post("/intake/generate", {"engagement_id": engagement, "intake": brief}, expect=expect)


def test_strategy_is_refused_until_the_intake_is_approved_then_generated(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement("Calder & Finch")
    refused = api.post("/strategy/generate", {"engagement_id": engagement}, expect=409)
    assert refused["status"] == "FAILED"
    assert refused["error"]["type"] == "GATING_ERROR"
    assert [d["reason"] for d in refused["error"]["details"]] == ["intake (missing)"]

    saved = save_brief(api, engagement, BRIEF)
    assert saved["status"] == "SUCCESS" and saved["module"] == "intake"
    refused = api.post("/strategy/generate", {"engagement_id": engagement}, expect=409)
    assert [d["reason"] for d in refused["error"]["details"]] == ["intake (draft - must be approved)"]

    api.approve(api.artifact(saved["meta"]["artifact_id"]))
    envelope = api.post("/strategy/generate", {"engagement_id": engagement}, expect=200)
    assert envelope["status"] == "SUCCESS", envelope["meta"]["findings"]
    assert envelope["run_id"] and envelope["trace_id"]
    assert envelope["meta"]["provider"] == "offline"
    assert [d["title"] for d in envelope["deliverables"]] == [
        "Executive summary",
        "Ideal customer profile",
        "Positioning",
        "Messaging framework",
        "Content pillars",
        "Platform strategy",
        "Media plan",
        "Measurement plan",
    ]
    stored = api.artifact(envelope["meta"]["artifact_id"])
    assert stored["status"] == "draft"
    assert stored["provenance"]["provider"] == "offline"
    assert stored["provenance"]["run_id"] == envelope["run_id"]
    assert stored["source_versions"] == {"intake": 1}
    assert len(stored["inputs_hash"]) == 64
    assert "Calder & Finch" in stored["content_markdown"]


def test_an_invalid_brief_is_a_422_naming_each_field_and_nothing_is_stored(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    bad = {
        **BRIEF,
        "website": "not a url",
        "contact_email": "nobody",
        "duration_weeks": "ten",
        "colour": "red",
    }
    del bad["client_name"]
    answer = save_brief(api, engagement, bad, expect=422)
    fields = {d["field"] for d in answer["error"]["details"]}
    assert {"client_name", "website", "contact_email", "duration_weeks", "colour"} <= fields
    assert api.get("/artifacts", expect=200, engagement_id=engagement)["count"] == 0


def test_a_megabyte_string_is_refused_not_a_server_error(client: TestClient) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    answer = save_brief(api, engagement, {**BRIEF, "primary_offer": "x" * 1_000_000}, expect=422)
    assert answer["error"]["details"][0]["field"] == "primary_offer"


def test_validate_reports_errors_and_warnings_without_storing(client: TestClient) -> None:
    api = Api(client)
    report = api.post(
        "/intake/validate", {"intake": {**BRIEF, "kpi_targets": "", "website": "ftp://x"}}, expect=200
    )
    assert report["ok"] is False
    assert any(e["field"] == "website" for e in report["errors"])
    assert any(w["field"] == "kpi_targets" for w in report["warnings"])


def test_validate_with_review_says_the_review_is_off_without_an_llm(client: TestClient) -> None:
    api = Api(client)
    report = api.post("/intake/validate", {"intake": BRIEF, "review": True}, expect=200)
    assert report["review"]["state"] == "off"
    assert api.post("/intake/validate", {"intake": BRIEF}, expect=200)["review"] is None


# Characters UTF-8 can carry: the test client cannot send a lone surrogate at all.
UTF8 = st.characters(codec="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    field=st.sampled_from(sorted(BRIEF)),
    value=st.one_of(
        st.none(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.text(UTF8, max_size=50),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(UTF8, max_size=5), st.integers(), max_size=2),
    ),
)
def test_any_value_in_any_field_is_a_4xx_or_a_success_never_a_5xx(
    client: TestClient, field: str, value: object
) -> None:
    api = Api(client)
    response = client.post(
        "/api/v1/intake/validate", json={"intake": {**BRIEF, field: value}}, headers=api.headers
    )
    if "\\u0000" in json.dumps(value):  # a NUL byte is refused before validation (PostgreSQL cannot store it)
        assert response.status_code == 422
        assert all(d["field"] for d in response.json()["error"]["details"])
        return
    assert response.status_code == 200
    body = response.json()
    if not body["ok"]:
        assert all(e["field"] for e in body["errors"])


@pytest.mark.parametrize("module", ["leadgen", "autonomy", "learn", "monitoring", "delivery"])
def test_every_module_has_a_generate_endpoint_that_gates(client: TestClient, module: str) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    refused = api.post(f"/{module}/generate", {"engagement_id": engagement}, expect=409)
    assert refused["error"]["type"] == "GATING_ERROR"
    assert refused["status"] == "FAILED"
    assert refused["error"]["details"][0]["reason"].startswith(("intake (missing)", "execution (missing)"))
