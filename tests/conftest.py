"""Shared fixtures: a real database per test (SQLite file; PostgreSQL too when configured) and the API.

Set AICMO_TEST_POSTGRES_URL (e.g. postgresql+psycopg://root@127.0.0.1:5432/test) to run every test
that uses the `backend_url` fixture against PostgreSQL as well; each such test gets a fresh database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
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


_TEMPLATES: dict[str, str] = {}
"""Per backend, a database migrated once per test run: a SQLite file path, a PostgreSQL name."""


def migrated(url: str) -> str:
    """Bring the new, empty database at `url` to the migrations' head by copying a template migrated
    once per run (SQLite: copy the file; PostgreSQL: `CREATE DATABASE … TEMPLATE`), not by running
    every migration again. Tests of the migrations themselves call `upgrade` instead."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target = Path(parsed.database or "")
        if target.exists() and target.stat().st_size:
            raise ValueError(f"{target} is not empty: migrated() fills a new database only")
        if "sqlite" not in _TEMPLATES:
            template = Path(tempfile.mkdtemp(prefix="aicmo-template-")) / "template.db"
            upgrade(f"sqlite:///{template}")  # engines disposed: the WAL is folded into the file
            _TEMPLATES["sqlite"] = str(template)
        shutil.copyfile(_TEMPLATES["sqlite"], target)
        return url
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        if "postgres" not in _TEMPLATES:
            name = f"aicmo_tpl_{uuid.uuid4().hex[:12]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            upgrade(parsed.set(database=name).render_as_string(hide_password=False))
            _TEMPLATES["postgres"] = name
        with admin.connect() as conn:  # nobody has connected to the new database yet
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}" TEMPLATE "{_TEMPLATES["postgres"]}"'))
    finally:
        admin.dispose()
    return url


@pytest.fixture(scope="session", autouse=True)
def _drop_templates() -> Iterator[None]:
    yield
    if "sqlite" in _TEMPLATES:
        shutil.rmtree(Path(_TEMPLATES.pop("sqlite")).parent, ignore_errors=True)
    if "postgres" in _TEMPLATES:
        admin = create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{_TEMPLATES.pop("postgres")}" WITH (FORCE)'))
        admin.dispose()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Modules holding a `slow` test run first, each kept whole (its module fixtures are built once),
    the rest after them in collection order. Under `-n … --dist worksteal` (make test) the long
    tests start while short ones remain to even out the workers, instead of one long test finishing
    alone on one core at the end of the run."""
    slow_modules = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_modules)


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
    migrated(backend_url)
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
