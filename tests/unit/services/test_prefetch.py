"""The worker's provider calls: answers started ahead are used only for the identical request, and
calls started ahead share the call limit with the jobs' own calls."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any

import pytest
from pydantic import BaseModel

from aicmo.adapters.llm.base import GenerationTask, LLMStatus, Provider, ProviderResult
from aicmo.services.prefetch import Prefetcher


class Answer(BaseModel):
    text: str


class HeldProvider(Provider):
    """`submit` hands out futures the test completes; `generate` answers at once. Records both."""

    id = "held"

    def __init__(self, *, can_submit: bool = True) -> None:
        self.can_submit = can_submit
        self.submitted: list[tuple[str, Future[ProviderResult[Any]]]] = []
        self.generated: list[str] = []

    @property
    def model(self) -> str:
        return "held-model"

    def generate(self, task: GenerationTask[Any]) -> ProviderResult[Any]:
        self.generated.append(task.prompt)
        return ProviderResult(Answer(text=f"now: {task.prompt}"), self.id, self.model)

    def submit(self, task: GenerationTask[Any]) -> Future[ProviderResult[Any]] | None:
        if not self.can_submit:
            return None
        future: Future[ProviderResult[Any]] = Future()
        self.submitted.append((task.prompt, future))
        return future

    def status(self, *, probe: bool = False) -> LLMStatus:
        return LLMStatus(provider=self.id, state="configured")

    def answer(self, index: int) -> None:
        prompt, future = self.submitted[index]
        future.set_result(ProviderResult(Answer(text=f"ahead: {prompt}"), self.id, self.model))


def task(prompt: str, system: str = "system") -> GenerationTask[Answer]:
    return GenerationTask("strategy", system, prompt, Answer, offline=lambda: Answer(text="offline"))


def test_a_job_takes_the_answer_started_for_its_exact_request_once() -> None:
    provider, calls = HeldProvider(), Prefetcher(4)
    assert calls.start(provider, task("positioning"))
    provider.answer(0)

    assert calls.call(provider, task("positioning")).output.text == "ahead: positioning"
    # taken once: the same request again is a call of its own
    assert calls.call(provider, task("positioning")).output.text == "now: positioning"
    assert provider.generated == ["positioning"]
    assert (calls.started, calls.used) == (1, 1)


@pytest.mark.parametrize(
    "other",
    [task("positioning, amended"), task("positioning", system="another system")],
    ids=["prompt", "system"],
)
def test_a_different_request_never_gets_an_answer_started_for_another(other: GenerationTask[Answer]) -> None:
    provider, calls = HeldProvider(), Prefetcher(4)
    calls.start(provider, task("positioning"))
    provider.answer(0)

    assert calls.call(provider, other).output.text.startswith("now: ")
    assert calls.used == 0 and len(calls) == 1


def test_the_same_request_is_started_once_and_another_provider_does_not_share_it() -> None:
    provider, other_provider, calls = HeldProvider(), HeldProvider(), Prefetcher(4)
    assert calls.start(provider, task("pillars"))
    assert calls.start(provider, task("pillars"))
    assert len(provider.submitted) == 1
    provider.answer(0)
    assert calls.call(other_provider, task("pillars")).output.text == "now: pillars"


def test_calls_started_ahead_stay_within_the_call_limit() -> None:
    provider, calls = HeldProvider(), Prefetcher(2)
    assert calls.start(provider, task("a"))
    assert calls.start(provider, task("b"))
    assert not calls.start(provider, task("c")), "both call slots are taken"
    provider.answer(0)  # a call completing frees its slot, taken or not
    assert calls.start(provider, task("c"))
    assert [prompt for prompt, _ in provider.submitted] == ["a", "b", "c"]


def test_a_job_calling_now_waits_for_a_slot_held_by_a_call_started_ahead() -> None:
    provider, calls = HeldProvider(), Prefetcher(1)
    calls.start(provider, task("ahead"))
    done = threading.Event()
    worker = threading.Thread(target=lambda: (calls.call(provider, task("now")), done.set()))
    worker.start()
    assert not done.wait(0.2), "the only call slot is held by the call started ahead"
    provider.answer(0)
    assert done.wait(5)
    worker.join()
    assert provider.generated == ["now"]


def test_a_provider_without_background_calls_starts_nothing_and_keeps_its_slot() -> None:
    provider, calls = HeldProvider(can_submit=False), Prefetcher(1)
    assert not calls.start(provider, task("a"))
    assert not calls.start(provider, task("b"))
    assert calls.call(provider, task("a")).output.text == "now: a"
    assert calls.started == 0


def test_a_failed_call_started_ahead_fails_the_job_that_takes_it() -> None:
    provider, calls = HeldProvider(), Prefetcher(1)
    calls.start(provider, task("a"))
    provider.submitted[0][1].set_exception(RuntimeError("provider down"))
    with pytest.raises(RuntimeError, match="provider down"):
        calls.call(provider, task("a"))
    # the engine retries the job: its next attempt calls again
    assert calls.call(provider, task("a")).output.text == "now: a"


def test_answers_nobody_takes_expire() -> None:
    provider, calls = HeldProvider(), Prefetcher(2, ttl_s=0.0)
    calls.start(provider, task("a"))
    provider.answer(0)
    calls.start(provider, task("b"))  # starting another drops what has waited too long
    assert calls.call(provider, task("a")).output.text == "now: a"


def test_a_provider_failing_to_start_a_call_gives_its_slot_back() -> None:
    class Broken(HeldProvider):
        def submit(self, task: GenerationTask[Any]) -> Future[ProviderResult[Any]] | None:
            raise RuntimeError("loop closed")

    calls = Prefetcher(1)
    with pytest.raises(RuntimeError):
        calls.start(Broken(), task("a"))
    provider = HeldProvider()
    assert calls.start(provider, task("b")), "the slot is free again"
