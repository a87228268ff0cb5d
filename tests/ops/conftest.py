"""Shared pieces for the operations tests: a realistic brief and a workspace filled through the services."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from aicmo.config import get_settings

BRIEF: dict[str, Any] = {
    "client_name": "Northwind Bakery",
    "website": "https://northwindbakery.co.uk",
    "industry": "Food & Beverage",
    "geography": "Leeds, United Kingdom",
    "timezone": "Europe/London",
    "contact_email": "owner@northwindbakery.co.uk",
    "primary_offer": "Sourdough subscription boxes delivered every Friday",
    "pricing": "£24 per box, £88 per month",
    "differentiators": "48-hour fermented dough, flour milled in Yorkshire, zero-waste packaging",
    "competitors": ["Bread Ahead", "Gail's"],
    "target_audience": "Busy professionals in Leeds who care where their food comes from",
    "pain_points": "Supermarket bread goes stale in two days; no time to queue at artisan bakeries",
    "desired_outcomes": "Fresh bread at home every weekend without thinking about it",
    "objective": "Leads",
    "kpi_targets": "150 subscription sign-ups in 12 weeks",
    "start_date": date(2026, 12, 7).isoformat(),
    "duration_weeks": 8,
    "budget_range": "£3,000 per month",
    "tone_voice": "Warm, plain-spoken, proud of craft",
    "banned_words": ["cheap"],
    "platforms": ["instagram", "facebook", "email"],
}


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A clean working folder: no inherited AICMO configuration, settings cache cleared."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "AICMO_DATABASE_URL",
        "DATABASE_URL",
        "AICMO_LLM_PROVIDER",
        "AICMO_LLM_API_KEY",
        "AICMO_ADMIN_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@contextmanager
def serve_http(asgi_app: Any) -> Iterator[str]:
    """Serve `asgi_app` with uvicorn on a free local port in a thread; yields its base URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(asgi_app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
