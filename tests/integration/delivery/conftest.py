"""Fixtures for delivery tests: an app on a fresh SQLite file (no job engine unless a test starts one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aicmo.bootstrap import App, build_app
from tests.conftest import make_settings, migrated


def make_app(folder: Path) -> App:
    url = f"sqlite:///{folder / 'aicmo.db'}"
    migrated(url)
    return build_app(make_settings(url, folder))


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """One database for a whole module (tests that only read what a module fixture made)."""
    app = make_app(tmp_path_factory.mktemp("delivery"))
    yield app
    app.close()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    app = make_app(tmp_path)
    yield app
    app.close()
