"""Any OpenAI-compatible chat-completions endpoint: OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio, llama.cpp.

Structured output is either a forced tool call whose arguments are the JSON (`output_mode="tool"`,
the default: every server that supports function calling accepts it) or the native
`response_format: json_schema` (`output_mode="native"`, for servers with guided decoding). Retries,
usage and errors live in `_agent_runner`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from aicmo.adapters.llm._agent_runner import AgentProvider
from aicmo.adapters.llm._structured import OUTPUT_TOOL, OutputMode

if TYPE_CHECKING:
    import httpx2
    from pydantic_ai.models import Model


class OpenAICompatProvider(AgentProvider):
    id: ClassVar[str] = "openai"
    label: ClassVar[str] = "OpenAI-compatible endpoint"
    setup_hint: ClassVar[str] = (
        "AICMO_LLM_PROVIDER=openai, AICMO_LLM_BASE_URL (e.g. https://api.openai.com/v1 or "
        "http://localhost:11434/v1) and AICMO_LLM_MODEL; AICMO_LLM_API_KEY if the endpoint needs one"
    )
    can_stream: ClassVar[bool] = False
    supports_tools: ClassVar[bool] = True

    def __init__(self, *, output_mode: OutputMode = "tool", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if output_mode not in ("tool", "native"):
            raise ValueError(f"output_mode must be 'tool' or 'native', not {output_mode!r}")
        self.output_mode: OutputMode = output_mode

    def missing_settings(self) -> list[str]:
        missing = []
        if not self.base_url:
            missing.append("AICMO_LLM_BASE_URL")
        if not self.model:
            missing.append("AICMO_LLM_MODEL")
        return missing

    def _output_mode(self) -> OutputMode:
        return self.output_mode

    def _build_model(self, http_client: httpx2.AsyncClient) -> Model:
        # Imported here: the OpenAI SDK and model take ~1.5 s to import, and status checks need neither.
        from openai import AsyncOpenAI
        from pydantic_ai.models.openai import OpenAIChatModel
        from pydantic_ai.providers.openai_compatible import OpenAICompatibleProvider

        client = AsyncOpenAI(
            base_url=self.base_url,
            # Local servers need no key, but the SDK insists on one; the placeholder is never a secret.
            api_key=self.api_key or "no-key",
            http_client=http_client,
            max_retries=0,
            timeout=self.timeout_s,
        )
        return OpenAIChatModel(
            self.model, provider=OpenAICompatibleProvider("aicmo-openai", openai_client=client)
        )

    def _canned_answer(self) -> httpx2.Response:
        import httpx2

        message: dict[str, Any] = {"role": "assistant", "content": None}
        if self.output_mode == "native":
            message["content"] = '{"ok": true}'
        else:
            call = {"name": OUTPUT_TOOL, "arguments": '{"ok": true}'}
            message["tool_calls"] = [{"id": "call_warm_up", "type": "function", "function": call}]
        choice = {"index": 0, "message": message, "finish_reason": "stop"}
        usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
        body = {"id": "warm-up", "object": "chat.completion", "created": 0, "model": self.model}
        return httpx2.Response(200, json=body | {"choices": [choice], "usage": usage})

    def _probe_request(self) -> tuple[str, dict[str, str]]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        return f"{self.base_url}/models", headers
