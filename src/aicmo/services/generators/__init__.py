"""Generators, one per module. `get_generator(module)` is the only lookup the rest of AICMO uses."""

from __future__ import annotations

from aicmo.domain.artifacts import Module
from aicmo.services.generators.autonomy import AutonomyGenerator
from aicmo.services.generators.base import GenerationInputs, Generator
from aicmo.services.generators.creatives import CreativesGenerator
from aicmo.services.generators.delivery import DeliveryGenerator
from aicmo.services.generators.execution import ExecutionGenerator
from aicmo.services.generators.intake import IntakeGenerator
from aicmo.services.generators.leadgen import LeadGenGenerator
from aicmo.services.generators.learn import LearnGenerator
from aicmo.services.generators.monitoring import MonitoringGenerator
from aicmo.services.generators.strategy import StrategyGenerator

GENERATORS: dict[Module, Generator] = {
    Module.INTAKE: IntakeGenerator(),
    Module.STRATEGY: StrategyGenerator(),
    Module.CREATIVES: CreativesGenerator(),
    Module.EXECUTION: ExecutionGenerator(),
    Module.MONITORING: MonitoringGenerator(),
    Module.LEADGEN: LeadGenGenerator(),
    Module.AUTONOMY: AutonomyGenerator(),
    Module.DELIVERY: DeliveryGenerator(),
    Module.LEARN: LearnGenerator(),
}


def get_generator(module: Module | str) -> Generator:
    """The generator for `module` (a Module or its value); KeyError names the unknown module."""
    try:
        return GENERATORS[Module(module)]
    except ValueError as exc:
        raise KeyError(f"no generator for module {module!r}") from exc


__all__ = ["GENERATORS", "GenerationInputs", "Generator", "get_generator"]
