"""What every generator is: typed inputs in, typed content plus Markdown out.

A generator never talks to a database or a provider. It builds a `GenerationTask` (prompts and
the offline planner for the same inputs), renders content as Markdown and deliverables, and
repairs what the quality gates can fix mechanically.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from aicmo.adapters.llm.base import GenerationTask
from aicmo.domain.artifacts import Module
from aicmo.domain.hashing import canonical_json
from aicmo.domain.schemas.envelope import Deliverable
from aicmo.domain.schemas.intake import Intake
from aicmo.services.generators._brains import strategist_notes

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class GenerationInputs:
    """Everything a generator may read: the approved intake and approved upstream content."""

    intake: Intake
    window_start: date
    window_end: date
    upstream: Mapping[Module, BaseModel] = field(default_factory=dict)
    insights: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def for_intake(cls, intake: Intake, **kwargs: Any) -> GenerationInputs:
        start = intake.start_date or date.today()
        end = start + timedelta(weeks=intake.duration_weeks) - timedelta(days=1)
        return cls(intake=intake, window_start=start, window_end=end, **kwargs)


class Generator(ABC, Generic[T]):
    module: ClassVar[Module]
    output_type: ClassVar[type[BaseModel]]
    prompt_version: ClassVar[str] = "v1"
    # False when the output is computed (from the brief, the plan or imported numbers) and an LLM
    # would add nothing but the risk of invented facts: the offline planner is always used.
    uses_llm: ClassVar[bool] = True

    @abstractmethod
    def plan_offline(self, inputs: GenerationInputs) -> T:
        """Deterministic content written from the brief, no network."""

    @abstractmethod
    def render_markdown(self, content: T) -> str: ...

    def deliverables(self, content: T) -> list[Deliverable]:
        """One deliverable by default; generators with sections override."""
        return [
            Deliverable(
                id=f"{self.module.value}",
                title=self.module.value.title(),
                content_markdown=self.render_markdown(content),
                data=content.model_dump(mode="json"),
            )
        ]

    def repair(self, content: T, inputs: GenerationInputs) -> T:
        """Fix what the quality gates can fix mechanically; default: nothing."""
        return content

    def system_prompt(self, inputs: GenerationInputs) -> str:
        intake = inputs.intake
        return (
            f"You are a senior agency marketing strategist writing for {intake.client_name}. Write "
            "specific, concrete content grounded in the brief; never placeholders. Tone: "
            f"{intake.tone_voice}. Never use these words: {', '.join(intake.banned_words) or 'none'}.\n"
            f"What the strategist read from the brief:\n{strategist_notes(intake)}"
        )

    def user_prompt(self, inputs: GenerationInputs) -> str:
        """The instruction line, then the inputs as canonical JSON (see `inputs_payload`)."""
        payload = canonical_json(inputs_payload(self.module, inputs))
        return f"Produce the {self.module.value} as JSON matching the schema.\n{payload}"

    def task(self, inputs: GenerationInputs) -> GenerationTask[T]:
        return GenerationTask(
            module=self.module.value,
            system=self.system_prompt(inputs),
            prompt=self.user_prompt(inputs),
            output_type=self.output_type,  # type: ignore[arg-type]
            offline=lambda: self.plan_offline(inputs),
            prompt_version=self.prompt_version,
        )


def inputs_payload(module: Module, inputs: GenerationInputs) -> dict[str, Any]:
    """The JSON form of a generator's inputs: the prompt carries it, and its hash is inputs_hash."""
    return {
        "module": module.value,
        "brief": inputs.intake.model_dump(mode="json"),
        "window": [inputs.window_start.isoformat(), inputs.window_end.isoformat()],
        "approved_upstream": {m.value: c.model_dump(mode="json") for m, c in sorted(inputs.upstream.items())},
        "insights": list(inputs.insights),
        "extra": dict(inputs.extra),
    }
