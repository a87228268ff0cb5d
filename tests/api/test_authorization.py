"""Walk every /api/v1 route in the OpenAPI document as five callers and count leaks (must be 0).

Callers: no token, a bad token, a viewer (reads allowed, no writes), a client_reviewer bound to
another client (sees nothing of client A), and an operator (control: the walk reaches real data).
"""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from aicmo.bootstrap import App
from aicmo.domain.modules import Module
from aicmo.services import artifacts, proposals
from tests.api.helpers import Api
from tests.conftest import SAMPLES
from tests.sample_content import sample_content

WRITE_METHODS = {"post", "patch", "put", "delete"}
READ_ONLY_POSTS = {"/api/v1/intake/validate"}  # a query with a body: stores nothing
MODULES = tuple(m.value for m in Module)


def _bodies(ids: dict[str, str]) -> dict[tuple[str, str], dict]:
    """A valid body for every write route; a new route without one fails the test on purpose."""
    return {
        ("post", "/api/v1/clients"): {"name": "Intruder Ltd"},
        ("patch", "/api/v1/clients/{client_id}"): {"name": "Renamed"},
        ("post", "/api/v1/engagements"): {"client_id": ids["client_id"], "name": "Hijack"},
        ("patch", "/api/v1/engagements/{engagement_id}"): {"name": "Renamed"},
        ("post", "/api/v1/artifacts"): {
            "engagement_id": ids["engagement_id"],
            "type": "creatives",
            "content": sample_content("creatives"),
        },
        ("post", "/api/v1/artifacts/{artifact_id}/amend"): {"expected_version": 1, "notes": "x"},
        ("post", "/api/v1/artifacts/{artifact_id}/approve"): {"expected_version": 1},
        ("post", "/api/v1/artifacts/{artifact_id}/revoke"): {"expected_version": 1},
        ("post", "/api/v1/artifacts/{artifact_id}/archive"): {"expected_version": 1},
        ("post", "/api/v1/artifacts/{artifact_id}/reject"): {"expected_version": 1, "comment": "no"},
        ("post", "/api/v1/tokens"): {"name": "backdoor", "role": "admin"},
        ("post", "/api/v1/intake/validate"): {"intake": load_sample()},
        **{
            ("post", f"/api/v1/{m}/generate"): {"engagement_id": ids["engagement_id"]}
            | ({"intake": load_sample()} if m == "intake" else {})
            for m in MODULES
        },
        ("post", "/api/v1/engagements/{engagement_id}/plan"): {},
        ("patch", "/api/v1/plans/{plan_id}/jobs/{job_id}"): {"enabled": False},
        ("post", "/api/v1/plans/{plan_id}/run-next"): {},
        ("post", "/api/v1/plans/{plan_id}/run-ready"): {},
        ("post", "/api/v1/plans/{plan_id}/pause"): {},
        ("post", "/api/v1/plans/{plan_id}/resume"): {},
        ("post", "/api/v1/plans/{plan_id}/jobs/{job_id}/retry"): {},
        ("post", "/api/v1/proposals/{proposal_id}/accept"): {"expected_version": 1},
        ("post", "/api/v1/proposals/{proposal_id}/discard"): {},
        ("post", "/api/v1/system/bootstrap"): {},
        ("post", "/api/v1/system/selftest"): {},
        ("post", "/api/v1/engagements/{engagement_id}/exports"): {"format": "MD"},
        ("post", "/api/v1/engagements/{engagement_id}/share-links"): {"expires_in_hours": 1},
        ("post", "/api/v1/engagements/{engagement_id}/share-links/{link_id}/revoke"): {},
        ("post", "/api/v1/leads"): {"client_id": ids["client_id"], "email": "intruder@evil.example"},
        ("post", "/api/v1/leads/import"): {
            "client_id": ids["client_id"],
            "csv": "email\nintruder@evil.example\n",
        },
        ("post", "/api/v1/leads/{lead_id}/status"): {"status": "LOST", "expected_version": 1},
        ("post", "/api/v1/leads/{lead_id}/events"): {"kind": "reply"},
        ("post", "/api/v1/leads/bulk-status"): {
            "client_id": ids["client_id"],
            "lead_ids": [ids["lead_id"]],
            "status": "LOST",
        },
        ("post", "/api/v1/leads/batches/{batch_id}/undo"): {},
        ("post", "/api/v1/outreach/sequences"): sequence_body(ids["client_id"], "Hijack"),
        ("post", "/api/v1/outreach/sequences/{sequence_id}/enrol"): {"tiers": ["COLD", "COOL"]},
        ("post", "/api/v1/outreach/sequences/{sequence_id}/run"): {},
        ("post", "/api/v1/outreach/suppressions"): {
            "client_id": ids["client_id"],
            "emails": ["x@evil.example"],
        },
        ("post", "/api/v1/outreach/unsubscribe/{token}"): {},
        ("post", "/api/v1/campaigns"): {
            "engagement_id": ids["engagement_id"],
            "name": "Hijack",
            "objective": "x",
            "platforms": ["instagram"],
            "start_date": "2027-01-04",
            "end_date": "2027-01-10",
        },
        ("patch", "/api/v1/campaigns/{campaign_id}"): {"expected_version": 1, "name": "Hijacked"},
        ("post", "/api/v1/campaigns/{campaign_id}/generate"): {},
        ("post", "/api/v1/campaigns/{campaign_id}/approve"): {"item_ids": ["ci_unknown"]},
        ("post", "/api/v1/campaigns/{campaign_id}/proof"): {},
        ("post", "/api/v1/campaigns/{campaign_id}/publish"): {},
        ("post", "/api/v1/publish-jobs/{job_id}/retry"): {},
        ("post", "/api/v1/campaign-items/{item_id}/approve"): {"expected_version": 1},
        ("post", "/api/v1/campaign-items/{item_id}/reject"): {"expected_version": 1, "reason": "no"},
        ("post", "/api/v1/campaign-items/{item_id}/revise"): {"expected_version": 1, "text": "hijack"},
        ("post", "/api/v1/campaign-items/{item_id}/regenerate"): {"expected_version": 1},
        ("post", "/api/v1/campaign-items/{item_id}/published"): {"url": "https://www.instagram.com/p/x/"},
        ("post", "/api/v1/metrics/import"): {
            "engagement_id": ids["engagement_id"],
            "csv": "date,platform,impressions\n2027-01-04,instagram,10\n",
        },
        ("post", "/api/v1/listening/import"): {
            "engagement_id": ids["engagement_id"],
            "csv": "date,platform,text\n2027-01-04,instagram,Secret Client A is great\n",
        },
        ("post", "/api/v1/share/{token}/review"): {
            "artifact_id": ids["artifact_id"],
            "decision": "request_changes",
            "comment": "hijack",
            "reviewer_name": "Mallory",
            "expected_version": 1,
        },
    }


def sequence_body(client_id: str, name: str) -> dict:
    return {
        "client_id": client_id,
        "name": name,
        "steps": [{"subject": "Hello {{first_name}}", "body": "Hi {{first_name}}, a note."}],
        "sender": "hello@agency.example",
        "postal_address": "1 Quay Street, Bristol BS1 4DJ",
    }


def load_sample() -> dict:
    return json.loads((SAMPLES / "saas_hr_leads.json").read_text())


# Public on purpose: the signed share link in the path is the credential (SPEC client review). The
# walk still calls them as every caller with a link that is not genuine, and counts leaks.
PUBLIC_ROUTES = {
    ("get", "/api/v1/share/{token}"),
    ("post", "/api/v1/share/{token}/review"),
    ("get", "/api/v1/share/{token}/exports/{export_id}/download"),
    ("get", "/api/v1/outreach/unsubscribe/{token}"),  # the link in every outreach e-mail
    ("post", "/api/v1/outreach/unsubscribe/{token}"),
}


def propose(app: App, artifact_id: str) -> str:
    """A proposal beside client A's strategy, as a plan job writes one (the walk needs a real one)."""
    with app.uow() as uow:
        row = uow.artifacts.get(artifact_id)
        content = artifacts.NewContent(content={"executive_summary": "confidential-offer-A, regenerated"})
        proposal = proposals.propose(uow, "system:job strategy.icp", row, content, [])
        uow.commit()
        return proposal.id


def _setup(api: Api, aicmo_app: App) -> tuple[dict[str, str], set[str], str, str]:
    client_a, engagement_a = api.new_engagement("Secret Client A")
    brief = load_sample() | {"primary_offer": "confidential-offer-A"}
    intake = api.post("/intake/generate", {"engagement_id": engagement_a, "intake": brief}, expect=200)
    intake = api.approve(api.artifact(intake["meta"]["artifact_id"]))
    plan = api.get(f"/engagements/{engagement_a}/plan", expect=200)
    strategy = api.new_artifact(engagement_a, "strategy")
    proposal_id = propose(aicmo_app, strategy["id"])
    lead = api.post(
        "/leads",
        {"client_id": client_a, "email": "secret-lead@client-a.example", "company": "Secret Client A"},
        expect=201,
    )
    batch = api.post(
        "/leads/import", {"client_id": client_a, "csv": "email\nsecret-batch@client-a.example\n"}, expect=200
    )
    sequence = api.post("/outreach/sequences", sequence_body(client_a, "Secret sequence"), expect=201)
    start = brief["start_date"]
    campaign = api.post(
        "/campaigns",
        {
            "engagement_id": engagement_a,
            "name": "Secret campaign",
            "objective": "demo requests",
            "platforms": ["linkedin"],
            "start_date": start,
            "end_date": start,
        },
        expect=201,
    )
    client_b, _ = api.new_engagement("Client B")
    viewer = api.post("/tokens", {"name": "viewer", "role": "viewer"}, expect=201)
    reviewer_b = api.post(
        "/tokens", {"name": "rev-b", "role": "client_reviewer", "client_id": client_b}, expect=201
    )
    ids = {
        "client_id": client_a,
        "engagement_id": engagement_a,
        "artifact_id": intake["id"],
        "token_id": viewer["id"],
        "module": "strategy",
        "version": "1",
        "export_id": "ex_unknown",
        "proposal_id": proposal_id,
        "plan_id": plan["id"],
        "job_id": plan["jobs"][0]["id"],
        "lead_id": lead["id"],
        "batch_id": batch["batch_id"],
        "sequence_id": sequence["id"],
        "link_id": "0123456789ab",
        "campaign_id": campaign["id"],
        "item_id": "ci_unknown",
        "token": "eyJub3QiOiJhIGxpbmsifQ.forged-signature",
    }
    secrets = {
        client_a,
        engagement_a,
        intake["id"],
        strategy["id"],
        "Secret Client A",
        "confidential-offer-A",
        "secret-lead@client-a.example",
        "Secret campaign",
        "Secret sequence",
        "secret-batch@client-a.example",
    }
    return ids, secrets, viewer["token"], reviewer_b["token"]


def _routes(client: TestClient) -> list[tuple[str, str]]:
    spec = client.get("/openapi.json").json()
    return [
        (method, path)
        for path, operations in spec["paths"].items()
        if path.startswith("/api/v1/")
        for method in operations
    ]


def _url(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


def _leaked(response_text: str, secrets: set[str], url: str, body: dict | None) -> list[str]:
    """Secrets in the answer that the caller did not send itself (echoing a requested id is fine)."""
    sent = url + repr(body)
    return [s for s in secrets if s in response_text and s not in sent]


ENGAGEMENT_QUERY = {
    "/api/v1/metrics/kpis",
    "/api/v1/metrics/insights",
    "/api/v1/metrics/goals",
    "/api/v1/listening/report",
    "/api/v1/campaigns",
}


def _request_url(method: str, path: str, ids: dict[str, str]) -> str:
    """The URL a call sends, query included (an id the caller sent in the query may be echoed)."""
    url = _url(path, ids)
    if path.endswith("/diff"):
        url += "?from=1&to=1"
    if path.endswith("/events"):
        url += "?timeout_s=0.5"
    by_client = {
        "/api/v1/leads",
        "/api/v1/leads/export",
        "/api/v1/leads/batches",
        "/api/v1/outreach/sequences",
        "/api/v1/outreach/suppressions",
    }
    if path in by_client and method == "get":
        url += f"?client_id={ids['client_id']}"
    if path in ENGAGEMENT_QUERY and method == "get":
        url += f"?engagement_id={ids['engagement_id']}"
    return url


def _call(
    client: TestClient, method: str, path: str, ids: dict[str, str], body: dict | None, token: str | None
):
    url = _request_url(method, path, ids)
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.request(method.upper(), url, json=body, headers=headers)


def test_every_route_refuses_or_scopes_every_caller(client: TestClient, aicmo_app: App) -> None:
    api = Api(client)
    ids, secrets, viewer_token, reviewer_token = _setup(api, aicmo_app)
    bodies = _bodies(ids)
    routes = _routes(client)
    assert len(routes) >= 15
    before = api.get("/audit", expect=200, limit=1)["count"]
    leaks: list[str] = []

    for method, path in routes:
        body = bodies.get((method, path))
        if method in WRITE_METHODS and method != "delete":
            assert body is not None, f"add a body for {method.upper()} {path} to this test"

        for label, token in (("no token", None), ("bad token", "aicmo_not-a-real-token")):
            response = _call(client, method, path, ids, body, token)
            expected = {403} if (method, path) in PUBLIC_ROUTES else {401}  # a forged link: 403
            if response.status_code not in expected or _leaked(
                response.text, secrets, _request_url(method, path, ids), body
            ):
                leaks.append(f"{label}: {method.upper()} {path} -> {response.status_code}")

        response = _call(client, method, path, ids, body, viewer_token)
        if method in WRITE_METHODS and path not in READ_ONLY_POSTS and response.status_code != 403:
            leaks.append(f"viewer: {method.upper()} {path} -> {response.status_code}")
        lists_tokens = path.startswith("/api/v1/tokens") and method == "get" and path != "/api/v1/tokens/me"
        if lists_tokens and response.status_code != 403:
            leaks.append(f"viewer listed tokens: {response.status_code}")

        response = _call(client, method, path, ids, body, reviewer_token)
        if response.status_code < 300 and method in WRITE_METHODS and path not in READ_ONLY_POSTS:
            leaks.append(f"reviewer of B wrote: {method.upper()} {path} -> {response.status_code}")
        if _leaked(response.text, secrets, _request_url(method, path, ids), body):
            leaks.append(f"reviewer of B saw client A: {method.upper()} {path} -> {response.status_code}")

    assert leaks == []
    # nothing the refused callers tried was written
    assert api.get("/audit", expect=200, limit=1)["count"] == before
    assert api.get("/clients", expect=200)["count"] == 2


def test_a_client_reviewer_reads_and_approves_only_its_own_client(client: TestClient) -> None:
    api = Api(client)
    client_a, engagement_a = api.new_engagement("Client A")
    intake = api.new_artifact(engagement_a, "intake")
    reviewer = api.post(
        "/tokens", {"name": "rev-a", "role": "client_reviewer", "client_id": client_a}, expect=201
    )
    as_reviewer = api.as_token(reviewer["token"])

    assert as_reviewer.get("/clients", expect=200)["count"] == 1
    assert as_reviewer.get(f"/artifacts/{intake['id']}", expect=200)["id"] == intake["id"]
    as_reviewer.post(f"/artifacts/{intake['id']}/amend", {"expected_version": 1, "notes": "x"}, expect=403)
    approved = as_reviewer.post(f"/artifacts/{intake['id']}/approve", {"expected_version": 1}, expect=200)
    assert approved["approved_by"] == "client_reviewer:rev-a"
    as_reviewer.post("/clients", {"name": "New"}, expect=403)


def test_tokens_are_stored_hashed_and_revocable(client: TestClient, aicmo_app) -> None:
    api = Api(client)
    issued = api.post("/tokens", {"name": "ops", "role": "operator"}, expect=201)
    with aicmo_app.uow() as uow:
        row = uow.tokens.get(issued["id"])
        assert row.token_hash != issued["token"] and issued["token"] not in row.token_hash
    as_operator = api.as_token(issued["token"])
    assert as_operator.get("/tokens/me", expect=200)["role"] == "operator"
    listed = api.get("/tokens", expect=200)["data"]
    assert all("token" not in t for t in listed)
    api.call("DELETE", f"/tokens/{issued['id']}", expect=200)
    as_operator.get("/clients", expect=401)
