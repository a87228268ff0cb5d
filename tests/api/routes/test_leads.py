"""Leads over the real routes (SQLite, and PostgreSQL when configured): CSV import with dedupe,
legal status moves only, scores with reasons, errors naming their field (SPEC §7)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.api.helpers import Api
from tests.conftest import SAMPLES

CSV = """Full Name,E-mail,Organisation,Job Title,Lead Source,Consent
Aoife Byrne,aoife@stbrigid.example,St. Brigid Community Hospital,Director of Nursing,Referral,yes
Bo Chan,bo@gmail.com,,Student nurse,Instagram,no
,not-an-email,,,,
Aoife again,AOIFE@stbrigid.example,,,,yes
"""


def engagement_with_brief(api: Api) -> tuple[str, str]:
    client_id, engagement_id = api.new_engagement("St. Brigid Community Hospital")
    brief = json.loads((SAMPLES / "hospital_hiring.json").read_text())
    envelope = api.post(
        "/intake/generate", {"engagement_id": engagement_id, "intake": brief, "auto_approve": True}
    )
    assert envelope["status"] == "SUCCESS", envelope
    return client_id, engagement_id


def test_a_csv_import_dedupes_scores_and_lists_best_first(client: TestClient) -> None:
    api = Api(client)
    client_id, engagement_id = engagement_with_brief(api)
    result = api.post(
        "/leads/import", {"client_id": client_id, "engagement_id": engagement_id, "csv": CSV}, expect=200
    )

    assert (result["created"], result["duplicates_in_file"], result["already_known"]) == (2, 1, 0)
    assert result["skipped"] == [{"field": "row 4.email", "message": "not an e-mail address: not-an-email"}]
    again = api.post("/leads/import", {"client_id": client_id, "csv": CSV}, expect=200)
    assert (again["created"], again["already_known"]) == (0, 2)  # nothing saved is duplicated

    page = api.get("/leads", expect=200, client_id=client_id)
    assert page["count"] == 2
    best, other = page["data"]
    assert best["email"] == "aoife@stbrigid.example" and best["status"] == "NEW"
    assert best["score"] > other["score"]
    assert any("senior title" in r for r in best["score_reasons"])
    assert any("audience" in r for r in best["score_reasons"])  # the brief's target audience: nurses


def test_status_moves_are_legal_versioned_and_rescored(client: TestClient) -> None:
    api = Api(client)
    client_id, _ = api.new_engagement()
    lead = api.post(
        "/leads", {"client_id": client_id, "email": "ada@northwind.example", "title": "VP Sales"}, expect=201
    )

    refused = api.post(
        f"/leads/{lead['id']}/status", {"status": "QUALIFIED", "expected_version": 1}, expect=409
    )
    assert refused["error"]["type"] == "INVALID_TRANSITION"
    assert "a NEW lead can move to CONTACTED, ENRICHED, LOST, MANUAL_REVIEW" in refused["error"]["message"]

    contacted = api.post(
        f"/leads/{lead['id']}/status", {"status": "contacted", "expected_version": 1}, expect=200
    )
    replied = api.post(
        f"/leads/{lead['id']}/status",
        {"status": "ENGAGED", "expected_version": contacted["version"]},
        expect=200,
    )
    assert replied["status"] == "REPLIED"  # a legacy label
    assert replied["score"] > contacted["score"] > lead["score"]
    stale = api.post(
        f"/leads/{lead['id']}/status", {"status": "QUALIFIED", "expected_version": 1}, expect=409
    )
    assert stale["error"]["type"] == "CONFLICT"
    assert api.get(f"/leads/{lead['id']}", expect=200)["status"] == "REPLIED"  # nothing lost
    moves = api.get("/audit", expect=200, client_id=client_id, action="lead.move")["data"]
    assert sorted((m["from_status"], m["to_status"]) for m in moves) == [
        ("CONTACTED", "REPLIED"),
        ("NEW", "CONTACTED"),
    ]


def test_bad_input_names_the_field_and_never_5xx(client: TestClient) -> None:
    api = Api(client)
    client_id, _ = api.new_engagement()
    bad_email = api.post("/leads", {"client_id": client_id, "email": "nope"}, expect=422)
    assert "email" in json.dumps(bad_email["error"]["details"])
    api.post("/leads", {"client_id": client_id, "email": "ada@northwind.example"}, expect=201)
    taken = api.post("/leads", {"client_id": client_id, "email": "ADA@northwind.example"}, expect=409)
    assert taken["error"]["details"][0]["field"] == "email"
    no_column = api.post("/leads/import", {"client_id": client_id, "csv": "name\nAda\n"}, expect=422)
    assert "needs an email column" in no_column["error"]["message"]
    unknown = api.get("/leads", expect=422, client_id=client_id, status="HOT")
    assert unknown["error"]["details"][0]["field"] == "status"
    api.get("/leads", expect=404, client_id="cl_missing")
    api.post("/leads/ld_missing/status", {"status": "LOST", "expected_version": 1}, expect=404)
