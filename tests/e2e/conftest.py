"""The real stack for browser tests: `aicmo api` and `aicmo ui` subprocesses on free ports, a temp
data dir with a migrated SQLite database, and Debian's Chromium driven by Playwright.

Browser tests are marked `browser`. Without /usr/bin/chromium they skip with the reason, unless
AICMO_REQUIRE_SYSTEM_DEPS is set (CI), where a missing browser fails the run instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import ADMIN_TOKEN, REPO, migrated

CHROMIUM = Path(os.environ.get("AICMO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = REPO / "test-output" / "screenshots"
RUNNER_MODE = os.environ.get("AICMO_E2E_RUNNER_MODE", "embedded")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium (bash scripts/system-deps.sh)"
    if os.environ.get("AICMO_REQUIRE_SYSTEM_DEPS"):
        pytest.fail(message + " — AICMO_REQUIRE_SYSTEM_DEPS is set, so this is an error", pytrace=False)
    pytest.skip(message)


def _wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


class Stack:
    """API + console as separate processes, like `aicmo serve` runs them."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.api_port, self.ui_port = _free_port(), _free_port()
        self.api_url = f"http://127.0.0.1:{self.api_port}"
        self.ui_url = f"http://127.0.0.1:{self.ui_port}"
        database_url = f"sqlite:///{data_dir / 'aicmo.db'}"
        migrated(database_url)
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("AICMO_", "BACKEND_URL", "DATABASE_URL"))
            },
            "AICMO_DATA_DIR": str(data_dir),
            "AICMO_DATABASE_URL": database_url,
            "AICMO_ADMIN_TOKEN": ADMIN_TOKEN,
            "AICMO_API_TOKEN": ADMIN_TOKEN,
            "AICMO_BACKEND_URL": self.api_url,
            "AICMO_LLM_PROVIDER": "offline",
            # embedded: the plan runner runs inside the API process, as under `aicmo serve`;
            # external: a separate `aicmo worker` process runs the jobs (the team layout)
            "AICMO_RUNNER_MODE": RUNNER_MODE,
            "PYTHONUNBUFFERED": "1",
        }
        self.api: subprocess.Popen | None = None
        self.ui: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.http = httpx.Client(
            base_url=f"{self.api_url}/api/v1", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=60
        )

    def _spawn(self, *args: str, log: str) -> subprocess.Popen:
        out = (self.data_dir / log).open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "aicmo.entrypoints.cli.main", *args],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_api(self) -> None:
        self.api = self._spawn("api", "--host", "127.0.0.1", "--port", str(self.api_port), log="api.log")
        _wait_http(f"{self.api_url}/healthz", 40, self.api)

    def stop_api(self) -> None:
        _stop(self.api)
        self.api = None

    def start(self) -> Stack:
        self.start_api()
        if RUNNER_MODE == "external":
            self.worker = self._spawn("worker", log="worker.log")
        self.ui = self._spawn("ui", "--host", "127.0.0.1", "--port", str(self.ui_port), log="ui.log")
        _wait_http(f"{self.ui_url}/_stcore/health", 60, self.ui)
        return self

    def stop(self) -> None:
        _stop(self.ui)
        _stop(self.worker)
        _stop(self.api)
        self.http.close()

    # ---- seeding over HTTP ---------------------------------------------------------------
    def call(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        response = self.http.request(method, path, json=body)
        assert response.status_code == expect, (path, response.status_code, response.text[:400])
        return response.json()

    def artifact(self, engagement_id: str, module: str) -> dict[str, Any] | None:
        rows = self.call("GET", f"/artifacts?engagement_id={engagement_id}")["data"]
        return next((a for a in rows if a["type"] == module), None)


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    require_chromium()
    running = Stack(tmp_path_factory.mktemp("e2e-stack")).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    if request.node.stash.get(_FAILED, False):  # keep what the browser showed when it failed
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    require_chromium()
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS
