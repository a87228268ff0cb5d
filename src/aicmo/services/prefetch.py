"""A worker's provider calls: at most N at once, and some started before their job runs (SPEC §5).

When a job's answer arrives, a job of the same module that waited only for it is certain to run
next, and its request is already known: the module's inputs, the parts written so far and this
answer. The runner starts that request at once, before storing the answer, so the next call
overlaps this job's bookkeeping, and the calls of a fan-out go out together instead of one per
claim.

A prefetched answer is only ever used by a job whose own request is identical (same provider,
output schema and prompts: the request is the key), so it cannot differ from the answer the job
would have fetched itself. A request nobody takes (an operator edited the module in between, the
job was switched off) expires unused.

Calls started ahead count against the same limit as the jobs' own calls (the runner's
concurrency): one is started only while a call slot is free, and holds it until it completes.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from typing import Any, TypeVar

from pydantic import BaseModel

from aicmo.adapters.llm.base import GenerationTask, Provider, ProviderResult
from aicmo.services.runner_sizing import RateWindow, Slots
from aicmo.services.speculation import Assemblies

T = TypeVar("T", bound=BaseModel)
_Key = tuple[int, type, str, str, str]


def _key(provider: Provider, task: GenerationTask[Any]) -> _Key:
    return (id(provider), task.output_type, task.prompt_version, task.system, task.prompt)


class Prefetcher:
    """In-flight provider calls by request, each taken at most once, within `max_calls` at once.

    `followers`: how many of a job's followers get their call started ahead (None: all; a worker
    sharing its queue with others starts only the one it runs next itself, the others may be
    picked up elsewhere)."""

    def __init__(
        self,
        max_calls: int,
        *,
        followers: int | None = None,
        ttl_s: float = 600.0,
        rate: RateWindow | None = None,
    ) -> None:
        self.followers = followers
        self._slots = Slots(max_calls)
        self._rate = rate  # the provider's requests per minute, shared by every call of this worker
        self._ttl_s = ttl_s
        self._calls: dict[_Key, tuple[float, Future[ProviderResult[Any]]]] = {}
        self._lock = threading.Lock()
        self.assemblies = Assemblies(ttl_s)  # each module's answers, to start the next module's calls
        self.started = 0  # calls started ahead
        self.used = 0  # of which a job took the answer

    def call(self, provider: Provider, task: GenerationTask[T]) -> ProviderResult[T]:
        """The answer to `task`: from the call started ahead for it, or from a call made now
        (once a call slot is free)."""
        with self._lock:
            entry = self._calls.pop(_key(provider, task), None)
            self.used += entry is not None
        if entry is not None:
            return entry[1].result()
        with self._slots:
            if self._rate is not None:
                self._rate.wait()
            return provider.generate(task)

    def grow_to(self, max_calls: int) -> None:
        """Allow up to `max_calls` calls at once (a plan with a wider fan-out arrived)."""
        self._slots.grow_to(max_calls)

    def start(self, provider: Provider, task: GenerationTask[Any]) -> bool:
        """Start `task` in the background if a call slot is free and the same request is not in
        flight already; False when nothing was started for it."""
        key = _key(provider, task)
        with self._lock:
            self._expire(time.monotonic())
            if key in self._calls:
                return True
        if not self._slots.acquire(blocking=False):
            return False
        if self._rate is not None and not self._rate.try_start():
            self._slots.release()
            return False
        try:
            future = provider.submit(task)
        except BaseException:
            self._slots.release()
            raise
        if future is None:
            self._slots.release()
            return False
        future.add_done_callback(lambda _done: self._slots.release())
        with self._lock:
            self._calls.setdefault(key, (time.monotonic(), future))
            self.started += 1
        return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._calls)

    def _expire(self, now: float) -> None:
        for key in [k for k, (at, _) in self._calls.items() if now - at > self._ttl_s]:
            del self._calls[key]
