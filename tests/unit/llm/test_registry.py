"""Provider selection and status: 'disabled' is a state with a fix, the offline default always works."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from pydantic import BaseModel

from aicmo.adapters.llm.anthropic import AnthropicProvider
from aicmo.adapters.llm.base import GenerationTask, Usage
from aicmo.adapters.llm.offline import OFFLINE_MODEL, OfflineProvider
from aicmo.adapters.llm.openai_compat import OpenAICompatProvider
from aicmo.adapters.llm.registry import (
    PROVIDERS,
    LLMDisabled,
    build_provider,
    llm_enabled,
    llm_status,
    provider_class,
    require_llm,
)
from aicmo.config import Settings
from aicmo.domain.errors import ProviderFailed

SECRET = "sk-unit-secret-42"


class Headline(BaseModel):
    text: str


TASK = GenerationTask(
    module="mini", system="s", prompt="p", output_type=Headline, offline=lambda: Headline(text="Ride first")
)


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "llm_provider": "offline",
        "llm_base_url": "",
        "llm_api_key": None,
        "llm_model": "",
    }
    return Settings(_env_file=None, **(values | overrides))


def test_offline_is_the_default_and_reports_state_offline() -> None:
    status = llm_status(Settings(_env_file=None))

    assert (status.provider, status.state, status.model) == ("offline", "offline", OFFLINE_MODEL)
    assert "AICMO_LLM_PROVIDER=openai" in status.detail
    assert not llm_enabled(settings())


def test_offline_provider_returns_the_planner_output_at_zero_cost() -> None:
    provider = build_provider(settings())

    result = provider.generate(TASK)

    assert isinstance(provider, OfflineProvider)
    assert result.output == Headline(text="Ride first")
    assert (result.provider, result.model, result.attempts) == ("offline", OFFLINE_MODEL, 1)
    assert result.usage == Usage(requests=0, input_tokens=0, output_tokens=0, cost_usd=0.0)


def test_offline_provider_propagates_a_planner_bug() -> None:
    def broken() -> Headline:
        raise ZeroDivisionError("planner bug")

    task = GenerationTask(module="mini", system="s", prompt="p", output_type=Headline, offline=broken)
    with pytest.raises(ZeroDivisionError):
        OfflineProvider().generate(task)


def test_require_llm_names_the_variables_to_set_when_offline() -> None:
    with pytest.raises(LLMDisabled) as raised:
        require_llm(settings())

    message = str(raised.value)
    assert message.startswith("LLM disabled: set AICMO_LLM_PROVIDER=openai, AICMO_LLM_BASE_URL=")
    assert "AICMO_LLM_MODEL=" in message
    assert isinstance(raised.value, ProviderFailed)


def test_openai_without_base_url_is_disabled_not_a_crash() -> None:
    configured = settings(llm_provider="openai", llm_model="gpt-4o-mini", llm_api_key=SECRET)

    status = llm_status(configured, probe=True)  # nothing to probe: no network call is made

    assert status.state == "disabled"
    assert status.detail.startswith("LLM disabled: no AICMO_LLM_BASE_URL")
    assert not llm_enabled(configured)
    with pytest.raises(LLMDisabled, match="AICMO_LLM_BASE_URL"):
        require_llm(configured)
    assert SECRET not in status.model_dump_json()


def test_generate_on_a_disabled_provider_raises_with_the_fix() -> None:
    provider = build_provider(settings(llm_provider="openai"))

    with pytest.raises(ProviderFailed) as raised:
        provider.generate(TASK)

    assert "AICMO_LLM_BASE_URL" in str(raised.value) and "AICMO_LLM_MODEL" in str(raised.value)
    assert raised.value.details[0]["attempts"] == 0
    assert raised.value.details[0]["last_error_kind"] == "disabled"


def test_openai_with_base_url_and_model_is_configured_with_the_url_masked() -> None:
    configured = settings(
        llm_provider="openai",
        llm_base_url="https://bob:hunter2@llm.example/v1",
        llm_model="m",
        llm_api_key=SECRET,
    )

    status = llm_status(configured)

    assert (status.provider, status.state, status.model) == ("openai", "configured", "m")
    assert "hunter2" not in status.base_url and status.base_url.startswith("https://bob:***@")
    assert llm_enabled(configured)
    require_llm(configured)
    assert isinstance(build_provider(configured), OpenAICompatProvider)
    assert SECRET not in status.model_dump_json()


def test_openai_needs_no_key_for_local_servers() -> None:
    assert llm_enabled(
        settings(llm_provider="openai", llm_base_url="http://localhost:11434/v1", llm_model="qwen")
    )


def test_anthropic_needs_a_key_and_a_model_but_no_base_url() -> None:
    missing = llm_status(settings(llm_provider="anthropic"))
    assert missing.state == "disabled"
    assert "AICMO_LLM_API_KEY" in missing.detail and "AICMO_LLM_MODEL" in missing.detail

    ready = settings(llm_provider="anthropic", llm_api_key=SECRET, llm_model="claude-sonnet-4-5")
    assert llm_status(ready).state == "configured"
    assert isinstance(build_provider(ready), AnthropicProvider)


def test_every_registered_provider_builds_and_reports_a_status() -> None:
    for provider_id in PROVIDERS:
        provider = build_provider(settings(llm_provider=provider_id))
        assert provider.id == provider_id
        assert provider.status().state in ("offline", "disabled")


def test_unknown_provider_ids_are_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="anthropic, offline, openai"):
        provider_class("llama")


def test_offline_status_does_not_import_an_llm_sdk() -> None:
    code = (
        "import sys\n"
        "from aicmo.adapters.llm.registry import llm_status\n"
        "from aicmo.config import Settings\n"
        "llm_status(Settings(_env_file=None))\n"
        "assert not {'openai', 'anthropic', 'pydantic_ai'} & set(sys.modules), sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PATH": ""})
