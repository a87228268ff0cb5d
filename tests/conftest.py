"""Shared fixtures: a real database per test (SQLite file; PostgreSQL too when configured) and the API.

Set AICMO_TEST_POSTGRES_URL (e.g. postgresql+psycopg://root@127.0.0.1:5432/test) to run every test
that uses the `backend_url` fixture against PostgreSQL as well; each such test gets a fresh database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from aicmo.adapters.db.migrate import upgrade
from aicmo.bootstrap import App, build_app
from aicmo.config import Settings
from aicmo.entrypoints.api.main import create_app

ADMIN_TOKEN = "test-admin-token-0123456789"
REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "fixtures" / "intakes"
POSTGRES_URL = os.environ.get("AICMO_TEST_POSTGRES_URL", "")


def _backends() -> list[pytest.param]:
    params = [pytest.param("sqlite", id="sqlite")]
    if POSTGRES_URL:
        params.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))
    return params


def fresh_postgres_database() -> tuple[str, callable]:
    """Create an empty database on the PostgreSQL server; returns its URL and a dropper."""
    admin_url = make_url(POSTGRES_URL)
    name = f"aicmo_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=_backends())
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'aicmo.db'}"
        return
    url, drop = fresh_postgres_database()
    try:
        yield url
    finally:
        drop()


def make_settings(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    """Settings for a test: no .env, a temp data dir, and no job engine unless a test asks for one."""
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": tmp_path,
        "admin_token": ADMIN_TOKEN,
        "runner_mode": "external",
    }
    return Settings(_env_file=None, **(values | overrides))


@pytest.fixture
def aicmo_app(backend_url: str, tmp_path: Path) -> Iterator[App]:
    upgrade(backend_url)
    app = build_app(make_settings(backend_url, tmp_path))
    yield app
    app.close()


@pytest.fixture
def client(aicmo_app: App) -> Iterator[TestClient]:
    with TestClient(create_app(aicmo_app)) as test_client:
        yield test_client


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}
