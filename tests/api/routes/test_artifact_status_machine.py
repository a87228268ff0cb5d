"""Every legal and illegal status transition, driven over HTTP by a hypothesis state machine.

The expected table below is written from SPEC §4 independently of the implementation's table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from aicmo.bootstrap import build_app
from aicmo.entrypoints.api.main import create_app
from tests.api.helpers import Api
from tests.conftest import make_settings, migrated

LIVE = {"draft", "revised", "approved", "flagged_for_review"}
# action -> {from status: to status}; anything missing must be refused with 409 and change nothing
EXPECTED = {
    "amend": {s: "revised" for s in LIVE},
    "approve": {"draft": "approved", "revised": "approved", "flagged_for_review": "approved"},
    "revoke": {"approved": "draft"},
    "reject": {s: "draft" for s in LIVE},
    "archive": {s: "archived" for s in LIVE},
}


def test_expected_table_covers_every_status_and_action() -> None:
    statuses = LIVE | {"archived"}
    for action, legal in EXPECTED.items():
        assert set(legal) <= statuses, action
        assert "archived" not in legal, f"{action} must be illegal on an archived artifact"


class ArtifactLifecycle(RuleBasedStateMachine):
    """One intake artifact; the model tracks its status and version and every answer is checked."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(__import__("tempfile").mkdtemp())
        url = f"sqlite:///{self.tmp / 'sm.db'}"
        migrated(url)
        self.app = build_app(make_settings(url, self.tmp))
        self.http = TestClient(create_app(self.app))
        self.api = Api(self.http)
        self.status = "draft"
        self.version = 1
        self.approvals = 0

    @initialize()
    def create(self) -> None:
        _, engagement = self.api.new_engagement()
        self.artifact = self.api.new_artifact(engagement, "intake")
        assert self.artifact["status"] == "draft"
        assert self.artifact["version"] == 1

    def _act(self, action: str, body: dict) -> None:
        response = self.http.post(
            f"/api/v1/artifacts/{self.artifact['id']}/{action}", json=body, headers=self.api.headers
        )
        legal = EXPECTED[action].get(self.status)
        if legal is None:
            assert response.status_code == 409, (action, self.status, response.text)
            assert response.json()["error"]["type"] == "INVALID_TRANSITION"
            return
        assert response.status_code == 200, (action, self.status, response.text)
        data = response.json()
        self.status = legal
        if action == "amend":
            self.version += 1
        assert data["status"] == self.status
        assert data["version"] == self.version

    # codec="utf-8": a lone surrogate cannot be sent as UTF-8 by the test client at all (the API
    # answers one sent escaped in JSON with a 422 naming the field)
    @rule(
        text=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=40).filter(
            str.strip
        )
    )
    def amend(self, text: str) -> None:
        self._act("amend", {"expected_version": self.version, "notes": text})

    @rule(text=st.text(st.characters(codec="utf-8"), max_size=20).map(lambda t: t + "\x00"))
    def amend_with_a_nul_byte(self, text: str) -> None:
        """A NUL byte is refused whatever the state (PostgreSQL cannot store it): 422 naming the
        field, and the artifact keeps its status and version."""
        response = self.http.post(
            f"/api/v1/artifacts/{self.artifact['id']}/amend",
            json={"expected_version": self.version, "notes": text},
            headers=self.api.headers,
        )
        assert response.status_code == 422, response.text
        assert [d["field"] for d in response.json()["error"]["details"]] == ["notes"]

    @rule()
    def approve(self) -> None:
        self._act("approve", {"expected_version": self.version})

    @rule()
    def revoke(self) -> None:
        self._act("revoke", {"expected_version": self.version})

    @rule()
    def reject(self) -> None:
        self._act("reject", {"expected_version": self.version, "comment": "Tighten the offer"})

    @rule()
    def archive(self) -> None:
        self._act("archive", {"expected_version": self.version})

    @rule(offset=st.integers(min_value=1, max_value=3))
    def stale_version_is_refused(self, offset: int) -> None:
        before = self.api.artifact(self.artifact["id"])
        response = self.http.post(
            f"/api/v1/artifacts/{self.artifact['id']}/amend",
            json={"expected_version": self.version + offset, "notes": "late edit"},
            headers=self.api.headers,
        )
        assert response.status_code == 409
        assert self.api.artifact(self.artifact["id"]) == before

    @invariant()
    def server_agrees(self) -> None:
        if not hasattr(self, "artifact"):
            return
        stored = self.api.artifact(self.artifact["id"])
        assert (stored["status"], stored["version"]) == (self.status, self.version)
        versions = self.api.get(f"/artifacts/{self.artifact['id']}/versions", expect=200)
        assert [v["version"] for v in versions] == list(range(1, self.version + 1))

    def teardown(self) -> None:
        self.http.close()
        self.app.close()


ArtifactLifecycle.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_artifact_lifecycle = ArtifactLifecycle.TestCase


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_every_action_is_refused_on_an_archived_artifact(client: TestClient, action: str) -> None:
    api = Api(client)
    _, engagement = api.new_engagement()
    artifact = api.new_artifact(engagement, "intake")
    api.post(f"/artifacts/{artifact['id']}/archive", {"expected_version": 1}, expect=200)
    extra = {"amend": {"notes": "late edit"}, "reject": {"comment": "Rework it"}}.get(action, {})
    body = {"expected_version": 1, **extra}
    answer = api.post(f"/artifacts/{artifact['id']}/{action}", body, expect=409)
    assert answer["error"]["type"] == "INVALID_TRANSITION"
    assert api.artifact(artifact["id"])["status"] == "archived"
