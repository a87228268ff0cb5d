"""One source per fact: a client's website is checked like the brief's, and saving a brief copies
its client facts and its window onto the client and the engagement."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import Api
from tests.integration.delivery.builders import load_brief


def test_a_client_website_that_the_brief_would_refuse_is_not_kept(client: TestClient) -> None:
    api = Api(client)
    bad = api.post("/clients", {"name": "Calder & Finch", "website": "calderfinch dot example"}, expect=422)
    assert [d["field"] for d in bad["error"]["details"]] == ["website"]
    assert "not a valid URL" in bad["error"]["details"][0]["message"]
    assert api.get("/clients", expect=200)["count"] == 0
    made = api.post(
        "/clients", {"name": "Calder & Finch", "website": "https://calderfinch.example"}, expect=201
    )
    api.call("PATCH", f"/clients/{made['id']}", json={"website": "not a url"}, expect=422)
    assert api.get(f"/clients/{made['id']}", expect=200)["website"] == "https://calderfinch.example"


def test_saving_a_brief_sets_the_engagement_window_and_the_client_facts(client: TestClient) -> None:
    api = Api(client)
    made = api.post("/clients", {"name": "Solar", "industry": "Energy"}, expect=201)
    engagement = api.post("/engagements", {"client_id": made["id"], "name": "Spring"}, expect=201)
    assert (engagement["start_date"], engagement["duration_weeks"]) == (None, 12)
    brief = load_brief("coffee_ecommerce") | {"start_date": "2027-03-01", "duration_weeks": 16}
    api.post("/intake/generate", {"engagement_id": engagement["id"], "intake": brief}, expect=200)

    now = api.get(f"/engagements/{engagement['id']}", expect=200)
    assert (now["start_date"], now["duration_weeks"]) == ("2027-03-01", 16)
    facts = api.get(f"/clients/{made['id']}", expect=200)
    assert (facts["name"], facts["industry"], facts["website"]) == (
        brief["client_name"],
        brief["industry"],
        brief["website"],
    )
    trail = api.get("/audit", expect=200, action="brief.sync")["data"]
    assert "engagement.start_date" in trail[0]["comment"]
