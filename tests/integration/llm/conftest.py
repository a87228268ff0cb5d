"""One local OpenAI-compatible server per test module; each test starts from a clean control state."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from aicmo.adapters.llm.openai_compat import OpenAICompatProvider
from aicmo.adapters.llm.registry import build_provider
from aicmo.config import Settings
from aicmo.testing.llm_server import ServerHandle, run_test_server

API_KEY = "sk-test-aicmo-0123456789abcdef"
TIMEOUT_S = 0.5  # the client's per-request timeout; the server's "timeout" fault hangs longer
HANG_S = 1.0
MAX_RETRIES = 3
BACKOFF_BASE_S = 0.01


class SleepRecorder:
    """An injected back-off sleep: records each delay and sleeps it for real (delays are tiny here)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(seconds)


@pytest.fixture(scope="module")
def llm_server() -> Iterator[ServerHandle]:
    with run_test_server(api_key=API_KEY, hang_s=HANG_S) as server:
        yield server


@pytest.fixture(autouse=True)
def clean_server(llm_server: ServerHandle) -> ServerHandle:
    llm_server.reset(api_key=API_KEY, hang_s=HANG_S)
    return llm_server


def llm_settings(base_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "llm_provider": "openai",
        "llm_base_url": base_url,
        "llm_api_key": API_KEY,
        "llm_model": "aicmo-test-model",
        "llm_timeout_s": TIMEOUT_S,
        "llm_max_retries": MAX_RETRIES,
        "llm_backoff_base_s": BACKOFF_BASE_S,
        "llm_price_input_per_mtok": 2.5,
        "llm_price_output_per_mtok": 10.0,
    }
    return Settings(_env_file=None, **(values | overrides))


@pytest.fixture
def settings(llm_server: ServerHandle) -> Settings:
    return llm_settings(llm_server.base_url)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def provider(settings: Settings, sleeps: SleepRecorder) -> OpenAICompatProvider:
    built = build_provider(settings, sleep=sleeps)
    assert isinstance(built, OpenAICompatProvider)
    return built
