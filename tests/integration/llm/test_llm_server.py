"""The local OpenAI-compatible test server, driven by the real openai SDK over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from enum import StrEnum
from typing import Annotated

import httpx
import openai
import pytest
from pydantic import BaseModel, Field, StringConstraints
from tests.integration.llm.conftest import API_KEY

from aicmo.testing.llm_server import ServerHandle, aicmo_payload, sample_from_schema


class Tone(StrEnum):
    WARM = "warm"
    BOLD = "bold"


class Slot(BaseModel):
    day: date
    hour: int = Field(ge=6, le=22)


class Sampled(BaseModel):
    name: Annotated[str, StringConstraints(min_length=12, max_length=40)]
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}-\d{2}$")] | None = None
    handle: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
    tone: Tone
    slots: list[Slot] = Field(min_length=2)
    score: float = Field(gt=0, lt=1)
    note: str | None
    tags: list[str] = Field(default_factory=list)


SCHEMA = Sampled.model_json_schema()


@pytest.fixture
def client(llm_server: ServerHandle) -> openai.OpenAI:
    return openai.OpenAI(base_url=llm_server.base_url, api_key=API_KEY, max_retries=0, timeout=5)


def test_synthesises_an_instance_valid_against_the_schema() -> None:
    Sampled.model_validate(sample_from_schema(SCHEMA))


def test_lists_models_only_with_the_right_key(llm_server: ServerHandle, client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["aicmo-test-model"]
    assert httpx.get(f"{llm_server.base_url}/models").status_code == 401
    assert llm_server.stats()["auth_failures"] == 1


def test_answers_json_schema_requests_with_valid_content_and_usage(client: openai.OpenAI) -> None:
    response = client.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "plan"}],
        response_format={"type": "json_schema", "json_schema": {"name": "Sampled", "schema": SCHEMA}},
    )

    Sampled.model_validate_json(response.choices[0].message.content or "")
    assert response.usage and response.usage.completion_tokens > 0 and response.usage.prompt_tokens > 0


def test_answers_tool_requests_with_a_tool_call(client: openai.OpenAI) -> None:
    response = client.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "plan"}],
        tools=[{"type": "function", "function": {"name": "final_result", "parameters": SCHEMA}}],
        tool_choice="required",
    )

    call = response.choices[0].message.tool_calls[0]
    assert call.function.name == "final_result"
    Sampled.model_validate_json(call.function.arguments)
    assert response.choices[0].finish_reason == "tool_calls"


def test_streams_text_and_tool_calls_with_usage(client: openai.OpenAI, llm_server: ServerHandle) -> None:
    llm_server.control(replies=["A" * 150])
    chunks = list(
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True)
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "A" * 150
    assert chunks[-1].usage and chunks[-1].usage.completion_tokens == 150 // 4

    chunks = list(
        client.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "plan"}],
            tools=[{"type": "function", "function": {"name": "final_result", "parameters": SCHEMA}}],
            stream=True,
        )
    )
    arguments = "".join(
        call.function.arguments or ""
        for c in chunks
        if c.choices and c.choices[0].delta.tool_calls
        for call in c.choices[0].delta.tool_calls
    )
    Sampled.model_validate_json(arguments)
    assert llm_server.stats()["modes"] == {"plain+stream": 1, "tools+stream": 1}


def test_injects_the_same_faults_for_the_same_seed(llm_server: ServerHandle, client: openai.OpenAI) -> None:
    def run() -> list[str]:
        llm_server.reset(api_key=API_KEY, fault_rate=0.5, fault_kinds=["429", "500", "bad_json"], seed=7)
        outcomes = []
        for _ in range(20):
            try:
                content = (
                    client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
                    .choices[0]
                    .message.content
                )
                outcomes.append("bad_json" if content and content.startswith('{"truncated"') else "ok")
            except openai.APIStatusError as exc:
                outcomes.append(str(exc.status_code))
        return outcomes

    first, second = run(), run()
    assert first == second
    assert "ok" in first and len(set(first)) >= 3  # answers and at least two kinds of fault
    assert llm_server.stats()["faults_total"] == 20 - first.count("ok"), (first, llm_server.stats())


def test_consumes_fail_next_before_answering(llm_server: ServerHandle, client: openai.OpenAI) -> None:
    llm_server.control(fail_next=["503", "429"], latency_ms=20)
    messages = [{"role": "user", "content": "hi"}]
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="m", messages=messages)
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="m", messages=messages)
    started = time.perf_counter()
    assert client.chat.completions.create(model="m", messages=messages).choices[0].message.content
    assert time.perf_counter() - started >= 0.02
    assert llm_server.stats()["faults"] == {"503": 1, "429": 1}


def test_rejects_unknown_fault_kinds(llm_server: ServerHandle) -> None:
    with pytest.raises(httpx.HTTPStatusError):
        llm_server.control(fail_next=["explode"])


def test_counts_calls_per_module_for_aicmo_prompts(llm_server: ServerHandle, client: openai.OpenAI) -> None:
    payload = {"module": "strategy", "brief": {}, "window": ["2026-03-02", "2026-04-12"]}
    payload |= {"approved_upstream": {}, "insights": [], "extra": {}}
    prompt = f"Produce the strategy as JSON matching the schema.\n{json.dumps(payload)}"
    assert aicmo_payload(prompt) == payload
    assert aicmo_payload("no payload here") is None

    client.chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])

    assert llm_server.stats()["modules"] == {"strategy": 1}


def test_runs_as_a_module_for_benchmarks() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    args = [sys.executable, "-m", "aicmo.testing.llm_server", "--port", str(port), "--latency-ms", "5"]
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, process.stderr.read().decode()
                time.sleep(0.1)
        assert response.json()["data"][0]["id"] == "aicmo-test-model"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
