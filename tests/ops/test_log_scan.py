"""Must-show 3: run the whole pipeline with a provider key and a database password configured, then
look for either string in every log line (our JSON handler, pytest's caplog, and anything written to
the process's stdout/stderr), every API response body, and every file written (exports included).

The database is PostgreSQL reached with a password (a role created for the test on the local server)
and the provider is the local OpenAI-compatible server, which refuses requests without the key: the
secrets are really in use, not merely configured.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from aicmo.adapters.db.migrate import upgrade
from aicmo.bootstrap import build_app
from aicmo.config import Settings
from aicmo.entrypoints.api.main import create_app
from aicmo.observability.logging import HANDLER_NAME, configure_logging
from aicmo.testing.llm_server import run_test_server
from tests.conftest import ADMIN_TOKEN, POSTGRES_URL
from tests.ops.conftest import BRIEF

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(
        not POSTGRES_URL, reason="needs AICMO_TEST_POSTGRES_URL (a database password to hide)"
    ),
]


@pytest.fixture
def password_database() -> Iterator[tuple[str, str]]:
    """A new role with a password and a database it owns; yields (URL with the password, password)."""
    suffix = secrets.token_hex(6)
    role, password = f"aicmo_scan_{suffix}", f"Pg-{secrets.token_hex(12)}"
    admin = create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'"))
        conn.execute(text(f'CREATE DATABASE "{role}" OWNER "{role}"'))
    server = make_url(POSTGRES_URL)
    url = server.set(username=role, password=password, database=role).render_as_string(hide_password=False)
    try:
        yield url, password
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{role}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def _file_texts(folder: Path) -> Iterator[tuple[Path, str]]:
    """Every file as text: raw bytes, zip members (PPTX, ZIP bundles) and PDF text where pdftotext exists."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield path, data.decode("utf-8", "replace")
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield path / member, archive.read(member).decode("utf-8", "replace")
        if path.suffix == ".pdf" and shutil.which("pdftotext"):
            out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60)
            yield path.with_suffix(".pdf.txt"), out.stdout


def _responses(http: TestClient, ids: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Every GET route of the API whose path parameters we can fill, plus error answers and /metrics."""
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    spec = http.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        names = re.findall(r"\{(\w+)\}", path)
        if any(name not in ids for name in names) or path.endswith("/events"):
            continue  # (the SSE stream carries the same plan JSON as GET /plans/{plan_id})
        url = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
        if url.endswith("/diff"):
            url += "?from=1&to=2"
        response = http.get(url, headers=headers)
        yield f"GET {url} -> {response.status_code}", response.text
    extra = [
        ("GET", "/api/v1/system/sentinels?probe=true", headers),
        ("POST", "/api/v1/system/selftest", headers),
        ("GET", "/api/v1/clients", {"Authorization": "Bearer wrong-token"}),
        ("GET", "/api/v1/artifacts/ar_missing", headers),
        ("POST", "/api/v1/clients", headers),
        ("GET", "/metrics", {}),
    ]
    for method, url, h in extra:
        response = http.request(method, url, headers=h, json={} if method == "POST" else None)
        yield f"{method} {url} -> {response.status_code}", response.text


def test_no_secret_reaches_a_log_line_a_response_or_an_export(
    password_database: tuple[str, str],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from aicmo.services.pipeline import run_pipeline

    url, password = password_database
    key = f"sk-scan-{secrets.token_hex(16)}"
    stream = io.StringIO()
    caplog.set_level(logging.DEBUG)
    with run_test_server(api_key=key) as llm:
        settings = Settings(
            _env_file=None,
            database_url=url,
            data_dir=tmp_path / "data",
            export_dir=tmp_path / "exports",
            admin_token=ADMIN_TOKEN,
            llm_provider="openai",
            llm_base_url=llm.base_url,
            llm_api_key=key,
            llm_model="aicmo-test-model",
            llm_price_input_per_mtok=2.5,
            llm_price_output_per_mtok=10.0,
            runner_mode="embedded",
        )
        configure_logging(settings, stream=stream, level="DEBUG")
        try:
            logging.getLogger("aicmo.test").info("starting with %s", url)  # a careless line, redacted
            upgrade(url)
            app = build_app(settings)
            try:
                result = run_pipeline(app, BRIEF, tmp_path / "out", auto_approve=True, timeout_s=600)
                # a failed job is not this test's concern (its error text is scanned like the rest)
                ids = _ids(app, result)
                with TestClient(create_app(app, run_jobs=False)) as http:
                    responses = list(_responses(http, ids))
                    costs = http.get(
                        "/api/v1/system/costs", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
                    ).json()
            finally:
                app.close()
        finally:
            root = logging.getLogger()
            for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
                root.removeHandler(handler)
            root.setLevel(logging.WARNING)
    captured = capfd.readouterr()

    # the secrets were in use: real LLM calls were made and paid for, through a password login
    assert result.manifest["llm_calls"] > 0 and costs["totals"]["input_tokens"] > 0
    assert costs["totals"]["cost_usd"] > 0
    json_lines = stream.getvalue().splitlines()
    assert len(json_lines) > 20 and all('"trace_id"' in line for line in json_lines)
    assert len(responses) > 15

    haystacks: list[tuple[str, str]] = [
        ("json log", stream.getvalue()),
        ("caplog", caplog.text),
        ("caplog records", "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)),
        ("stdout", captured.out),
        ("stderr", captured.err),
        *responses,
        *((str(path), body) for path, body in _file_texts(tmp_path / "out")),
        *((str(path), body) for path, body in _file_texts(tmp_path / "exports")),
        *((str(path), body) for path, body in _file_texts(tmp_path / "data")),
    ]
    leaks = [
        f"{where}: {name}"
        for where, body in haystacks
        for name, secret in (("provider key", key), ("database password", password))
        if secret in body
    ]
    assert leaks == []
    assert "***" in stream.getvalue()  # the careless line was logged, masked


def _ids(app, result) -> dict[str, str]:
    with app.uow() as uow:
        strategy_id = uow.artifacts.by_engagement(result.engagement_id)["strategy"].id
    ids = {
        "client_id": result.client_id,
        "engagement_id": result.engagement_id,
        "artifact_id": strategy_id,
        "module": "strategy",
        "version": "1",
    }
    if result.plan is not None:
        ids["plan_id"] = result.plan.id
        ids["job_id"] = result.plan.jobs[0].id
    return ids
