"""The embedded default: the generator's own deterministic planner. No key, no network, no cost."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from pydantic import BaseModel

from aicmo.adapters.llm.base import GenerationTask, LLMStatus, Provider, ProviderResult, Usage

if TYPE_CHECKING:
    from aicmo.config import Settings

T = TypeVar("T", bound=BaseModel)

OFFLINE_MODEL = "aicmo-offline-planner-v1"
ENABLE_HINT = (
    "To use an LLM, set AICMO_LLM_PROVIDER=openai, AICMO_LLM_BASE_URL and AICMO_LLM_MODEL "
    "(or AICMO_LLM_PROVIDER=anthropic with AICMO_LLM_API_KEY and AICMO_LLM_MODEL)."
)


class OfflineProvider(Provider):
    id: ClassVar[str] = "offline"

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> Self:
        return cls()

    @property
    def model(self) -> str:
        return OFFLINE_MODEL

    def generate(self, task: GenerationTask[T]) -> ProviderResult[T]:
        started = time.perf_counter()
        output = task.offline()
        return ProviderResult(
            output=output,
            provider=self.id,
            model=self.model,
            usage=Usage(),
            attempts=1,
            latency_s=round(time.perf_counter() - started, 4),
        )

    def status(self, *, probe: bool = False) -> LLMStatus:
        return LLMStatus(
            provider=self.id,
            state="offline",
            model=self.model,
            detail=f"Offline planner: deterministic, no network. {ENABLE_HINT}",
        )
