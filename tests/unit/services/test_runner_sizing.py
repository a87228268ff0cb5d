"""Runner sizing: a plan's widest fan-out, the concurrency within a rate limit, growable slots."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from tests.conftest import SAMPLES

from aicmo.domain.plan import plan_jobs
from aicmo.domain.schemas.intake import Intake
from aicmo.services.runner_sizing import (
    MAX_CONCURRENCY,
    RateWindow,
    Slots,
    concurrency_for,
    most_in_flight,
    widest_fan_out,
)


@dataclass
class Job:
    key: str
    depends_on: tuple[str, ...] = ()


def test_a_chain_is_one_wide() -> None:
    assert widest_fan_out([Job("a"), Job("b", ("a",)), Job("c", ("b",))]) == 1


def test_a_fan_out_is_as_wide_as_its_siblings() -> None:
    jobs = [Job("root"), *(Job(f"post{i}", ("root",)) for i in range(12)), Job("reels", ("root",))]
    assert widest_fan_out(jobs) == 13


def test_a_job_waits_for_its_longest_chain() -> None:
    # d depends on a (level 1) and c (level 3): it runs at level 4, beside nothing.
    jobs = [Job("a"), Job("b", ("a",)), Job("c", ("b",)), Job("d", ("a", "c")), Job("e", ("a",))]
    assert widest_fan_out(jobs) == 2  # b and e


def test_dependencies_outside_the_plan_do_not_count() -> None:
    assert widest_fan_out([Job("a", ("gone",)), Job("b", ("gone",))]) == 2
    assert widest_fan_out([]) == 1


def test_the_sample_plans_fan_out_widest_in_execution() -> None:
    brief = json.loads((SAMPLES / "coffee_ecommerce.json").read_text())
    assert widest_fan_out(plan_jobs(Intake.model_validate(brief))) == 13


def test_a_finishing_level_holds_slots_while_the_next_starts() -> None:
    jobs = [Job("root"), Job("mail", ("root",)), *(Job(f"post{i}", ("root",)) for i in range(3))]
    jobs += [Job("summary", ("mail", "post0"))]
    assert most_in_flight(jobs) == 5  # root's level (1) + the posts and mail (4); then 4 + 1
    assert most_in_flight([Job("a"), Job("b")]) == 2  # one level: itself
    assert most_in_flight([]) == 1
    brief = json.loads((SAMPLES / "coffee_ecommerce.json").read_text())
    assert most_in_flight(plan_jobs(Intake.model_validate(brief))) == 16  # calendar, e-mail, hashtags + 13


def test_concurrency_is_the_fan_out_within_the_rate_limit() -> None:
    assert concurrency_for(13, 500) == 13
    assert concurrency_for(13, 60, call_s=10) == 10  # 60/min of 10 s calls: 10 in flight
    assert concurrency_for(13, 6, call_s=10) == 1
    assert concurrency_for(500, 100_000) == MAX_CONCURRENCY
    assert concurrency_for(0, 500) == 1


def test_slots_grow_and_wake_a_waiter() -> None:
    slots = Slots(1)
    assert slots.acquire(blocking=False)
    assert not slots.acquire(blocking=False)
    got = threading.Event()

    def waiter() -> None:
        with slots:
            got.set()

    thread = threading.Thread(target=waiter)
    thread.start()
    assert not got.wait(0.05)
    assert slots.grow_to(2) and not slots.grow_to(2) and not slots.grow_to(1)
    assert got.wait(5)
    thread.join()
    slots.release()
    assert slots.used == 0 and slots.capacity == 2


def test_the_rate_window_keeps_a_minute_within_the_limit() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    window = RateWindow(3, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        window.wait()
    assert slept == [] and not window.try_start()
    now[0] = 10.0
    window.wait()  # the fourth start waits until the first is a minute old
    assert now[0] == 60.0 and slept == [50.0]
