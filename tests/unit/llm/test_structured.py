"""Reading a structured answer out of one model response, and what each kind of bad answer raises."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError
from pydantic_ai import exceptions as pai
from pydantic_ai.messages import ModelResponse, TextPart, ToolCallPart

from aicmo.adapters.llm._agent_runner import classify
from aicmo.adapters.llm._structured import OUTPUT_TOOL, read_output, request_parameters


class Idea(BaseModel):
    """One campaign idea."""

    title: str = Field(min_length=3)
    score: int


def _tool_answer(args: str | dict, finish: str = "tool_calls") -> ModelResponse:
    return ModelResponse(parts=[ToolCallPart(OUTPUT_TOOL, args)], finish_reason=finish)  # type: ignore[arg-type]


def test_asks_for_a_forced_output_tool_with_the_models_schema() -> None:
    params = request_parameters(Idea, "tool")

    (tool,) = params.output_tools
    assert (params.output_mode, params.allow_text_output) == ("tool", False)
    assert tool.name == OUTPUT_TOOL and tool.description == "One campaign idea."
    assert set(tool.parameters_json_schema["properties"]) == {"title", "score"}
    assert "title" not in tool.parameters_json_schema  # no schema title: the tool has a name


def test_asks_for_a_native_json_schema_in_native_mode() -> None:
    params = request_parameters(Idea, "native")

    assert params.output_mode == "native" and params.output_object is not None
    assert params.output_object.name == "Idea"
    assert params.output_object.json_schema["required"] == ["title", "score"]


@pytest.mark.parametrize("args", ['{"title": "Dawn roast", "score": 3}', {"title": "Dawn roast", "score": 3}])
def test_reads_the_tool_calls_arguments_as_json_or_as_a_dict(args: str | dict) -> None:
    assert read_output(_tool_answer(args), Idea, "tool") == Idea(title="Dawn roast", score=3)


def test_reads_native_json_text_even_when_fenced() -> None:
    response = ModelResponse(parts=[TextPart('```json\n{"title": "Dawn roast", "score": 3}\n```')])

    assert read_output(response, Idea, "native").score == 3


@pytest.mark.parametrize(
    ("response", "kind", "retryable"),
    [
        (_tool_answer('{"title": "Dawn'), "invalid_json", True),
        (_tool_answer('{"title": "ok", "score": "high"}'), "schema_invalid", True),
        (_tool_answer('{"title": "Dawn', finish="length"), "output_truncated", False),
        (ModelResponse(parts=[TextPart("no tool here")]), "invalid_output", True),
        (ModelResponse(parts=[], finish_reason="length"), "output_truncated", False),
        (ModelResponse(parts=[], finish_reason="content_filter"), "content_filter", False),
    ],
)
def test_a_bad_answer_raises_what_classify_names(response: ModelResponse, kind: str, retryable: bool) -> None:
    with pytest.raises((ValidationError, pai.AgentRunError)) as raised:
        read_output(response, Idea, "tool")

    failure = classify(raised.value)
    assert failure is not None and (failure.kind, failure.retryable) == (kind, retryable)
