"""Console tests drive the real Streamlit script with AppTest against a real API over HTTP.

`live_api` starts uvicorn with `create_app` on a free port in a thread, on a migrated temp SQLite
database; `console` gives an AppTest pointed at it through AICMO_BACKEND_URL / AICMO_API_TOKEN.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from streamlit.testing.v1 import AppTest
from tests.conftest import ADMIN_TOKEN, REPO, SAMPLES, make_settings, migrated

from aicmo.bootstrap import build_app
from aicmo.entrypoints.api.main import create_app

APP = REPO / "src" / "aicmo" / "entrypoints" / "console" / "app.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sample_brief(name: str = "law_firm_services") -> dict[str, Any]:
    """One of the sample briefs in tests/fixtures/intakes."""
    return json.loads((SAMPLES / f"{name}.json").read_text())


class LiveApi:
    """A uvicorn server in a thread, plus a tiny HTTP helper to seed data."""

    def __init__(self, tmp: Path, **settings: object) -> None:
        url = f"sqlite:///{tmp / 'aicmo.db'}"
        migrated(url)
        self.app = build_app(make_settings(url, tmp, **settings))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(self.app, run_jobs=False), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.http = httpx.Client(
            base_url=f"{self.url}/api/v1", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=60
        )

    def start(self) -> LiveApi:
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the API did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.http.close()
        self.app.close()

    # ---- seeding over HTTP ---------------------------------------------------------------
    def call(self, method: str, path: str, body: Any = None, expect: int | None = 200) -> Any:
        response = self.http.request(method, path, json=body)
        if expect is not None:
            assert response.status_code == expect, (path, response.status_code, response.text[:500])
        return response.json()

    def new_engagement(self, name: str = "Calder & Finch Solicitors") -> tuple[str, str]:
        client = self.call("POST", "/clients", {"name": name, "industry": "Legal Services"}, expect=201)
        engagement = self.call("POST", "/engagements", {"client_id": client["id"], "name": "Q1 launch"}, 201)
        return client["id"], engagement["id"]

    def artifact(self, engagement_id: str, module: str) -> dict[str, Any] | None:
        rows = self.call("GET", f"/artifacts?engagement_id={engagement_id}")["data"]
        return next((a for a in rows if a["type"] == module), None)

    def generate(self, engagement_id: str, module: str, brief: dict[str, Any] | None = None) -> dict:
        body: dict[str, Any] = {"engagement_id": engagement_id}
        if brief is not None:
            body["intake"] = brief
        self.call("POST", f"/{module}/generate", body)
        return self.artifact(engagement_id, module)

    def approve(self, artifact: dict[str, Any]) -> dict[str, Any]:
        return self.call(
            "POST", f"/artifacts/{artifact['id']}/approve", {"expected_version": artifact["version"]}
        )

    def amend(self, artifact: dict[str, Any], **changes: Any) -> dict[str, Any]:
        body = {"expected_version": artifact["version"], **changes}
        return self.call("POST", f"/artifacts/{artifact['id']}/amend", body)

    def approved(self, engagement_id: str, *modules: str, brief: dict | None = None) -> dict[str, dict]:
        """Generate and approve modules in order (intake first, from `brief`)."""
        done = {}
        for module in modules:
            artifact = self.generate(engagement_id, module, brief if module == "intake" else None)
            done[module] = self.approve(artifact)
        return done


@pytest.fixture(scope="session")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    api = LiveApi(tmp_path_factory.mktemp("console-api")).start()
    yield api
    api.stop()


@dataclass
class Console:
    """An AppTest of the console app, opened on a tab with a selection in the URL."""

    url: str

    def open(self, tab: str, client_id: str | None = None, engagement_id: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params["tab"] = tab
        if client_id:
            at.query_params["client"] = client_id
        if engagement_id:
            at.query_params["engagement"] = engagement_id
        return at.run()


def console_on(api: LiveApi, monkeypatch: pytest.MonkeyPatch) -> Console:
    """A console pointed at `api` (a module may start its own LiveApi with other settings)."""
    monkeypatch.setenv("AICMO_BACKEND_URL", api.url)
    monkeypatch.setenv("AICMO_API_TOKEN", ADMIN_TOKEN)
    monkeypatch.delenv("BACKEND_URL", raising=False)
    return Console(api.url)


@pytest.fixture
def console(live_api: LiveApi, monkeypatch: pytest.MonkeyPatch) -> Console:
    return console_on(live_api, monkeypatch)


# ---- reading an AppTest -------------------------------------------------------------------------
def texts(at: AppTest) -> str:
    """Every visible text of the run, for 'does the page say …' assertions."""
    parts: list[str] = []
    for kind in (
        "markdown",
        "caption",
        "error",
        "warning",
        "info",
        "success",
        "title",
        "header",
        "subheader",
        "code",
        "text",
    ):
        for element in getattr(at, kind):
            parts.append(str(element.value))
    for kind in ("button", "text_input", "text_area", "selectbox", "checkbox", "metric"):
        for element in getattr(at, kind):
            parts.append(str(getattr(element, "label", "")))
    for metric in at.metric:
        parts.append(str(metric.value))
    return "\n".join(parts)


def assert_clean(at: AppTest) -> None:
    """No uncaught exception element and no traceback text anywhere on the page."""
    assert not at.exception, [e.value for e in at.exception]
    page = texts(at)
    assert "Traceback" not in page
    assert 'File "' not in page


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}: {[b.label for b in at.button]}"
    return matches[0]
