"""Any OpenAI-compatible chat-completions endpoint: OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio, llama.cpp.

Structured output is either a forced tool call whose arguments are the JSON (`output_mode="tool"`,
the default: every server that supports function calling accepts it) or the native
`response_format: json_schema` (`output_mode="native"`, for servers with guided decoding). Retries,
usage and errors live in `_agent_runner`.

Requests go through the official `openai` SDK client directly rather than pydantic-ai's chat model:
for this one-message, one-tool request the model layer cost about 4 ms of CPU per call on top of
the SDK's 2 ms (prompt scanning, message mapping, a second validation of the response), CPU that
every job of a plan competes for. pydantic-ai still builds the client and the output schema. The
SDK's error types, retries (off: ours run instead), headers and response model are unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic_ai.messages import FinishReason, ModelResponse, ModelResponsePart, TextPart, ToolCallPart
from pydantic_ai.usage import RequestUsage

from aicmo.adapters.llm._agent_runner import AgentProvider, Failure, classify, status_failure
from aicmo.adapters.llm._structured import OUTPUT_TOOL, OutputMode, request_parameters
from aicmo.adapters.llm.base import GenerationTask

if TYPE_CHECKING:
    import httpx2
    from pydantic_ai.models import Model

FINISH_REASONS: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_call",
    "function_call": "tool_call",
    "content_filter": "content_filter",
}


class OpenAICompatProvider(AgentProvider):
    id: ClassVar[str] = "openai"
    label: ClassVar[str] = "OpenAI-compatible endpoint"
    setup_hint: ClassVar[str] = (
        "AICMO_LLM_PROVIDER=openai, AICMO_LLM_BASE_URL (e.g. https://api.openai.com/v1 or "
        "http://localhost:11434/v1) and AICMO_LLM_MODEL; AICMO_LLM_API_KEY if the endpoint needs one"
    )

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

    async def _respond(self, model: Model, task: GenerationTask[Any], mode: OutputMode) -> ModelResponse:
        """One chat completion through the SDK client the pydantic-ai model was built on."""
        params = request_parameters(task.output_type, mode)
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": task.system},
                {"role": "user", "content": task.prompt},
            ],
        }
        if params.output_object is not None:
            output = params.output_object
            schema = {"name": output.name, "schema": output.json_schema, "strict": False}
            if output.description:
                schema["description"] = output.description
            body["response_format"] = {"type": "json_schema", "json_schema": schema}
        else:
            tools = [
                {
                    "type": "function",
                    "function": {
                        "name": tool.name,
                        "parameters": tool.parameters_json_schema,
                        **({"description": tool.description} if tool.description else {}),
                    },
                }
                for tool in params.output_tools
            ]
            body |= {"tools": tools, "tool_choice": "required"}
        from openai.types.chat import ChatCompletion

        # `post`, not `chat.completions.create`: the body is plain JSON already, and `create`
        # walks it (the whole output schema) against the SDK's parameter types first, a third
        # of the SDK's CPU per call.
        client = model.client  # type: ignore[attr-defined]
        completion = await client.post("/chat/completions", body=body, cast_to=ChatCompletion)
        return _model_response(completion)

    def _classify(self, exc: BaseException) -> Failure | None:
        return _openai_failure(exc) or classify(exc)

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


def _model_response(completion: Any) -> ModelResponse:
    """The SDK's chat completion as the response `read_output` reads (parts, usage, finish)."""
    if not completion.choices:
        return ModelResponse(parts=[], finish_reason="error")
    choice = completion.choices[0]
    message = choice.message
    parts: list[ModelResponsePart] = [
        ToolCallPart(call.function.name, call.function.arguments, tool_call_id=call.id)
        for call in message.tool_calls or []
        if getattr(call, "function", None) is not None
    ]
    if message.content:
        parts.append(TextPart(message.content))
    usage = completion.usage
    details = getattr(usage, "prompt_tokens_details", None)
    return ModelResponse(
        parts=parts,
        usage=RequestUsage(
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
            cache_read_tokens=(getattr(details, "cached_tokens", None) or 0) if details else 0,
        ),
        model_name=completion.model,
        provider_name="openai",  # the API it speaks: published prices are looked up under it
        finish_reason=FINISH_REASONS.get(choice.finish_reason or ""),
    )


def _openai_failure(exc: BaseException) -> Failure | None:
    """The SDK's errors as failure kinds (None: not an SDK error)."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return Failure("timeout", True, f"request timed out ({type(exc).__name__})")
    if isinstance(exc, openai.APIConnectionError):
        return Failure("connection", True, f"connection failed ({type(exc).__name__})")
    if not isinstance(exc, openai.APIStatusError):
        return None
    body = exc.body if isinstance(exc.body, dict) else {}
    said = f": {str(body.get('message') or exc.message)[:200]}"
    after = _retry_after(exc.response.headers.get("retry-after"))
    return status_failure(exc.status_code, said, after, code=str(exc.code or ""))


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:  # an HTTP date: fall back to the back-off
        return None
