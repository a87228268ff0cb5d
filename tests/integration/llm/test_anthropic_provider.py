"""AnthropicProvider: settings and status, and real HTTP calls against the project's test server
(which speaks Anthropic's Messages API too): answers, back-off on 429/529/5xx, auth failures."""

from __future__ import annotations

import socket
from datetime import date

import pytest
from pydantic import BaseModel
from tests.integration.llm.conftest import SleepRecorder

from aicmo.adapters.llm.anthropic import AnthropicProvider
from aicmo.adapters.llm.base import GenerationTask
from aicmo.adapters.llm.registry import build_provider, llm_enabled, llm_status
from aicmo.config import Settings
from aicmo.domain.errors import ProviderFailed
from aicmo.testing.llm_server import ServerHandle

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


def served(
    llm_server: ServerHandle, sleeps: SleepRecorder | None = None, **overrides: object
) -> AnthropicProvider:
    """The provider against the project's test server, which speaks the Messages API too."""
    provider = build_provider(
        anthropic_settings(llm_base_url=llm_server.root_url, **overrides), sleep=sleeps or SleepRecorder()
    )
    assert isinstance(provider, AnthropicProvider)
    return provider


def test_answers_through_the_messages_api_as_a_forced_tool_call(llm_server: ServerHandle) -> None:
    llm_server.reset(api_key=KEY)
    llm_server.control(
        replies=[{"headline": "Roasted Monday, at your door Wednesday", "launch": "2026-12-07"}]
    )
    result = served(llm_server).generate(TASK)

    assert result.output == Brief(headline="Roasted Monday, at your door Wednesday", launch=date(2026, 12, 7))
    assert (result.provider, result.model, result.attempts) == ("anthropic", "claude-sonnet-4-5", 1)
    assert result.usage.requests == 1 and result.usage.input_tokens > 0 and result.usage.output_tokens > 0
    stats = llm_server.stats()
    assert stats["modes"] == {"anthropic:tools+stream": 1} and stats["auth_failures"] == 0
    assert served(llm_server).status(probe=True).state == "reachable"


def test_retries_rate_limits_and_server_errors_with_back_off(llm_server: ServerHandle) -> None:
    llm_server.reset(api_key=KEY, fail_next=["429", "529"])
    sleeps = SleepRecorder()
    result = served(llm_server, sleeps).generate(TASK)

    assert result.attempts == 3
    assert len(sleeps.delays) == 2 and sleeps.delays[1] > sleeps.delays[0]
    assert llm_server.stats()["faults"] == {"429": 1, "529": 1}


def test_a_wrong_key_fails_at_once_and_is_never_echoed(llm_server: ServerHandle) -> None:
    llm_server.reset(api_key="sk-ant-the-real-one")
    sleeps = SleepRecorder()
    with pytest.raises(ProviderFailed) as raised:
        served(llm_server, sleeps).generate(TASK)

    assert raised.value.details[0]["attempts"] == 1
    assert sleeps.delays == []
    assert KEY not in str(raised.value) and "sk-ant-the-real-one" not in str(raised.value)
    assert llm_server.stats()["auth_failures"] == 1


def test_gives_up_after_its_retries_when_every_answer_fails(llm_server: ServerHandle) -> None:
    llm_server.reset(api_key=KEY, fail_next=["500"] * 10)
    with pytest.raises(ProviderFailed) as raised:
        served(llm_server).generate(TASK)
    assert raised.value.details[0]["attempts"] == 3  # llm_max_retries=2
