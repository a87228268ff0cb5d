"""A small HTTP helper for API tests: every call goes through the real routes."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ADMIN_TOKEN
from tests.sample_content import sample_content


class Api:
    def __init__(self, client: TestClient, token: str = ADMIN_TOKEN) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def as_token(self, token: str) -> Api:
        return Api(self.client, token)

    def call(self, method: str, path: str, expect: int | None = None, **kwargs: Any) -> Any:
        response = self.client.request(method, f"/api/v1{path}", headers=self.headers, **kwargs)
        if expect is not None:
            assert response.status_code == expect, (response.status_code, response.text)
        return response.json()

    def post(self, path: str, json: Any = None, expect: int | None = None) -> Any:
        return self.call("POST", path, expect, json=json if json is not None else {})

    def patch(self, path: str, json: Any, expect: int | None = None) -> Any:
        return self.call("PATCH", path, expect, json=json)

    def get(self, path: str, expect: int | None = None, **params: Any) -> Any:
        return self.call("GET", path, expect, params=params or None)

    # ---- builders -----------------------------------------------------------------------
    def new_engagement(self, name: str = "Northwind") -> tuple[str, str]:
        client = self.post("/clients", {"name": name}, expect=201)
        engagement = self.post("/engagements", {"client_id": client["id"], "name": "Q1 launch"}, expect=201)
        return client["id"], engagement["id"]

    def new_artifact(self, engagement_id: str, type_: str, content: dict | None = None) -> dict:
        """A hand-made v1: valid sample content for the module, with `content`'s fields replaced."""
        body = {
            "engagement_id": engagement_id,
            "type": type_,
            "content": sample_content(type_) | (content or {}),
        }
        return self.post("/artifacts", body, expect=201)

    def approve(self, artifact: dict) -> dict:
        return self.post(
            f"/artifacts/{artifact['id']}/approve", {"expected_version": artifact["version"]}, expect=200
        )

    def amend(self, artifact: dict, **changes: Any) -> dict:
        return self.post(
            f"/artifacts/{artifact['id']}/amend",
            {"expected_version": artifact["version"], **changes},
            expect=200,
        )

    def artifact(self, artifact_id: str) -> dict:
        return self.get(f"/artifacts/{artifact_id}", expect=200)
