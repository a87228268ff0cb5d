"""Anthropic's Messages API through pydantic-ai; structured output as a forced tool call.

AICMO_LLM_BASE_URL is optional here (default https://api.anthropic.com, or a proxy); the key is not.
Retries, usage and errors live in `_agent_runner`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from aicmo.adapters.llm._agent_runner import AgentProvider

if TYPE_CHECKING:
    import httpx2
    from pydantic_ai.models import Model

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"


class AnthropicProvider(AgentProvider):
    id: ClassVar[str] = "anthropic"
    label: ClassVar[str] = "Anthropic API"
    setup_hint: ClassVar[str] = (
        "AICMO_LLM_PROVIDER=anthropic, AICMO_LLM_API_KEY and AICMO_LLM_MODEL (e.g. claude-sonnet-4-5); "
        "AICMO_LLM_BASE_URL only for a proxy"
    )

    @property
    def endpoint(self) -> str:
        return self.base_url or DEFAULT_BASE_URL

    def missing_settings(self) -> list[str]:
        missing = []
        if not self.api_key:
            missing.append("AICMO_LLM_API_KEY")
        if not self.model:
            missing.append("AICMO_LLM_MODEL")
        return missing

    def _build_model(self, http_client: httpx2.AsyncClient) -> Model:
        # Imported here: the Anthropic SDK and model are slow to import, and status checks need neither.
        from anthropic import AsyncAnthropic
        from pydantic_ai.models.anthropic import AnthropicModel
        from pydantic_ai.providers.anthropic import AnthropicProvider as PydanticAIAnthropicProvider

        client = AsyncAnthropic(
            api_key=self.api_key,
            base_url=self.endpoint,
            http_client=http_client,
            max_retries=0,
            timeout=self.timeout_s,
        )
        return AnthropicModel(self.model, provider=PydanticAIAnthropicProvider(anthropic_client=client))

    def _probe_request(self) -> tuple[str, dict[str, str]]:
        headers = {"x-api-key": self.api_key or "", "anthropic-version": API_VERSION}
        return f"{self.endpoint}/v1/models", headers
