"""Reading approved upstream content from the inputs, or planning it offline when it is absent.

Generators prefer what the operator approved (it may have been amended); when an upstream is
missing (a preview, a test, a module that does not gate on it) the offline planner fills the gap
so every generator can run from the brief alone. Generators never import each other: the registry
(`generators/__init__.py`) hands this module every offline planner once, at import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.creatives import Creatives
from aicmo.domain.schemas.execution import Execution
from aicmo.domain.schemas.strategy import Strategy
from aicmo.services.generators.base import GenerationInputs

M = TypeVar("M", bound=BaseModel)
OfflinePlanner = Callable[[GenerationInputs], BaseModel]
_OFFLINE: dict[Module, OfflinePlanner] = {}


def register_offline_planners(planners: Mapping[Module, OfflinePlanner]) -> None:
    """Called by the generator registry: how to plan each module offline when it is missing."""
    _OFFLINE.update(planners)


def planned_offline(module: Module, model: type[M], inputs: GenerationInputs) -> M:
    content = _OFFLINE[module](inputs)
    return content if isinstance(content, model) else model.model_validate(content.model_dump(mode="json"))


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


def _of(module: Module, model: type[M], inputs: GenerationInputs) -> M:
    return upstream(inputs, module, model, lambda: planned_offline(module, model, inputs))


def strategy_of(inputs: GenerationInputs) -> Strategy:
    return _of(Module.STRATEGY, Strategy, inputs)


def creatives_of(inputs: GenerationInputs) -> Creatives:
    return _of(Module.CREATIVES, Creatives, inputs)


def execution_of(inputs: GenerationInputs) -> Execution:
    return _of(Module.EXECUTION, Execution, inputs)


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
