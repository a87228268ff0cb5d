"""Structured output over one direct model request: what to ask for, and reading the answer back.

Why not `Agent.run`: an agent run drives pydantic-ai's agent graph (run state, hooks, output
toolsets, message framing) around the single request this project makes per attempt, and cost
about 8 ms of CPU per call here against 2 ms for the request alone. Jobs share one interpreter
lock, so that CPU was the largest per-job cost of a plan. The model layer (the SDK client, the
provider's JSON-schema profile, error mapping) is pydantic-ai's either way; what the agent added
and this module does instead is small: one output tool or native schema, and validating its
arguments with the task's pydantic model.
"""

from __future__ import annotations

import functools
from typing import Any, Literal, TypeVar

from pydantic import BaseModel
from pydantic_ai import exceptions as pai
from pydantic_ai.messages import ModelResponse, TextPart, ToolCallPart
from pydantic_ai.models import ModelRequestParameters
from pydantic_ai.output import OutputObjectDefinition
from pydantic_ai.tools import GenerateToolJsonSchema, ToolDefinition

T = TypeVar("T", bound=BaseModel)
OutputMode = Literal["tool", "native"]
OUTPUT_TOOL = "final_result"  # pydantic-ai's name for the output tool, which models know well


@functools.lru_cache(maxsize=256)
def request_parameters(output_type: type[BaseModel], mode: OutputMode) -> ModelRequestParameters:
    """Ask for `output_type` as a forced tool call (`tool`) or as `response_format: json_schema`
    (`native`). Cached: building the JSON schema is the costly part."""
    schema = output_type.model_json_schema(schema_generator=GenerateToolJsonSchema)
    schema.pop("title", None)
    description = schema.pop("description", None)  # the model's docstring: said once, on the tool
    if mode == "native":
        return ModelRequestParameters(
            output_mode="native",
            output_object=OutputObjectDefinition(
                json_schema=schema, name=output_type.__name__, description=description
            ),
            allow_text_output=False,
        )
    tool = ToolDefinition(
        name=OUTPUT_TOOL, parameters_json_schema=schema, description=description, kind="output"
    )
    return ModelRequestParameters(output_mode="tool", output_tools=[tool], allow_text_output=False)


def read_output(response: ModelResponse, output_type: type[T], mode: OutputMode) -> T:
    """The validated answer; raises what `classify` turns into a failure kind: a content filter,
    truncation (`finish_reason` length), or a `ValidationError` for invalid JSON or schema."""
    if response.finish_reason == "content_filter":
        raise pai.ContentFilterError("the provider's content filter blocked the answer")
    raw = _raw_answer(response, mode)
    truncated = response.finish_reason == "length"
    if raw is None or raw == "":
        if truncated:
            raise pai.OutputTokenLimitExceeded("the answer hit the output token limit before any output")
        missing = "tool call" if mode == "tool" else "JSON"
        raise pai.UnexpectedModelBehavior(f"the answer carried no {missing}")
    try:
        if isinstance(raw, dict):
            return output_type.model_validate(raw)
        return output_type.model_validate_json(raw)
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        if truncated:
            cut = "the answer hit the output token limit and was cut off"
            raise pai.OutputTokenLimitExceeded(cut) from exc
        raise


def _raw_answer(response: ModelResponse, mode: OutputMode) -> str | dict[str, Any] | None:
    if mode == "tool":
        calls = [p for p in response.parts if isinstance(p, ToolCallPart)]
        call = next((c for c in calls if c.tool_name == OUTPUT_TOOL), calls[0] if calls else None)
        return call.args if call is not None else None
    text = "".join(p.content for p in response.parts if isinstance(p, TextPart)).strip()
    if text.startswith("```"):  # some servers fence JSON even when asked for a schema
        text = text.strip("`").removeprefix("json").strip()
    return text
