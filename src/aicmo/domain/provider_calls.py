"""Every provider call, as the cost ledger records it (issue 18): what was asked, for whom, what it cost.

A `ProviderCall` is written by the provider wrapper the composition root puts around the configured
provider (`adapters.llm.recording`), in its own transaction, as the call starts (unfinished) and again
as soon as it returns or fails - whatever then happens to the transaction of the job or request it
served, or to the process making it. So a call whose job
crashed before committing, a call started ahead for a job that never ran, and an LLM review of a
brief are all in the ledger.

Who a call serves is the `CallScope` its caller opened around it (`call_scope`): the engagement (or
the plan job, whose engagement the recorder looks up), the request's trace id, who asked and why.
The scope is read in the caller's thread when the call starts, so a call started ahead and
answered on another thread keeps the scope of the job that started it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum


class CallKind(StrEnum):
    """Why a call was made (a ledger line's `kind`)."""

    GENERATE = "generate"  # POST /{module}/generate, the CLI pipeline, onboarding
    PLAN_JOB = "plan_job"  # a generation plan's job, or a call a job started ahead for the next ones
    BRIEF_REVIEW = "brief_review"  # POST /intake/validate with review: true
    OTHER = "other"  # a call nobody opened a scope for (still recorded)


@dataclass(frozen=True)
class CallScope:
    kind: CallKind = CallKind.OTHER
    client_id: str | None = None
    engagement_id: str | None = None
    job_id: str | None = None  # the plan job whose run made (or started ahead) the call
    actor: str = ""
    trace_id: str = ""


@dataclass(frozen=True)
class ProviderCall:
    """One provider call: one `generate`, or one call started ahead (`ahead`), retries included
    (`requests` counts the HTTP requests it made, as the provider's bill does)."""

    id: str
    scope: CallScope
    module: str
    provider: str
    model: str
    started_at: datetime
    finished_at: datetime
    ok: bool
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    ahead: bool = False
    error: str = ""
    pending: bool = False  # written as the call starts; the same id is written again when it ends

    def started(self) -> ProviderCall:
        """This call as recorded before its first request goes out: one request, no answer yet.
        A process killed mid-call leaves it so, and the ledger counts it as unfinished."""
        return replace(self, ok=False, pending=True, requests=1, finished_at=self.started_at)


_scope: ContextVar[CallScope | None] = ContextVar("aicmo_call_scope", default=None)


def current_call_scope() -> CallScope:
    return _scope.get() or CallScope()


@contextmanager
def call_scope(scope: CallScope | None = None, **fields: object) -> Iterator[CallScope]:
    """Attribute the provider calls made (or started) inside the block to `scope`, or to the
    current scope with `fields` replaced."""
    opened = replace(scope or current_call_scope(), **fields)  # type: ignore[arg-type]
    token = _scope.set(opened)
    try:
        yield opened
    finally:
        _scope.reset(token)
