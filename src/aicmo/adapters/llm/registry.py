"""Which provider `AICMO_LLM_PROVIDER` names, and whether it can run. One registration line per provider.

Providers are registered by import path and loaded on first use, so asking for the offline default
or for a status never imports an LLM SDK it does not need. A missing setting is a state, not a
crash: `llm_status(Settings(llm_provider="openai"))` reports state "disabled" with the detail
"LLM disabled: no AICMO_LLM_BASE_URL and no AICMO_LLM_MODEL. Set AICMO_LLM_PROVIDER=openai, …".
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from aicmo.adapters.llm.base import LLMStatus, Provider
from aicmo.domain.errors import ProviderFailed

if TYPE_CHECKING:
    from aicmo.config import Settings

PROVIDERS: dict[str, str] = {
    "offline": "aicmo.adapters.llm.offline:OfflineProvider",
    "openai": "aicmo.adapters.llm.openai_compat:OpenAICompatProvider",
    "anthropic": "aicmo.adapters.llm.anthropic:AnthropicProvider",
}

ENABLE_LLM = (
    "LLM disabled: set AICMO_LLM_PROVIDER=openai, AICMO_LLM_BASE_URL=… (e.g. https://api.openai.com/v1 "
    "or http://localhost:11434/v1) and AICMO_LLM_MODEL=… (plus AICMO_LLM_API_KEY if the endpoint needs "
    "one), or AICMO_LLM_PROVIDER=anthropic with AICMO_LLM_API_KEY and AICMO_LLM_MODEL."
)


class LLMDisabled(ProviderFailed):
    """A command needs a real LLM and none is configured; the message says which variables to set."""


def provider_class(provider_id: str) -> type[Provider]:
    try:
        module_name, _, class_name = PROVIDERS[provider_id].partition(":")
    except KeyError:
        known = ", ".join(sorted(PROVIDERS))
        raise ValueError(
            f"unknown LLM provider {provider_id!r}; AICMO_LLM_PROVIDER is one of {known}"
        ) from None
    return getattr(import_module(module_name), class_name)


def build_provider(settings: Settings, **overrides: Any) -> Provider:
    """The configured provider. An incomplete configuration still builds: its `status()` says
    "disabled" and `generate()` raises `ProviderFailed` with the fix, rather than crashing at startup."""
    return provider_class(settings.llm_provider).from_settings(settings, **overrides)


def llm_enabled(settings: Settings) -> bool:
    """True when a remote LLM provider is selected and has everything it needs."""
    return llm_status(settings).state in ("configured", "reachable", "unreachable")


def require_llm(settings: Settings) -> None:
    """Raise `LLMDisabled` (with the variables to set) unless a remote LLM is configured."""
    status = llm_status(settings)
    if status.state == "offline":
        raise LLMDisabled(ENABLE_LLM, [{"provider": status.provider, "state": status.state}])
    if status.state == "disabled":
        raise LLMDisabled(status.detail, [{"provider": status.provider, "state": status.state}])


def llm_status(settings: Settings, probe: bool = False) -> LLMStatus:
    """Configuration state of the selected provider; with `probe`, also whether its endpoint answers."""
    return build_provider(settings).status(probe=probe)
