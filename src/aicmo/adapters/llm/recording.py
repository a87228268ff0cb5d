"""The provider the application uses: the configured one, with every call written to the ledger.

`bootstrap.App.provider` wraps the configured provider in `RecordingProvider`, so no call path can
skip the ledger: each `generate` and each call started ahead (`submit`) is handed to `record` (the
ledger's writer, `services.provider_calls.record`, which commits in its own transaction) as a
`domain.provider_calls.ProviderCall` as it starts (unfinished: a process killed mid-call leaves it
so) and again when it returns or fails, before its answer reaches the caller. A job that crashes
after its provider answered still leaves its call in the ledger.

Calls started ahead are recorded on one writer thread, never on the provider's event loop (a
database write there would stall every call in flight); the future the caller holds completes only
once the call is recorded.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from aicmo.adapters.llm.base import GenerationTask, LLMStatus, Provider, ProviderResult
from aicmo.domain.errors import ProviderFailed
from aicmo.domain.provider_calls import ProviderCall, current_call_scope

T = TypeVar("T", bound=BaseModel)
Record = Callable[[ProviderCall], None]
log = logging.getLogger("aicmo.ledger")


class RecordingProvider(Provider):
    """`inner`, with each call passed to `record` once it has returned or failed."""

    id = "recording"  # replaced per instance by the inner provider's id

    def __init__(self, inner: Provider, record: Record) -> None:
        self.inner = inner
        self.id = inner.id  # type: ignore[misc]
        self._record = record
        self._writer: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        return self.inner.model

    def generate(self, task: GenerationTask[T]) -> ProviderResult[T]:
        call = self._starting(task, ahead=False)
        self._write(call.started())
        try:
            result = self.inner.generate(task)
        except BaseException as exc:
            self._write(_failed(call, exc))
            raise
        self._write(_answered(call, result))
        return result

    def submit(self, task: GenerationTask[T]) -> Future[ProviderResult[T]] | None:
        call = self._starting(task, ahead=True)
        inner = self.inner.submit(task)
        if inner is None:
            return None  # nothing was started: the caller will call `generate`
        writer = self._writer_pool()
        writer.submit(self._write, call.started())  # one writer thread: written before the ending
        recorded: Future[ProviderResult[T]] = Future()
        recorded.set_running_or_notify_cancel()

        def on_done(done: Future[ProviderResult[T]]) -> None:
            writer.submit(self._record_ahead, call, done, recorded)

        inner.add_done_callback(on_done)
        return recorded

    def _starting(self, task: GenerationTask[Any], *, ahead: bool) -> ProviderCall:
        now = _now()
        return ProviderCall(
            id=_call_id(),
            scope=current_call_scope(),
            module=task.module,
            provider=self.inner.id,
            model=self.inner.model,
            started_at=now,
            finished_at=now,
            ok=False,
            ahead=ahead,
        )

    def _record_ahead(
        self, call: ProviderCall, done: Future[ProviderResult[T]], recorded: Future[ProviderResult[T]]
    ) -> None:
        exc = done.exception()
        try:
            self._write(_answered(call, done.result()) if exc is None else _failed(call, exc))
        finally:
            if exc is None:
                recorded.set_result(done.result())
            else:
                recorded.set_exception(exc)

    def _write(self, call: ProviderCall) -> None:
        try:
            self._record(call)
        except Exception:  # the call was made and paid: never lose its answer over the ledger
            log.error("could not record provider call %s in the ledger: %r", call.id, call, exc_info=True)

    def _writer_pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._writer is None:
                self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aicmo-ledger")
            return self._writer

    def status(self, *, probe: bool = False) -> LLMStatus:
        return self.inner.status(probe=probe)

    def warm_up(self, output_types: Iterable[type[BaseModel]] = ()) -> None:
        self.inner.warm_up(output_types)

    def close(self) -> None:
        getattr(self.inner, "close", lambda: None)()
        with self._lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.shutdown(wait=True)


def _now() -> datetime:
    return datetime.now(UTC)


def _call_id() -> str:
    return f"call_{uuid.uuid4().hex[:24]}"


def _answered(call: ProviderCall, result: ProviderResult[Any]) -> ProviderCall:
    usage = result.usage
    return replace(
        call,
        provider=result.provider,
        model=result.model,
        finished_at=_now(),
        ok=True,
        requests=max(result.attempts, usage.requests),
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cost_usd=usage.cost_usd,
    )


def _failed(call: ProviderCall, exc: BaseException) -> ProviderCall:
    """A failed call: the requests it made and the tokens billed for answers it rejected, when the
    provider says (`ProviderFailed.details`); an unexpected error counts as one request."""
    detail: dict[str, Any] = {}
    if isinstance(exc, ProviderFailed):
        detail = next((d for d in exc.details if isinstance(d, dict)), {})
        message = exc.message
    else:
        message = f"{type(exc).__name__}: {exc}"
    usage = detail.get("usage") or {}
    return replace(
        call,
        provider=str(detail.get("provider") or call.provider),
        model=str(detail.get("model") or call.model),
        finished_at=_now(),
        ok=False,
        requests=int(detail.get("attempts", 1)),
        input_tokens=int(usage.get("input_tokens", 0)),
        output_tokens=int(usage.get("output_tokens", 0)),
        cost_usd=float(usage.get("cost_usd", 0.0)),
        error=message[:500],
    )
