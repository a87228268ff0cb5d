"""How many jobs a worker runs at once: sized from the plan's widest fan-out, within the provider's
rate limit (SPEC §5), and the growable slots and rate window that hold a worker to it.

A plan's jobs run as soon as their dependencies are done, so the most that can ever be ready at
once is the widest level of its as-soon-as-possible schedule (`widest_fan_out`): the posts batches
of the execution module beside its reel scripts, 13 for the coffee sample; a finishing level still
holds slots while the next starts (`most_in_flight`, 16). More slots than that buy nothing; fewer
make ready jobs queue behind each other and stretch the makespan. The provider's
rate limit caps it (`concurrency_for`), and `RateWindow` keeps the calls of any minute within it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable
from itertools import pairwise
from typing import Protocol

MAX_CONCURRENCY = 64
DEFAULT_CONCURRENCY = 4  # before a worker has seen a plan
EXPECTED_CALL_S = 10.0  # a structured-output LLM call, to turn requests per minute into calls in flight


class Dependent(Protocol):
    key: str

    @property
    def depends_on(self) -> Iterable[str]: ...


def _level_widths(jobs: Iterable[Dependent]) -> list[int]:
    """How many jobs sit at each level of the as-soon-as-possible schedule (level = longest chain
    of dependencies above the job), from the first level down."""
    by_key = {j.key: j for j in jobs}
    level: dict[str, int] = {}

    def depth(key: str) -> int:
        if key not in level:
            level[key] = 0  # a cycle (never planned) counts as no dependency, not a recursion
            deps = [d for d in by_key[key].depends_on if d in by_key]
            level[key] = 1 + max((depth(d) for d in deps), default=0)
        return level[key]

    widths: dict[int, int] = {}
    for key in by_key:
        widths[depth(key)] = widths.get(depth(key), 0) + 1
    return [widths[n] for n in sorted(widths)]


def widest_fan_out(jobs: Iterable[Dependent]) -> int:
    """The most jobs of the plan that can be ready at once: the widest level when every job
    starts as soon as its dependencies are done."""
    return max(_level_widths(jobs), default=1)


def most_in_flight(jobs: Iterable[Dependent]) -> int:
    """The most jobs of the plan that can hold a runner slot at once: two adjacent levels. A job
    keeps its slot after its call returns, while it stores its part, so the last jobs of one
    level are still finishing when the first of the next are ready (the coffee sample's calendar,
    e-mail and hashtag jobs beside its 13 posts and reel jobs: 16). Sized to the widest level
    alone, the last two posts jobs waited for a slot and the plan lost half a call's time."""
    widths = _level_widths(jobs)
    return max((a + b for a, b in pairwise(widths)), default=max(widths, default=1))


def concurrency_for(width: int, rate_limit_rpm: int, *, call_s: float = EXPECTED_CALL_S) -> int:
    """Slots for a plan whose widest fan-out is `width`: all of it, unless the provider's rate
    limit (requests per minute) cannot keep that many calls of about `call_s` in flight."""
    by_rate = max(1, int(rate_limit_rpm * call_s / 60))
    return max(1, min(width, by_rate, MAX_CONCURRENCY))


class Slots:
    """A counting semaphore whose capacity can grow (never shrink) while it is held."""

    def __init__(self, capacity: int) -> None:
        self._cond = threading.Condition()
        self.capacity = capacity
        self.used = 0

    def grow_to(self, capacity: int) -> bool:
        """Raise the capacity to `capacity`; True when it grew."""
        with self._cond:
            if capacity <= self.capacity:
                return False
            self.capacity = capacity
            self._cond.notify_all()
            return True

    def acquire(self, blocking: bool = True) -> bool:
        with self._cond:
            while self.used >= self.capacity:
                if not blocking:
                    return False
                self._cond.wait()
            self.used += 1
            return True

    def release(self) -> None:
        with self._cond:
            self.used -= 1
            self._cond.notify()

    def __enter__(self) -> Slots:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


class RateWindow:
    """At most `per_minute` starts in any 60 s: `wait` blocks until one more fits."""

    def __init__(self, per_minute: int, *, clock=time.monotonic, sleep=time.sleep) -> None:
        self.per_minute = per_minute
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()
        self._clock, self._sleep = clock, sleep

    def wait(self) -> None:
        while (delay := self._start()) > 0:
            self._sleep(delay)

    def try_start(self) -> bool:
        """Count a start now if one fits, without waiting."""
        return self._start() == 0

    def _start(self) -> float:
        """Count a start now if one fits (0.0), else how long until one does."""
        with self._lock:
            now = self._clock()
            while self._starts and now - self._starts[0] >= 60.0:
                self._starts.popleft()
            if len(self._starts) < self.per_minute:
                self._starts.append(now)
                return 0.0
            return max(60.0 - (now - self._starts[0]), 0.001)
