"""What every remote provider shares: one retry loop around a pydantic-ai model request, usage, cost, errors.

Retry design. Each attempt is one direct model request (`pydantic_ai.direct.model_request`, its
answer validated by `_structured`) and the SDK client's own retries are off (`max_retries=0`), so an
attempt is exactly one HTTP request and this module's loop is the only retry budget (`max_retries`,
so at most `max_retries + 1` requests). tenacity drives the loop with exponential back-off
(`backoff_base_s * 2**(n-1)`, capped, plus a little jitter; a server's Retry-After is honoured up to
the cap) and an injectable `sleep` so tests never wait for real. Why not the built-in retries: the
SDKs' back-off can be neither injected nor counted per attempt, and pydantic-ai's re-ask would
spend a second budget (and send the invalid answer back) outside the one `llm_max_retries` names.

Retried: rate limits (429), server errors and unavailability (5xx), timeouts, connection errors,
and answers that are not valid JSON or do not validate against the task's pydantic model. Not
retried, because sending the same request again cannot help: authentication, not-found, quota,
other rejected requests, content filters and truncated output. Either way the caller gets a valid
`output` or a `ProviderFailed` with `details=[{attempts, last_error_kind, ...}]` — never partial
content. Usage (tokens of every billed response, rejected ones included) and cost are recorded.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import functools
import logging
import random
import socket
import ssl
import threading
import time
from abc import abstractmethod
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

import anyio
import httpx2
import pydantic
from pydantic import BaseModel, SecretStr
from pydantic_ai import exceptions as pai
from pydantic_ai.direct import model_request
from pydantic_ai.messages import ModelRequest, ModelResponse, SystemPromptPart, UserPromptPart
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from aicmo.adapters.llm._structured import OutputMode, read_output, request_parameters
from aicmo.adapters.llm.base import GenerationTask, LLMStatus, Provider, ProviderResult, Usage
from aicmo.adapters.llm.pricing import Prices, response_cost
from aicmo.domain.errors import ProviderFailed
from aicmo.domain.urls import mask_url

if TYPE_CHECKING:
    from pydantic_ai.models import Model

    from aicmo.config import Settings

logger = logging.getLogger("aicmo.llm")

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 4
    backoff_base_s: float = 0.5
    backoff_max_s: float = 20.0
    jitter: float = 0.1  # each delay is stretched by up to 10 %, so parallel jobs do not retry in lockstep

    @property
    def max_attempts(self) -> int:
        return self.max_retries + 1

    def delay(self, failed_attempts: int, retry_after: float | None = None, rand: float = 0.0) -> float:
        """Seconds to wait after `failed_attempts` failures (1 → base, 2 → 2·base, …, capped)."""
        delay = min(self.backoff_max_s, self.backoff_base_s * 2 ** (failed_attempts - 1))
        if retry_after:
            delay = max(delay, min(retry_after, self.backoff_max_s))
        return delay * (1 + self.jitter * rand)


@dataclass(frozen=True)
class Failure:
    """One failed attempt, classified: `kind` goes into `details`, `summary` into the message."""

    kind: str
    retryable: bool
    summary: str
    retry_after: float | None = None


class _AttemptFailed(Exception):
    """Carries a classified failure through tenacity so its predicate and wait can read it."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.summary)
        self.failure = failure


def classify(exc: BaseException) -> Failure | None:
    """Turn a pydantic-ai / transport error into a `Failure`; None for anything else (a bug: propagate)."""
    if isinstance(exc, pai.ContentFilterError):
        return Failure("content_filter", False, "the provider's content filter blocked the answer")
    if isinstance(exc, pai.OutputTokenLimitExceeded):
        return Failure("output_truncated", False, "the answer hit the output token limit and was cut off")
    if isinstance(exc, pai.UnexpectedModelBehavior | pydantic.ValidationError):
        kind, problem = _invalid_output(exc)
        what = {"invalid_json": "was not valid JSON", "schema_invalid": "did not match the schema"}
        return Failure(kind, True, f"the answer {what.get(kind, 'was unusable')} ({problem[:200]})")
    if isinstance(exc, pai.ModelAPIError):
        return _api_failure(exc)
    if isinstance(exc, httpx2.TimeoutException):
        return Failure("timeout", True, f"request timed out ({type(exc).__name__})")
    if isinstance(exc, httpx2.TransportError):
        return Failure("connection", True, f"connection failed ({type(exc).__name__})")
    if isinstance(exc, pai.AgentRunError):
        return Failure("agent_error", False, f"{type(exc).__name__}: {exc}")
    return None


def _api_failure(exc: pai.ModelAPIError) -> Failure:
    status = getattr(exc, "status_code", None)
    where = f"HTTP {status}" if status else type(exc).__name__
    body = exc.body.get("message") if isinstance(exc.body, dict) else None
    said = f": {str(body)[:200]}" if body else ""
    after = exc.retry_after
    table: list[tuple[type[pai.ModelAPIError], str, bool]] = [
        (pai.ModelRateLimitError, "rate_limit", True),
        (pai.ModelQuotaExceededError, "quota", False),
        (pai.ModelUnavailableError, "server_error", True),
        (pai.ModelServerError, "server_error", True),
        (pai.ModelTimeoutError, "timeout", True),
        (pai.ModelRequestTimeout, "timeout", True),
        (pai.ModelConnectionError, "connection", True),
        (pai.ModelAuthenticationError, "auth", False),
        (pai.ModelNotFoundError, "not_found", False),
        (pai.ModelRequestRejectedError, "rejected", False),
    ]
    for cls, kind, retryable in table:
        if isinstance(exc, cls):
            return Failure(kind, retryable, f"{kind.replace('_', ' ')} ({where}{said})", after)
    if status is not None:  # not one of pydantic-ai's classes above: the status says what it was
        retryable = status >= 500 or status in (408, 409, 429)
        return Failure(f"http_{status}", retryable, f"HTTP {status}{said}", after)
    return Failure("api_error", True, f"{type(exc).__name__}: {exc.message}", after)


STATUS_KINDS: dict[int, tuple[str, bool]] = {
    401: ("auth", False),
    403: ("auth", False),
    404: ("not_found", False),
    408: ("timeout", True),
    400: ("rejected", False),
    422: ("rejected", False),
    429: ("rate_limit", True),
}


def status_failure(status: int, said: str = "", after: float | None = None, code: str = "") -> Failure:
    """The failure kind of an HTTP error status (`said`: ": what the server said"), for providers
    whose SDK errors carry a status rather than one of pydantic-ai's error classes."""
    where = f"HTTP {status}"
    if status == 429 and code == "insufficient_quota":
        return Failure("quota", False, f"quota ({where}{said})")
    if status >= 500:
        return Failure("server_error", True, f"server error ({where}{said})", after)
    if status in STATUS_KINDS:
        kind, retryable = STATUS_KINDS[status]
        return Failure(kind, retryable, f"{kind.replace('_', ' ')} ({where}{said})", after)
    return Failure(f"http_{status}", status == 409, f"{where}{said}", after)


def _invalid_output(exc: BaseException) -> tuple[str, str]:
    """(kind, first validation problem) of a rejected answer; kind is invalid_json or schema_invalid."""
    seen: BaseException | None = exc
    while seen is not None:
        errors: list[Any] = []
        if isinstance(seen, pydantic.ValidationError):
            errors = list(seen.errors())
        elif isinstance(seen, pai.ToolRetryError) and isinstance(seen.tool_retry.content, list):
            errors = list(seen.tool_retry.content)
        if errors:
            kind = (
                "invalid_json" if any(e.get("type") == "json_invalid" for e in errors) else "schema_invalid"
            )
            first = errors[0]
            where = ".".join(str(p) for p in first.get("loc", ()) if p != "__root__")
            return kind, f"{where + ': ' if where else ''}{first.get('msg', '')}"
        seen = seen.__cause__ or seen.__context__
    return "invalid_output", getattr(exc, "message", str(exc))


def usage_of(response: ModelResponse, prices: Prices, model: str = "") -> Usage:
    """Usage of one response the provider sent back (billed even when its answer is rejected),
    priced by `pricing.response_cost` (published prices, configured ones as an override)."""
    return Usage(
        requests=1,
        input_tokens=response.usage.input_tokens,
        output_tokens=response.usage.output_tokens,
        cost_usd=response_cost(response, prices, model),
    )


class _WarmUp(BaseModel):
    """The output type of `warm_up`'s offline request."""

    ok: bool


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One CA bundle load per process: building it takes ~90 ms, and every call opens a client."""
    return ssl.create_default_context()


def _settle(done: concurrent.futures.Future[R], task: asyncio.Future[R]) -> None:
    if task.cancelled():
        done.cancel()
    elif task.exception() is not None:
        done.set_exception(task.exception())  # type: ignore[arg-type]
    else:
        done.set_result(task.result())


class _LoopThread:
    """One event loop in a daemon thread, shared by every call of a provider.

    Calls come from many worker threads; running them on one long-lived loop lets them share an
    HTTP client (kept-alive connections, one TLS setup) instead of paying a new loop and client
    per call, which cost more than the request itself against a local model.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def run(self, factory: Callable[[], Coroutine[Any, Any, R]]) -> R:
        """Run the coroutine on the shared loop in the caller's context (its trace id included)."""
        return self.submit(factory).result()

    def submit(self, factory: Callable[[], Coroutine[Any, Any, R]]) -> concurrent.futures.Future[R]:
        """Start the coroutine on the shared loop in the caller's context; its future."""
        context = contextvars.copy_context()
        done: concurrent.futures.Future[R] = concurrent.futures.Future()

        def start() -> None:
            task = self.loop.create_task(factory(), context=context)
            task.add_done_callback(lambda t: _settle(done, t))

        self.loop.call_soon_threadsafe(start)
        return done

    @property
    def started(self) -> bool:
        return self._loop is not None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, daemon=True, name=self._name).start()
                self._loop = loop
            return self._loop

    def close(self) -> None:
        with self._lock:
            if self._loop is not None and not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop = None


class AgentProvider(Provider):
    """A provider that sends pydantic-ai model requests to a remote model; subclasses only build the model.

    `sleep` and `policy.backoff_base_s` are injectable so tests exercise real back-off without waiting.
    """

    label: ClassVar[str]  # human name used in messages, e.g. "OpenAI-compatible endpoint"
    setup_hint: ClassVar[str]  # the environment that enables this provider

    def __init__(
        self,
        *,
        model: str,
        base_url: str = "",
        api_key: SecretStr | str | None = None,
        timeout_s: float = 60.0,
        policy: RetryPolicy | None = None,
        prices: Prices | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self._model_name = model
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key if isinstance(api_key, SecretStr) or api_key is None else SecretStr(api_key)
        self.timeout_s = timeout_s
        self.policy = policy or RetryPolicy()
        self.prices = prices or Prices()
        self._sleep: Sleep = sleep or asyncio.sleep
        self._rng = random.Random()
        self._runner = _LoopThread(f"aicmo-llm-{self.id}")
        self._http: httpx2.AsyncClient | None = None
        self._model_obj: Model | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> Self:
        kwargs: dict[str, Any] = {
            "model": settings.llm_model,
            "base_url": settings.llm_base_url,
            "api_key": settings.llm_api_key,
            "timeout_s": settings.llm_timeout_s,
            "policy": RetryPolicy(
                max_retries=settings.llm_max_retries, backoff_base_s=settings.llm_backoff_base_s
            ),
            "prices": Prices(
                settings.llm_price_input_per_mtok,
                settings.llm_price_output_per_mtok,
                settings.llm_price_cached_input_per_mtok,
            ),
        }
        return cls(**(kwargs | overrides))

    # -- what subclasses provide ---------------------------------------------------------------

    @abstractmethod
    def missing_settings(self) -> list[str]:
        """Names of the environment variables still needed; empty when the provider is usable."""

    @abstractmethod
    def _build_model(self, http_client: httpx2.AsyncClient) -> Model:
        """The pydantic-ai model, on an SDK client with its own retries off (this module retries)."""

    @abstractmethod
    def _probe_request(self) -> tuple[str, dict[str, str]]:
        """URL and headers of a cheap authenticated GET (the models list) for `status(probe=True)`."""

    def _output_mode(self) -> OutputMode:
        """Structured output as a forced tool call (every provider here supports it) or native."""
        return "tool"

    # -- Provider ------------------------------------------------------------------------------

    @property
    def model(self) -> str:
        return self._model_name

    @property
    def api_key(self) -> str | None:
        return self._api_key.get_secret_value() if self._api_key else None

    @property
    def endpoint(self) -> str:
        """The URL requests go to (providers with a default URL override this)."""
        return self.base_url

    def status(self, *, probe: bool = False) -> LLMStatus:
        if missing := self.missing_settings():
            return self._status("disabled", self.disabled_message(missing))
        if not probe:
            return self._status("configured", f"{self.label} configured; not probed")
        reachable, detail = self._probe()
        return self._status("reachable" if reachable else "unreachable", detail)

    def _status(self, state: Any, detail: str) -> LLMStatus:
        return LLMStatus(
            provider=self.id, state=state, model=self.model, base_url=mask_url(self.endpoint), detail=detail
        )

    def disabled_message(self, missing: list[str]) -> str:
        return f"LLM disabled: no {' and no '.join(missing)}. Set {self.setup_hint}."

    def warm_up(self, output_types: Iterable[type[BaseModel]] = ()) -> None:
        """Import the SDK, start the provider's loop and build the shared client and model now
        (about 1.5 s), not inside the first job a worker runs; build the request (output schema)
        for each of `output_types`, 1 to 3 ms each.

        Then one request to an in-memory transport answering `_canned_answer()`: SDKs build their
        response models lazily on first use (~20 ms for OpenAI's), and that too belongs here.
        Nothing goes over the network."""
        if not self.missing_settings():
            for output_type in output_types:
                request_parameters(output_type, self._output_mode())

            async def build() -> None:
                self._shared_model()
                # The HTTP transport loads anyio's asyncio backend on its first real request
                # (~30 ms of imports): load it here instead of in the first job.
                await anyio.sleep(0)
                canned = self._canned_answer()
                if canned is None:
                    return
                mock = httpx2.AsyncClient(transport=httpx2.MockTransport(lambda _request: canned))
                task = GenerationTask("warm-up", "", "warm-up", _WarmUp, offline=lambda: _WarmUp(ok=True))
                async with mock:
                    with contextlib.suppress(Exception):  # warming is best effort: a real call still works
                        mode = self._output_mode()
                        read_output(await self._respond(self._build_model(mock), task, mode), _WarmUp, mode)

            self._runner.run(build)

    def _canned_answer(self) -> httpx2.Response | None:
        """A valid reply of this provider's API to a `_WarmUp` request, for `warm_up`; None: skip."""
        return None

    def generate(self, task: GenerationTask[T]) -> ProviderResult[T]:
        if missing := self.missing_settings():
            raise ProviderFailed(
                self.disabled_message(missing),
                [{"attempts": 0, "last_error_kind": "disabled", "provider": self.id, "model": self.model}],
            )
        return self._runner.run(lambda: self._generate(task))

    def submit(self, task: GenerationTask[T]) -> concurrent.futures.Future[ProviderResult[T]] | None:
        if self.missing_settings():
            return None  # `generate` explains what is missing when the job itself calls
        return self._runner.submit(lambda: self._generate(task))

    def close(self) -> None:
        """Release the shared client and loop (a later call starts them again)."""
        http, self._http, self._model_obj = self._http, None, None
        if http is not None and self._runner.started:
            with contextlib.suppress(Exception):
                self._runner.run(http.aclose)
        self._runner.close()

    def _shared_model(self) -> Model:
        """The model on the shared HTTP client; built on the provider's loop, used only there."""
        if self._http is None or self._model_obj is None:
            timeout = httpx2.Timeout(self.timeout_s, connect=min(self.timeout_s, 10.0))
            # TCP_NODELAY: on a kept-alive connection, headers and body go out as two writes, and
            # Nagle's algorithm would hold the second back for the peer's delayed ACK (~40 ms a call).
            transport = httpx2.AsyncHTTPTransport(
                verify=_ssl_context(), socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
            )
            self._http = httpx2.AsyncClient(timeout=timeout, transport=transport)
            self._model_obj = self._build_model(self._http)
        return self._model_obj

    async def _respond(self, model: Model, task: GenerationTask[Any], mode: OutputMode) -> ModelResponse:
        """One request through pydantic-ai's model layer (providers may speak their SDK directly)."""
        messages = [ModelRequest(parts=[SystemPromptPart(task.system), UserPromptPart(task.prompt)])]
        parameters = request_parameters(task.output_type, mode)
        return await model_request(model, messages, model_request_parameters=parameters)

    def _classify(self, exc: BaseException) -> Failure | None:
        """The failure kind of an attempt's error; None: not a provider failure (a bug)."""
        return classify(exc)

    # -- the retry loop --------------------------------------------------------------------------

    async def _generate(self, task: GenerationTask[T]) -> ProviderResult[T]:
        started = time.perf_counter()
        failures: list[Failure] = []
        usage = Usage()
        mode = self._output_mode()

        async def attempt() -> T:
            """One request: exactly one HTTP call (see the module docstring)."""
            nonlocal usage
            try:
                response = await self._respond(self._shared_model(), task, mode)
                usage = usage + usage_of(response, self.prices, self._model_name)
                return read_output(response, task.output_type, mode)
            except Exception as exc:
                failure = self._classify(exc)
                if failure is None:
                    raise
                failure = replace(failure, summary=self._redact(failure.summary))
                failures.append(failure)
                raise _AttemptFailed(failure) from exc

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.policy.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(lambda e: isinstance(e, _AttemptFailed) and e.failure.retryable),
            sleep=self._sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            output = await retrying(attempt)
        except _AttemptFailed as exc:
            raise self._failed(task, failures, exc.failure, usage) from None
        if not isinstance(output, task.output_type):  # pydantic-ai validated it; this guards the contract
            detail = {"attempts": len(failures) + 1, "last_error_kind": "invalid_output", "provider": self.id}
            raise ProviderFailed(
                f"{self.label} returned {type(output).__name__}, not {task.output_type}", [detail]
            )
        return ProviderResult(
            output=output,
            provider=self.id,
            model=self.model,
            usage=usage,
            attempts=len(failures) + 1,
            latency_s=round(time.perf_counter() - started, 4),
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = exc.failure.retry_after if isinstance(exc, _AttemptFailed) else None
        return self.policy.delay(state.attempt_number, after, self._rng.random())

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        kind = exc.failure.kind if isinstance(exc, _AttemptFailed) else "unknown"
        sleep = state.next_action.sleep if state.next_action else 0.0
        attempts = f"{state.attempt_number}/{self.policy.max_attempts}"
        logger.warning("llm %s attempt %s failed (%s); retrying in %.2fs", self.id, attempts, kind, sleep)

    def _failed(
        self, task: GenerationTask[Any], failures: list[Failure], last: Failure, usage: Usage | None = None
    ) -> ProviderFailed:
        """The failure after the last attempt; `usage`: what the answers it rejected were billed."""
        attempts = len(failures)
        why = "retries exhausted" if last.retryable else "not retryable"
        message = (
            f"{self.label} ({self.model} at {mask_url(self.endpoint)}) could not produce {task.module} "
            f"after {attempts} attempt{'s' * (attempts != 1)} ({why}): {last.summary}"
        )
        return ProviderFailed(
            self._redact(message),
            [
                {
                    "attempts": attempts,
                    "last_error_kind": last.kind,
                    "error_kinds": [f.kind for f in failures],
                    "provider": self.id,
                    "model": self.model,
                    "usage": (usage or Usage()).model_dump(),
                }
            ],
        )

    def _redact(self, text: str) -> str:
        key = self.api_key
        return text.replace(key, "***") if key else text

    # -- probing ---------------------------------------------------------------------------------

    def _probe(self) -> tuple[bool, str]:
        url, headers = self._probe_request()
        try:
            response = httpx2.get(url, headers=headers, timeout=min(5.0, self.timeout_s))
        except httpx2.HTTPError as exc:
            return False, f"cannot reach {mask_url(url)}: {type(exc).__name__}"
        if response.is_success:
            return True, f"{mask_url(url)} answered HTTP {response.status_code}"
        hint = " (check AICMO_LLM_API_KEY)" if response.status_code in (401, 403) else ""
        return False, f"{mask_url(url)} answered HTTP {response.status_code}{hint}"
