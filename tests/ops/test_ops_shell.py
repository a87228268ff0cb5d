"""The ops shell: it imports nothing heavy at start-up, every page renders (AppTest), a broken
sentinels import is shown with its remedy, and no secret reaches the page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from aicmo.entrypoints.ops import app as ops_app_module
from tests.conftest import migrated

OPS_APP = Path(ops_app_module.__file__)
HEAVY = (
    "sqlalchemy", "alembic", "fastapi", "pydantic_ai", "weasyprint", "pptx", "dbos", "altair",
    "openai", "anthropic", "psycopg", "pydantic_settings", "aicmo.config", "aicmo.services",
    "aicmo.adapters", "aicmo.entrypoints.api",
)  # fmt: skip
PROBE = """
import json, sys, time
import streamlit  # the shell needs Streamlit itself; everything it adds on top is what counts
before = set(sys.modules)
started = time.perf_counter()
import aicmo.entrypoints.ops.app  # runs the whole script: the home page renders in bare mode
elapsed = time.perf_counter() - started
added = sorted(set(sys.modules) - before)
import aicmo.services.sentinels, aicmo.adapters.db.engine  # control: the probe sees heavy modules
control = sorted(set(sys.modules) - before)
print(json.dumps({"added": added, "control": control, "elapsed": elapsed}))
"""


def _loaded(modules: list[str]) -> set[str]:
    return {heavy for heavy in HEAVY for m in modules if m == heavy or m.startswith(heavy + ".")}


def test_start_up_imports_nothing_heavy() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert _loaded(result["added"]) == set(), result["added"]
    assert {"sqlalchemy", "aicmo.services", "aicmo.config", "aicmo.adapters"} <= _loaded(result["control"])


def _texts(at: AppTest) -> str:
    kinds = (
        "title",
        "markdown",
        "code",
        "text",
        "error",
        "info",
        "success",
        "warning",
        "caption",
        "subheader",
    )
    return "\n".join(str(element.value) for kind in kinds for element in getattr(at, kind))


def _open(page: str) -> AppTest:
    at = AppTest.from_file(str(OPS_APP), default_timeout=60).run()
    assert not at.exception
    if page != "Home":
        at.sidebar.radio[0].set_value(page).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def ops_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    migrated(url)
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "AICMO_DATABASE_URL": url,
        "AICMO_DATA_DIR": str(tmp_path),
        "AICMO_RUNNER_MODE": "embedded",
        "AICMO_LLM_API_KEY": "sk-ops-shell-secret-0123456789",
        "AICMO_ADMIN_TOKEN": "ops-admin-token-secret-9876",
    }.items():
        monkeypatch.setenv(name, value)
    return url


def test_home_page_renders(ops_env: str) -> None:
    at = _open("Home")
    text = _texts(at)
    assert "AICMO ops shell" in text and "aicmo doctor" in text
    assert [str(o) for o in at.sidebar.radio[0].options] == list(ops_app_module.PAGES)


def test_sentinels_page_shows_every_sentinel_from_the_real_checks(ops_env: str) -> None:
    at = _open("Sentinels")
    text = _texts(at)
    assert "All sentinels pass" in text
    for name in (
        "Python runtime",
        "Database connectivity",
        "Migrations at head",
        "Console entrypoint present",
    ):
        assert name in text
    assert "SELECT 1 -> 1" in text


def test_sentinels_page_survives_a_broken_import_and_says_what_to_do(
    ops_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "aicmo.services.sentinels", None)  # `import` now raises
    at = _open("Sentinels")
    assert "Loading the sentinels failed: ModuleNotFoundError" in at.error[0].value
    assert "reinstall AICMO" in at.info[0].value and "aicmo doctor" in at.info[0].value


def test_diagnostics_page_masks_every_secret(ops_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AICMO_DATABASE_URL", "postgresql+asyncpg://user:secretpw@127.0.0.1/test")
    at = _open("Diagnostics")
    text = _texts(at)
    for secret in ("secretpw", "sk-ops-shell-secret-0123456789", "ops-admin-token-secret-9876"):
        assert secret not in text
    assert "AICMO_LLM_API_KEY=set (hidden)" in text and "llm_api_key = set (hidden)" in text
    assert "postgresql+asyncpg://user:***@127.0.0.1/test" in text
    assert "asyncpg driver is not installed" in text and "postgresql+psycopg://" in text


def test_launch_page_shows_the_console_entrypoint_and_commands(ops_env: str) -> None:
    at = _open("Launch the console")
    text = _texts(at)
    assert "Console entrypoint present" in text and "aicmo serve" in text and "aicmo db upgrade" in text
