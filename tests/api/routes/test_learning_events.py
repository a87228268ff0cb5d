"""Learning events over the real route: GET /api/v1/clients/{id}/learning-events lists a client's
generations, decisions (a rejection with its reason), publications and outcomes, filtered by kind."""

from __future__ import annotations

from fastapi.testclient import TestClient

from aicmo.bootstrap import App
from aicmo.domain.roles import Principal, Role
from aicmo.services import learning
from tests.api.helpers import Api


def test_a_clients_learning_events_over_the_api(client: TestClient, aicmo_app: App) -> None:
    api = Api(client)
    client_id, engagement_id = api.new_engagement("Saltmarsh Coffee")
    artifact = api.new_artifact(engagement_id, "creatives")
    api.post(
        f"/artifacts/{artifact['id']}/reject", {"expected_version": 1, "comment": "off brand"}, expect=200
    )
    with aicmo_app.uow() as uow:
        learning.record_event(
            uow,
            Principal(name="maya", role=Role.OPERATOR),
            "publication",
            client_id=client_id,
            engagement_id=engagement_id,
            subject="post instagram-01",
            data={"url": "https://instagram.com/p/xyz"},
        )
        uow.commit()

    report = api.get(f"/clients/{client_id}/learning-events", expect=200)
    assert report["client_id"] == client_id and report["counts"]["rejection"] == 1
    assert report["counts"]["publication"] == 1 and report["counts"]["outcome"] == 0
    rejection = next(e for e in report["events"] if e["kind"] == "rejection")
    assert rejection["reason"] == "off brand" and rejection["subject"] == "creatives"
    assert isinstance(rejection["id"], int)  # the audit entry it is read from

    only = api.get(f"/clients/{client_id}/learning-events", expect=200, kind="publication")
    assert only["count"] == 1 and only["events"][0]["data"]["url"] == "https://instagram.com/p/xyz"
    api.get(f"/clients/{client_id}/learning-events", expect=422, kind="nonsense")
    api.get("/clients/cl_missing/learning-events", expect=404)
