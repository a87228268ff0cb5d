"""A local OpenAI-compatible server for tests and benchmarks: real HTTP, scripted faults, no network.

It speaks `GET /v1/models` and `POST /v1/chat/completions` (plain, streaming SSE, `response_format`
json_schema, and `tools`), and always reports `usage` (tokens estimated as `len(text) // 4`; a
system prompt it has answered before counts as cached tokens, as providers' prompt caches do). It
also speaks Anthropic's `POST /v1/messages` (tools as forced tool_use, `x-api-key`, Anthropic's
error bodies, streamed or not), with the same answers, faults and control API.

What it answers, first match wins:
  (a) a reply queued through the control API;
  (b) for an AICMO generation prompt (instruction line, newline, JSON inputs payload), the AICMO
      offline planner's output for that payload, so answers are realistic and pass quality gates;
  (c) a minimal instance synthesised from the requested JSON schema.
With `nonsense` on, (b) and (c) become schema-valid word salad instead: random words in every
free-text string, the minimum number of items in every list (what a weak or misconfigured model
returns; the quality gates must catch it).

Faults and latency are driven through `POST /_control` ({latency_ms, fault_rate, fault_kinds,
fail_next, replies, seed, hang_s, api_key, nonsense}), `POST /_control/reset` and `GET /_control/stats`.
Fault kinds: any HTTP status as a string ("429", "500", "503", ...), "timeout" (sleep `hang_s`,
then answer), "bad_json" (truncated JSON) and "schema_invalid" (JSON that fits no object schema).

In tests: `with run_test_server(api_key="k") as server: server.base_url  # http://127.0.0.1:PORT/v1`.
For benchmarks: `python -m aicmo.testing.llm_server --port 8300 --latency-ms 300`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import re
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

logger = logging.getLogger(__name__)

MODEL_ID = "aicmo-test-model"
FAULT_KINDS = ("timeout", "bad_json", "schema_invalid")  # plus any HTTP status code as a string
PAYLOAD_KEYS = frozenset({"module", "brief", "window", "approved_upstream", "insights", "extra"})
Api = Literal["openai", "anthropic"]  # whose wire format a call came in (and is answered) in


# --------------------------------------------------------------------------------------------
# Control state


class ControlUpdate(BaseModel):
    """Body of `POST /_control`; fields left out keep their current value."""

    latency_ms: int | None = Field(default=None, ge=0)
    fault_rate: float | None = Field(default=None, ge=0, le=1)
    fault_kinds: list[str] | None = None
    fail_next: list[str] | None = None  # replaces the deterministic queue, consumed before fault_rate
    replies: list[Any] | None = None  # replaces the scripted reply queue: str (raw) or JSON value
    seed: int | None = None
    hang_s: float | None = Field(default=None, ge=0)
    api_key: str | None = None  # "" turns authentication off
    nonsense: bool | None = None  # answer schema-valid word salad with the fewest list items


@dataclass
class ServerState:
    latency_ms: int = 0
    fault_rate: float = 0.0
    fault_kinds: list[str] = field(default_factory=lambda: ["500"])
    fail_next: deque[str] = field(default_factory=deque)
    replies: deque[Any] = field(default_factory=deque)
    seed: int = 0
    hang_s: float = 5.0
    api_key: str = ""
    nonsense: bool = False
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    calls: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    modules: Counter[str] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    auth_failures: int = 0
    in_flight: int = 0  # chat completions being answered right now
    max_in_flight: int = 0  # the most at once since the last reset (a client's concurrency)
    call_log: list[dict[str, Any]] = field(default_factory=list)  # one entry per chat completion
    seen_prefixes: set[str] = field(default_factory=set)  # system prompts answered before (cache hits)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def apply(self, update: ControlUpdate) -> None:
        for kind in (update.fault_kinds or []) + (update.fail_next or []):
            _check_kind(kind)
        with self.lock:
            for name in ("latency_ms", "fault_rate", "hang_s", "api_key", "nonsense"):
                value = getattr(update, name)
                if value is not None:
                    setattr(self, name, value)
            if update.fault_kinds is not None:
                self.fault_kinds = list(update.fault_kinds)
            if update.fail_next is not None:
                self.fail_next = deque(update.fail_next)
            if update.replies is not None:
                self.replies = deque(update.replies)
            if update.seed is not None:
                self.seed = update.seed
                self.rng = random.Random(update.seed)

    def reset(self) -> None:
        fresh = ServerState()
        with self.lock:
            for name in fresh.__dataclass_fields__:
                if name != "lock":
                    setattr(self, name, getattr(fresh, name))

    def next_fault(self) -> str | None:
        """The deterministic queue first, then a seeded draw against `fault_rate`."""
        with self.lock:
            if self.fail_next:
                return self.fail_next.popleft()
            if self.fault_rate and self.fault_kinds and self.rng.random() < self.fault_rate:
                return self.rng.choice(self.fault_kinds)
            return None

    def next_reply(self) -> Any | None:
        with self.lock:
            return self.replies.popleft() if self.replies else None

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "calls": self.calls,
                "faults": dict(self.faults),
                "faults_total": sum(self.faults.values()),
                "modules": dict(self.modules),
                "modes": dict(self.modes),
                "auth_failures": self.auth_failures,
                "in_flight": self.in_flight,
                "max_in_flight": self.max_in_flight,
                "pending_fail_next": list(self.fail_next),
                "pending_replies": len(self.replies),
            }


def _log_call(
    state: ServerState, n: int, payload: dict[str, Any] | None, fault: str | None, arrived: float
) -> dict[str, Any]:
    """Note a call for `GET /_control/calls`: which AICMO job asked (when the prompt says),
    when it arrived and (filled in later) when it was answered, in Unix seconds, so a benchmark
    can line the server's view up with the jobs' own timestamps."""
    part = (payload or {}).get("part") or {}
    entry: dict[str, Any] = {
        "n": n,
        "module": (payload or {}).get("module"),
        "job": part.get("job") if isinstance(part, dict) else None,
        "fault": fault,
        "arrived_at": time.time() - (time.perf_counter() - arrived),
        "answered_at": None,
    }
    with state.lock:
        state.call_log.append(entry)
    return entry


def _check_kind(kind: str) -> None:
    if kind not in FAULT_KINDS and not (kind.isdigit() and 400 <= int(kind) <= 599):
        raise ValueError(
            f"unknown fault kind {kind!r}: use an HTTP status (e.g. '429') or one of {FAULT_KINDS}"
        )


# --------------------------------------------------------------------------------------------
# Content: scripted reply, AICMO planner, or a sample of the schema


def message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def aicmo_payload(prompt: str) -> dict[str, Any] | None:
    """The inputs payload of an AICMO generation prompt (JSON after the first newline), else None."""
    _, newline, rest = prompt.partition("\n")
    if not newline:
        return None
    try:
        payload = json.loads(rest)
    except ValueError:
        return None
    if isinstance(payload, dict) and payload.keys() >= PAYLOAD_KEYS:
        return payload
    return None


_PLANNER_CACHE: dict[str, dict[str, Any]] = {}
_PLANNER_LOCK = threading.Lock()
_PLANNER_KEY_LOCKS: dict[str, threading.Lock] = {}


def planner_output(payload: dict[str, Any]) -> dict[str, Any] | None:
    """What AICMO's own offline planner writes for `payload`; None when it cannot (logged).

    Cached by the generation inputs (a plan asks for one module part by part with the same inputs),
    and computed once when the parts are asked for at the same moment (a fan-out), so the server's
    own work stays small next to the latency a test or benchmark injects.
    """
    key = json.dumps({k: payload[k] for k in sorted(PAYLOAD_KEYS)}, sort_keys=True, default=str)
    with _PLANNER_LOCK:
        if key in _PLANNER_CACHE:
            return _PLANNER_CACHE[key]
        key_lock = _PLANNER_KEY_LOCKS.setdefault(key, threading.Lock())
    with key_lock:
        with _PLANNER_LOCK:
            if key in _PLANNER_CACHE:
                return _PLANNER_CACHE[key]
        content = _planner_output(payload)
        with _PLANNER_LOCK:
            if content is not None:
                if len(_PLANNER_CACHE) > 256:
                    _PLANNER_CACHE.clear()
                _PLANNER_CACHE[key] = content
            _PLANNER_KEY_LOCKS.pop(key, None)
    return content


def preload_planner() -> None:
    """Import the planner in the background at start-up (best effort): imported on the first
    call instead (~120 ms), it made that call slower than the latency it was given."""

    def load() -> None:
        try:
            import aicmo.services.generators  # noqa: F401  (every module's generator)
        except Exception as exc:  # the first call will say so again; the server still starts
            logger.warning("could not preload the planner: %r", exc)

    threading.Thread(target=load, daemon=True, name="aicmo-llm-server-preload").start()


def _planner_output(payload: dict[str, Any]) -> dict[str, Any] | None:
    try:
        # Imported lazily: the server must start even while generators are missing or broken.
        from aicmo.domain.artifacts import Module
        from aicmo.domain.schemas.intake import Intake
        from aicmo.services.generators import get_generator
        from aicmo.services.generators.base import GenerationInputs

        start, end = payload["window"]
        inputs = GenerationInputs(
            intake=Intake.model_validate(payload["brief"]),
            window_start=date.fromisoformat(start),
            window_end=date.fromisoformat(end),
            upstream={
                Module(key): get_generator(Module(key)).output_type.model_validate(value)
                for key, value in payload["approved_upstream"].items()
            },
            insights=tuple(payload["insights"]),
            extra=dict(payload["extra"]),
        )
        content = get_generator(Module(payload["module"])).plan_offline(inputs)
        return content.model_dump(mode="json")
    except Exception as exc:  # a planner bug must not take the server down; fall back to (c)
        logger.warning("planner answer unavailable for module %r: %r", payload.get("module"), exc)
        return None


_STRING_FORMATS = {
    "date": "2025-01-06",
    "date-time": "2025-01-06T09:00:00Z",
    "time": "09:00:00",
    "email": "team@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "duration": "P1D",
    "ipv4": "127.0.0.1",
}


def sample_from_schema(schema: dict[str, Any], root: dict[str, Any] | None = None, index: int = 0) -> Any:
    """A minimal instance valid against `schema` (required properties only, `minItems` items)."""
    root = root if root is not None else schema
    if "$ref" in schema:
        return sample_from_schema(_resolve_ref(root, schema["$ref"]), root, index)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return sample_from_schema(options[0], root, index)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            part = _resolve_ref(root, part["$ref"]) if "$ref" in part else part
            for k, v in part.items():
                merged[k] = {**merged.get(k, {}), **v} if isinstance(v, dict) else v
        return sample_from_schema(merged, root, index)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "object":
        props = schema.get("properties", {})
        return {
            name: sample_from_schema(props.get(name, {}), root, index) for name in schema.get("required", [])
        }
    if kind == "array":
        if "prefixItems" in schema:
            return [sample_from_schema(s, root, i) for i, s in enumerate(schema["prefixItems"])]
        items = schema.get("items", {})
        return [sample_from_schema(items, root, i) for i in range(schema.get("minItems", 0))]
    if kind == "string":
        return _sample_string(schema, index)
    if kind in ("integer", "number"):
        return _sample_number(schema, kind)
    if kind == "boolean":
        return True
    return None


# Words a model spouts when it has lost the thread: no small words, so no sentences.
SALAD = re.findall(
    r"[a-z]+",
    """pains frequency consistent social service outcome metric reach synergy funnel velocity engagement
    holistic leverage platform value journey growth scalable insight content pillar audience brand
    narrative conversion touchpoint omnichannel framework optimise impactful dynamic seamless robust
    strategic innovative authentic ecosystem paradigm bandwidth alignment cadence""",
)


def nonsense_from_schema(
    schema: dict[str, Any], rng: random.Random, root: dict[str, Any] | None = None
) -> Any:
    """A schema-valid instance with random words in every free-text string and the minimum number
    of items in every list (formats and patterns keep their valid samples, so it still parses)."""
    root = root if root is not None else schema
    if "$ref" in schema:
        return nonsense_from_schema(_resolve_ref(root, schema["$ref"]), rng, root)
    if "const" in schema or schema.get("enum"):
        return sample_from_schema(schema, root)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return nonsense_from_schema(options[0], rng, root)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "object":
        props = schema.get("properties", {})
        return {
            name: nonsense_from_schema(props.get(name, {}), rng, root) for name in schema.get("required", [])
        }
    if kind == "array":
        items = schema.get("items", {})
        return [nonsense_from_schema(items, rng, root) for _ in range(schema.get("minItems", 0))]
    if kind == "string" and not schema.get("format") and not schema.get("pattern"):
        lo, hi = schema.get("minLength", 0), schema.get("maxLength", 10_000)
        text = " ".join(rng.choice(SALAD) for _ in range(rng.randint(3, 12))).capitalize()
        return (text + " salad" * max(0, lo - len(text)))[:hi]
    return sample_from_schema(schema, root)


def _resolve_ref(root: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _sample_string(schema: dict[str, Any], index: int) -> str:
    lo, hi = schema.get("minLength", 0), schema.get("maxLength", 10_000)
    base = _STRING_FORMATS.get(schema.get("format", ""), f"sample{index + 1 if index else ''}")
    candidates = [base, *(ch * max(lo, 1) for ch in "a0A")]
    pattern = schema.get("pattern")
    for text in candidates:
        text = (text + "x" * max(0, lo - len(text)))[:hi]
        if pattern is None or re.search(pattern, text):
            return text
    return candidates[0][:hi]


def _sample_number(schema: dict[str, Any], kind: str) -> int | float:
    value: float = 1
    if "minimum" in schema:
        value = max(value, schema["minimum"])
    if "exclusiveMinimum" in schema:
        value = max(value, schema["exclusiveMinimum"] + 1)
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    if "exclusiveMaximum" in schema:
        value = min(value, schema["exclusiveMaximum"] - (1 if kind == "integer" else 0.5))
    return int(value) if kind == "integer" else float(value)


# --------------------------------------------------------------------------------------------
# The chat completions endpoint


@dataclass(frozen=True)
class Target:
    """What shape the client asked for: a tool call, a JSON-schema content, or plain text."""

    mode: str  # "tools" | "json_schema" | "json_object" | "plain"
    schema: dict[str, Any]
    tool_name: str = ""


def request_target(body: dict[str, Any]) -> Target:
    tools = [t for t in body.get("tools") or [] if t.get("type") == "function"]
    choice = body.get("tool_choice")
    forced = choice == "required" or isinstance(choice, dict)
    after_tool_result = bool(body.get("messages")) and body["messages"][-1].get("role") == "tool"
    if tools and choice != "none" and (forced or not after_tool_result):
        wanted = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
        tool = next((t for t in tools if t["function"]["name"] == wanted), tools[0])
        return Target("tools", tool["function"].get("parameters") or {}, tool["function"]["name"])
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return Target("json_schema", fmt.get("json_schema", {}).get("schema") or {})
    if fmt.get("type") == "json_object":
        return Target("json_object", {"type": "object"})
    return Target("plain", {})


def answer_text(state: ServerState, target: Target, payload: dict[str, Any] | None, fault: str | None) -> str:
    if fault == "bad_json":
        return '{"truncated": "this JSON never ends'
    if fault == "schema_invalid":
        return '["valid JSON", "but not an object matching the schema"]'
    reply = state.next_reply()
    if reply is not None:
        return reply if isinstance(reply, str) else json.dumps(reply)
    if state.nonsense and target.mode != "plain":
        with state.lock:
            seed = state.rng.randrange(1 << 30)
        return json.dumps(nonsense_from_schema(target.schema, random.Random(seed)))
    planned = planner_output(payload) if payload is not None else None
    if planned is not None:
        return json.dumps(_only_what_was_asked(planned, target, payload or {}), ensure_ascii=False)
    if target.mode == "plain":
        return "Hello from the AICMO test server."
    return json.dumps(sample_from_schema(target.schema))


def _reply(
    state: ServerState,
    body: dict[str, Any],
    target: Target,
    payload: dict[str, Any] | None,
    fault: str | None,
    n: int,
    api: Api = "openai",
) -> Response:
    """The completion for `body` (streamed if it asked), answer and usage included."""
    text = answer_text(state, target, payload, fault)
    messages = body.get("messages") or []
    prompt_chars = sum(len(message_text(m)) for m in messages) + len(json.dumps(body.get("tools") or []))
    usage = _usage(prompt_chars, text)
    usage["prompt_tokens_details"] = {"cached_tokens": _cached_tokens(state, body, usage["prompt_tokens"])}
    if api == "anthropic":
        message = anthropic_message(body, target, text, usage, n)
        if body.get("stream"):
            return StreamingResponse(anthropic_events(message), media_type="text/event-stream")
        return JSONResponse(message)
    if body.get("stream"):
        return StreamingResponse(stream_chunks(body, target, text, usage, n), media_type="text/event-stream")
    return JSONResponse(completion_body(body, target, text, usage, n))


def _only_what_was_asked(planned: dict[str, Any], target: Target, payload: dict[str, Any]) -> dict[str, Any]:
    """Answer a request for part of a module (a plan job) with just that part, as a model would:
    the schema's top-level properties, and for a posts job only the posts in its scope (one
    platform, a few weeks of the window)."""
    wanted = (target.schema or {}).get("properties") if isinstance(target.schema, dict) else None
    if not wanted:
        return planned
    answer = {key: value for key, value in planned.items() if key in wanted}
    part = payload.get("part") or {}
    if part.get("platform") and isinstance(answer.get("posts"), list):
        from aicmo.domain.plan import PostScope  # lazily, as the planner: see `_planner_output`

        weeks = part.get("weeks")
        scope = PostScope(part["platform"], (weeks[0], weeks[1]) if weeks else None)
        start, end = (date.fromisoformat(d) for d in payload["window"])
        answer["posts"] = [p for p in answer["posts"] if scope.owns(p, start, end)]
    return answer


def _usage(prompt_chars: int, answer: str) -> dict[str, int]:
    prompt_tokens, completion_tokens = max(1, prompt_chars // 4), max(1, len(answer) // 4)
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _cached_tokens(state: ServerState, body: dict[str, Any], prompt_tokens: int) -> int:
    """Like a provider's prompt cache: a system prompt seen before is read from cache the next time."""
    system = body.get("system") or "".join(
        message_text(m) for m in body.get("messages") or [] if m.get("role") in ("system", "developer")
    )
    if not isinstance(system, str):
        system = json.dumps(system)
    if len(system) < 4:
        return 0
    with state.lock:
        hit = system in state.seen_prefixes
        state.seen_prefixes.add(system)
    return min(prompt_tokens - 1, len(system) // 4) if hit else 0


def _error(status: int, message: str, kind: str, code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "code": code, "param": None}}, status)


def _http_fault(status: int) -> JSONResponse:
    if status == 429:
        return _error(
            429, "Rate limit reached (injected by the AICMO test server)", "requests", "rate_limit_exceeded"
        )
    if status >= 500:
        return _error(status, "Server error (injected by the AICMO test server)", "server_error")
    return _error(status, f"Injected HTTP {status}", "invalid_request_error")


def completion_body(body: dict[str, Any], target: Target, text: str, usage: dict[str, int], n: int) -> dict:
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
    finish = "stop"
    if target.mode == "tools":
        message["content"] = None
        message["tool_calls"] = [
            {"id": f"call_{n}", "type": "function", "function": {"name": target.tool_name, "arguments": text}}
        ]
        finish = "tool_calls"
    return {
        "id": f"chatcmpl-{n}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model") or MODEL_ID,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": usage,
    }


async def stream_chunks(
    body: dict[str, Any], target: Target, text: str, usage: dict[str, int], n: int
) -> AsyncIterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None, with_usage: bool = False) -> str:
        data: dict[str, Any] = {
            "id": f"chatcmpl-{n}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model") or MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        if with_usage:
            data["usage"] = usage
        return f"data: {json.dumps(data)}\n\n"

    pieces = [text[i : i + 64] for i in range(0, len(text), 64)] or [""]
    if target.mode == "tools":
        call = {"index": 0, "id": f"call_{n}", "type": "function", "function": {"name": target.tool_name}}
        yield chunk(
            {"role": "assistant", "tool_calls": [{**call, "function": {**call["function"], "arguments": ""}}]}
        )
        for piece in pieces:
            yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
        yield chunk({}, "tool_calls", with_usage=True)
    else:
        yield chunk({"role": "assistant", "content": ""})
        for piece in pieces:
            yield chunk({"content": piece})
        yield chunk({}, "stop", with_usage=True)
    yield "data: [DONE]\n\n"


# ---- Anthropic's Messages API ------------------------------------------------------------------
def anthropic_target(body: dict[str, Any]) -> Target:
    """Tools are `{name, input_schema}`; a forced or offered tool is answered with a tool_use."""
    tools = [t for t in body.get("tools") or [] if t.get("name")]
    choice = body.get("tool_choice") or {}
    if tools and choice.get("type") != "none":
        wanted = choice.get("name") if choice.get("type") == "tool" else None
        tool = next((t for t in tools if t["name"] == wanted), tools[0])
        return Target("tools", tool.get("input_schema") or {}, tool["name"])
    return Target("plain", {})


def anthropic_payload(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The AICMO payload of the conversation's first user text that has one (a retry appends
    tool results as user turns after it)."""
    for message in messages:
        if message.get("role") == "user":
            payload = aicmo_payload(message_text(message))
            if payload is not None:
                return payload
    return None


def anthropic_message(body: dict[str, Any], target: Target, text: str, usage: dict[str, int], n: int) -> dict:
    content: list[dict[str, Any]]
    if target.mode == "tools":
        try:
            value = json.loads(text)
        except ValueError:  # "bad_json": a model that answers prose instead of calling the tool
            value = None
        if value is None:
            content, stop = [{"type": "text", "text": text}], "end_turn"
        else:
            tool_input = value if isinstance(value, dict) else {"value": value}
            content = [
                {"type": "tool_use", "id": f"toolu_{n:08d}", "name": target.tool_name, "input": tool_input}
            ]
            stop = "tool_use"
    else:
        content, stop = [{"type": "text", "text": text}], "end_turn"
    return {
        "id": f"msg_{n:08d}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model") or MODEL_ID,
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {
            "input_tokens": usage["prompt_tokens"] - usage["prompt_tokens_details"]["cached_tokens"],
            "cache_read_input_tokens": usage["prompt_tokens_details"]["cached_tokens"],
            "output_tokens": usage["completion_tokens"],
        },
    }


async def anthropic_events(message: dict[str, Any]) -> AsyncIterator[str]:
    """`message` as the Messages API streams it: start, each content block in pieces, stop."""

    def event(name: str, data: dict[str, Any]) -> str:
        return f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n"

    usage = message["usage"]
    start = {**message, "content": [], "stop_reason": None, "usage": {**usage, "output_tokens": 1}}
    yield event("message_start", {"message": start})
    for index, block in enumerate(message["content"]):
        if block["type"] == "tool_use":
            text, opening, delta = json.dumps(block["input"]), {**block, "input": {}}, "input_json_delta"
        else:
            text, opening, delta = block["text"], {**block, "text": ""}, "text_delta"
        yield event("content_block_start", {"index": index, "content_block": opening})
        for i in range(0, len(text), 64):
            piece = text[i : i + 64]
            body = (
                {"type": delta, "partial_json": piece}
                if delta == "input_json_delta"
                else {"type": delta, "text": piece}
            )
            yield event("content_block_delta", {"index": index, "delta": body})
        yield event("content_block_stop", {"index": index})
    stop = {"stop_reason": message["stop_reason"], "stop_sequence": None}
    yield event("message_delta", {"delta": stop, "usage": {"output_tokens": usage["output_tokens"]}})
    yield event("message_stop", {})


def anthropic_error(status: int, message: str | None = None) -> JSONResponse:
    kind = {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        404: "not_found_error",
        429: "rate_limit_error",
        529: "overloaded_error",
    }.get(status, "api_error")
    text = message or f"Injected HTTP {status} ({kind}) by the AICMO test server"
    return JSONResponse({"type": "error", "error": {"type": kind, "message": text}}, status)


async def _answer_after_latency(
    state: ServerState,
    body: dict[str, Any],
    target: Target,
    payload: dict[str, Any] | None,
    fault: str | None,
    n: int,
    arrived: float,
    api: Api = "openai",
) -> Response:
    # The whole reply is built while the injected latency runs, so a call takes `latency_ms`
    # from the request's arrival (or the computation, if longer) rather than both added up.
    reply = asyncio.create_task(asyncio.to_thread(_reply, state, body, target, payload, fault, n, api))
    if state.latency_ms:
        await asyncio.sleep(max(0.0, state.latency_ms / 1000 - (time.perf_counter() - arrived)))
    if fault and fault.isdigit():
        reply.cancel()
        return anthropic_error(int(fault)) if api == "anthropic" else _http_fault(int(fault))
    if fault == "timeout":
        await asyncio.sleep(state.hang_s)
    return await reply


def create_app(state: ServerState | None = None) -> FastAPI:
    """The FastAPI app; `app.state.llm` holds the `ServerState`."""
    state = state or ServerState()
    preload_planner()
    app = FastAPI(title="AICMO OpenAI-compatible test server", docs_url=None, redoc_url=None)
    app.state.llm = state

    def authorized(request: Request) -> bool:
        if not state.api_key:
            return True
        ok = (
            request.headers.get("authorization", "") == f"Bearer {state.api_key}"
            or request.headers.get("x-api-key", "") == state.api_key  # Anthropic's header
        )
        if not ok:
            with state.lock:
                state.auth_failures += 1
        return ok

    def unauthorized() -> JSONResponse:
        return _error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")

    @app.get("/v1/models")
    async def list_models(request: Request) -> Response:
        if not authorized(request):
            return unauthorized()
        return JSONResponse(
            {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "owned_by": "aicmo"}]}
        )

    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request) -> Response:
        arrived = time.perf_counter()
        if not authorized(request):
            return unauthorized()
        with state.lock:
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            return await answer_completion(request, arrived)
        finally:
            with state.lock:
                state.in_flight -= 1

    async def answer_completion(request: Request, arrived: float) -> Response:
        body = await request.json()
        messages = body.get("messages") or []
        user = [m for m in messages if m.get("role") == "user"]
        payload = aicmo_payload(message_text(user[-1])) if user else None
        return await answer(body, payload, "openai", arrived)

    async def answer(
        body: dict[str, Any], payload: dict[str, Any] | None, api: Api, arrived: float
    ) -> Response:
        target = anthropic_target(body) if api == "anthropic" else request_target(body)
        with state.lock:
            state.calls += 1
            n = state.calls
            mode = target.mode + ("+stream" if body.get("stream") else "")
            state.modes[f"anthropic:{mode}" if api == "anthropic" else mode] += 1
            if payload is not None:
                state.modules[str(payload["module"])] += 1
        fault = state.next_fault()
        if fault:
            with state.lock:
                state.faults[fault] += 1
        entry = _log_call(state, n, payload, fault, arrived)
        try:
            return await _answer_after_latency(state, body, target, payload, fault, n, arrived, api)
        finally:
            entry["answered_at"] = time.time()

    @app.post("/v1/messages")
    async def messages(request: Request) -> Response:
        arrived = time.perf_counter()
        if not authorized(request):
            return anthropic_error(401, "invalid x-api-key")
        with state.lock:
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            body = await request.json()
            return await answer(body, anthropic_payload(body.get("messages") or []), "anthropic", arrived)
        finally:
            with state.lock:
                state.in_flight -= 1

    @app.post("/_control")
    async def control(update: ControlUpdate) -> Response:
        try:
            state.apply(update)
        except ValueError as exc:
            return _error(422, str(exc), "invalid_request_error")
        return JSONResponse(state.stats())

    @app.post("/_control/reset")
    async def reset() -> dict[str, Any]:
        state.reset()
        return state.stats()

    @app.get("/_control/stats")
    async def stats() -> dict[str, Any]:
        return state.stats()

    @app.get("/_control/calls")
    async def calls() -> list[dict[str, Any]]:
        with state.lock:
            return list(state.call_log)

    return app


# --------------------------------------------------------------------------------------------
# Running it


class ServerHandle:
    """A running test server: `.base_url` (ends in /v1), `.control()`, `.stats()`, `.reset()`, `.stop()`."""

    def __init__(self, server: uvicorn.Server, thread: threading.Thread, host: str, port: int) -> None:
        self._server, self._thread = server, thread
        self.root_url = f"http://{host}:{port}"
        self.base_url = f"{self.root_url}/v1"
        self.port = port
        self._http = httpx.Client(base_url=self.root_url, timeout=10)

    def control(self, **update: Any) -> dict[str, Any]:
        response = self._http.post("/_control", json=ControlUpdate(**update).model_dump(exclude_none=True))
        response.raise_for_status()
        return response.json()

    def reset(self, **update: Any) -> dict[str, Any]:
        self._http.post("/_control/reset").raise_for_status()
        return self.control(**update) if update else self.stats()

    def stats(self) -> dict[str, Any]:
        response = self._http.get("/_control/stats")
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self._http.close()
        self._server.should_exit = True
        self._thread.join(timeout=3)
        if self._thread.is_alive():  # a "timeout" fault may still be sleeping
            self._server.force_exit = True
            self._thread.join(timeout=3)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound socket whose connections skip Nagle's algorithm: answers go out as several writes,
    and on a kept-alive connection the client's delayed ACK would otherwise stall each by ~40 ms,
    a latency no real model server adds."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


def run_test_server(host: str = "127.0.0.1", port: int = 0, **control: Any) -> ServerHandle:
    """Start the server in a background thread (port 0 = a free port) and apply `control`."""
    state = ServerState()
    state.apply(ControlUpdate(**control))
    sock = listening_socket(host, port)
    config = uvicorn.Config(create_app(state), log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="aicmo-llm-server"
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the AICMO test LLM server did not start")
        time.sleep(0.01)
    return ServerHandle(server, thread, host, sock.getsockname()[1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m aicmo.testing.llm_server", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument(
        "--fault-kinds", default="429,500", help="comma-separated, e.g. 429,500,timeout,bad_json"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hang-s", type=float, default=5.0)
    parser.add_argument("--api-key", default="", help="require this bearer key (never printed)")
    parser.add_argument(
        "--nonsense", action="store_true", help="answer schema-valid word salad with the fewest list items"
    )
    args = parser.parse_args(argv)
    state = ServerState()
    state.apply(
        ControlUpdate(
            latency_ms=args.latency_ms,
            fault_rate=args.fault_rate,
            fault_kinds=[k for k in args.fault_kinds.split(",") if k],
            seed=args.seed,
            hang_s=args.hang_s,
            api_key=args.api_key,
            nonsense=args.nonsense,
        )
    )
    print(f"AICMO test LLM server on http://{args.host}:{args.port}/v1", flush=True)
    config = uvicorn.Config(create_app(state), log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[listening_socket(args.host, args.port)])


if __name__ == "__main__":
    main()
