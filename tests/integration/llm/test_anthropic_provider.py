"""AnthropicProvider cannot reach the real API here: it builds, reports status, and fails politely."""

from __future__ import annotations

import socket
from datetime import date

import pytest
from pydantic import BaseModel
from tests.integration.llm.conftest import SleepRecorder

from aicmo.adapters.llm._agent_runner import RetryPolicy
from aicmo.adapters.llm.anthropic import AnthropicProvider
from aicmo.adapters.llm.base import GenerationTask
from aicmo.adapters.llm.registry import build_provider, llm_enabled, llm_status
from aicmo.config import Settings
from aicmo.domain.errors import ProviderFailed

KEY = "sk-ant-test-0123456789"


class Brief(BaseModel):
    headline: str
    launch: date


TASK = GenerationTask(
    module="mini",
    system="You are a marketing strategist.",
    prompt="Write the headline as JSON.",
    output_type=Brief,
    offline=lambda: Brief(headline="Ride first", launch=date(2026, 3, 2)),
)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def anthropic_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "llm_provider": "anthropic",
        "llm_base_url": "",
        "llm_api_key": KEY,
        "llm_model": "claude-sonnet-4-5",
        "llm_timeout_s": 0.5,
        "llm_max_retries": 2,
        "llm_backoff_base_s": 0.01,
    }
    return Settings(_env_file=None, **(values | overrides))


def test_builds_from_settings_and_reports_configured() -> None:
    provider = build_provider(anthropic_settings())

    assert isinstance(provider, AnthropicProvider)
    status = provider.status()
    assert (status.provider, status.state, status.model) == ("anthropic", "configured", "claude-sonnet-4-5")
    assert llm_enabled(anthropic_settings())
    assert KEY not in status.model_dump_json()


def test_reports_disabled_when_the_key_is_missing() -> None:
    status = llm_status(anthropic_settings(llm_api_key=None))

    assert status.state == "disabled"
    assert "AICMO_LLM_API_KEY" in status.detail and "AICMO_LLM_PROVIDER=anthropic" in status.detail


def test_fails_with_provider_failed_when_the_endpoint_is_unreachable() -> None:
    sleeps = SleepRecorder()
    provider = build_provider(anthropic_settings(llm_base_url=closed_port_url()), sleep=sleeps)

    with pytest.raises(ProviderFailed) as raised:
        provider.generate(TASK)

    assert raised.value.details[0]["attempts"] == 3
    assert raised.value.details[0]["last_error_kind"] == "connection"
    assert len(sleeps.delays) == 2
    assert KEY not in str(raised.value)
    assert provider.status(probe=True).state == "unreachable"


def test_fails_without_retrying_when_the_endpoint_is_not_an_anthropic_api(llm_server) -> None:
    provider = AnthropicProvider(
        model="claude-sonnet-4-5",
        api_key=KEY,
        base_url=llm_server.root_url,  # speaks OpenAI: /v1/messages is a 404
        timeout_s=0.5,
        policy=RetryPolicy(max_retries=2, backoff_base_s=0.01),
    )

    with pytest.raises(ProviderFailed) as raised:
        provider.generate(TASK)

    detail = raised.value.details[0]
    assert (detail["attempts"], detail["last_error_kind"]) == (1, "not_found")
