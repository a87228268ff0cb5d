"""The ledger's writer and the recording provider, without a database: every call (answered,
failed, or started ahead and answered on another thread) reaches the ledger, under the scope its
caller opened, before its answer reaches the caller."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from tests.fakes import FakeUnitOfWork
from tests.unit.services.test_prefetch import Answer, HeldProvider, task

from aicmo.adapters.llm.base import GenerationTask, ProviderResult, Usage
from aicmo.adapters.llm.recording import RecordingProvider
from aicmo.domain.errors import ProviderFailed
from aicmo.domain.provider_calls import CallKind, CallScope, ProviderCall, call_scope
from aicmo.services import provider_calls


class BilledProvider(HeldProvider):
    """Answers with usage, or fails like a remote provider after its retries."""

    fail = False

    def generate(self, task: GenerationTask[Any]) -> ProviderResult[Any]:
        if self.fail:
            usage = Usage(requests=1, input_tokens=40, output_tokens=9, cost_usd=0.0002).model_dump()
            raise ProviderFailed("gave up", [{"attempts": 3, "provider": self.id, "usage": usage}])
        usage = Usage(requests=1, input_tokens=100, output_tokens=20, cost_usd=0.0005)
        return ProviderResult(Answer(text="now"), self.id, self.model, usage=usage, attempts=2)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.provider_calls.jobs["job_1"] = ("cl_9", "en_9")
    return fake


def wait_for(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def recording(uow: FakeUnitOfWork, inner: HeldProvider) -> RecordingProvider:
    return RecordingProvider(inner, partial(provider_calls.record, lambda: uow))


def test_an_answered_call_is_recorded_with_its_requests_tokens_and_scope(uow: FakeUnitOfWork) -> None:
    provider = recording(uow, BilledProvider())
    scope = CallScope(CallKind.GENERATE, "cl_1", "en_1", actor="op", trace_id="t1")
    with call_scope(scope):
        provider.generate(task("positioning"))
    (call,) = uow.provider_calls.calls
    assert (call.scope, call.ok, call.module, call.provider, call.model) == (
        scope,
        True,
        "strategy",
        "held",
        "held-model",
    )
    assert (call.requests, call.input_tokens, call.output_tokens, call.cost_usd) == (2, 100, 20, 0.0005)
    assert call.started_at <= call.finished_at and not call.pending
    assert uow.commits == 2  # as it started, and as it ended


def test_a_failed_call_is_recorded_with_what_its_rejected_answers_were_billed(uow: FakeUnitOfWork) -> None:
    inner = BilledProvider()
    inner.fail = True
    with pytest.raises(ProviderFailed):
        recording(uow, inner).generate(task("positioning"))
    (call,) = uow.provider_calls.calls
    assert (call.ok, call.requests, call.input_tokens, call.error) == (False, 3, 40, "gave up")
    assert call.scope.kind is CallKind.OTHER  # nobody opened a scope: recorded all the same


def test_a_call_started_ahead_is_recorded_before_its_caller_sees_the_answer(uow: FakeUnitOfWork) -> None:
    inner = HeldProvider()
    provider = recording(uow, inner)
    with call_scope(CallScope(CallKind.PLAN_JOB, job_id="job_1")):
        future = provider.submit(task("messaging"))
    assert future is not None and not future.done()
    wait_for(lambda: [c.pending for c in uow.provider_calls.calls] == [True])  # in flight: unfinished
    inner.answer(0)
    assert future.result(timeout=5).output.text == "ahead: messaging"
    (call,) = uow.provider_calls.calls  # written by the recorder's thread before the future completed
    assert (call.ahead, call.ok, call.scope.job_id) == (True, True, "job_1")
    assert (call.scope.client_id, call.scope.engagement_id) == ("cl_9", "en_9")  # from its job
    provider.close()


def test_a_call_is_in_the_ledger_before_its_first_request_goes_out(uow: FakeUnitOfWork) -> None:
    """So a process killed while its provider works leaves the call behind, unfinished."""

    class Killed(BilledProvider):
        def generate(self, task: GenerationTask[Any]) -> ProviderResult[Any]:
            (row,) = uow.provider_calls.calls  # the start is recorded before the request goes out
            assert (row.pending, row.requests) == (True, 1)
            raise KeyboardInterrupt  # stands in for the process dying: nothing after this runs

    provider = RecordingProvider(Killed(), partial(provider_calls.record, lambda: uow))
    with pytest.raises(KeyboardInterrupt):
        provider.generate(task("positioning"))


def test_a_ledger_that_cannot_be_written_never_costs_the_caller_its_answer() -> None:
    def broken(call: ProviderCall) -> None:
        raise RuntimeError("database unreachable")

    provider = RecordingProvider(BilledProvider(), broken)
    assert provider.generate(task("positioning")).output.text == "now"
