"""The provider interface every generator backend implements (offline, openai, anthropic).

A generator describes one call as a `GenerationTask`: prompts, the pydantic type the answer must
validate against, and the deterministic offline planner for the same inputs. A provider turns the
task into a validated `output` plus usage, or raises `ProviderFailed` — never invented content.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

from pydantic import BaseModel

from aicmo.domain.schemas.system import LLMStatus as LLMStatus  # the status schema is the domain's

if TYPE_CHECKING:
    from aicmo.config import Settings

T = TypeVar("T", bound=BaseModel)


class Usage(BaseModel):
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            requests=self.requests + other.requests,
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cost_usd=round(self.cost_usd + other.cost_usd, 6),
        )


@dataclass(frozen=True)
class GenerationTask(Generic[T]):
    module: str
    system: str
    prompt: str
    output_type: type[T]
    offline: Callable[[], T]
    prompt_version: str = "v1"


@dataclass(frozen=True)
class ProviderResult(Generic[T]):
    output: T
    provider: str
    model: str
    usage: Usage = field(default_factory=Usage)
    attempts: int = 1
    latency_s: float = 0.0


class Provider(ABC):
    """One LLM backend. Every provider answers with schema-validated output (`GenerationTask`
    carries the output type); none streams or calls tools, so there are no capability flags."""

    id: ClassVar[str]

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> Self:
        """The provider `settings` describe (the registry builds every provider this way)."""
        raise NotImplementedError(f"{cls.__name__} is not built from settings")

    @property
    @abstractmethod
    def model(self) -> str: ...

    @abstractmethod
    def generate(self, task: GenerationTask[T]) -> ProviderResult[T]:
        """Return a validated answer for `task` or raise `domain.errors.ProviderFailed`."""

    def submit(self, task: GenerationTask[T]) -> Future[ProviderResult[T]] | None:
        """Start `generate(task)` in the background and return its future, for a caller that
        will need the answer soon; None when this provider answers only in the caller's thread
        (the offline planner: it is as fast as a lookup)."""
        return None

    @abstractmethod
    def status(self, *, probe: bool = False) -> LLMStatus:
        """Configuration state; with `probe`, also try to reach the endpoint."""

    def warm_up(self, output_types: Iterable[type[BaseModel]] = ()) -> None:
        """Get ready for calls answering `output_types` (clients, schemas) before the first job
        needs them; a worker calls this once at start-up. Nothing to do by default."""
        return None
