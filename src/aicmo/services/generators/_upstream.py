"""Reading approved upstream content from the inputs, or planning it offline when it is absent.

Generators prefer what the operator approved (it may have been amended); when an upstream is
missing (a preview, a test, a module that does not gate on it) the offline planner fills the gap
so every generator can run from the brief alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.creatives import Creatives
from aicmo.domain.schemas.execution import Execution
from aicmo.domain.schemas.strategy import Strategy
from aicmo.services.generators.base import GenerationInputs

M = TypeVar("M", bound=BaseModel)


def upstream(inputs: GenerationInputs, module: Module, model: type[M], fallback: Callable[[], M]) -> M:
    value: Any = inputs.upstream.get(module)
    if isinstance(value, model):
        return value
    if value is not None:
        try:
            data = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
            return model.model_validate(data)
        except ValidationError:
            pass
    return fallback()


def strategy_of(inputs: GenerationInputs) -> Strategy:
    from aicmo.services.generators.strategy import StrategyGenerator

    return upstream(inputs, Module.STRATEGY, Strategy, lambda: StrategyGenerator().plan_offline(inputs))


def creatives_of(inputs: GenerationInputs) -> Creatives:
    from aicmo.services.generators.creatives import CreativesGenerator

    return upstream(inputs, Module.CREATIVES, Creatives, lambda: CreativesGenerator().plan_offline(inputs))


def execution_of(inputs: GenerationInputs) -> Execution:
    from aicmo.services.generators.execution import ExecutionGenerator

    return upstream(inputs, Module.EXECUTION, Execution, lambda: ExecutionGenerator().plan_offline(inputs))


def with_upstream(inputs: GenerationInputs, module: Module, content: BaseModel) -> GenerationInputs:
    """`inputs` with `content` added as an approved upstream (used to chain offline fallbacks)."""
    merged = {**dict(inputs.upstream), module: content}
    return GenerationInputs(
        intake=inputs.intake,
        window_start=inputs.window_start,
        window_end=inputs.window_end,
        upstream=merged,
        insights=inputs.insights,
        extra=inputs.extra,
    )
