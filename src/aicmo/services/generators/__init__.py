"""Generators, one per module. `get_generator(module)` is the only lookup the rest of AICMO uses.

Each module of the registry (`domain.modules`) has its generator in `generators/<module>.py`: the
one concrete `Generator` subclass there whose `module` is that module. Nothing else lists them.
"""

from __future__ import annotations

import importlib
import inspect

from aicmo.domain.modules import Module
from aicmo.services.generators._upstream import register_offline_planners
from aicmo.services.generators.base import GenerationInputs, Generator


def _load(module: Module) -> Generator:
    source = importlib.import_module(f"{__name__}.{module.value}")
    found = [
        obj
        for obj in vars(source).values()
        if inspect.isclass(obj)
        and issubclass(obj, Generator)
        and not inspect.isabstract(obj)
        and getattr(obj, "module", None) is module
    ]
    if len(found) != 1:
        raise LookupError(f"{source.__name__} must define one Generator for {module.value}, found {found}")
    return found[0]()


GENERATORS: dict[Module, Generator] = {module: _load(module) for module in Module}
register_offline_planners({module: generator.plan_offline for module, generator in GENERATORS.items()})


def get_generator(module: Module | str) -> Generator:
    """The generator for `module` (a Module or its value); KeyError names the unknown module."""
    try:
        return GENERATORS[Module(module)]
    except ValueError as exc:
        raise KeyError(f"no generator for module {module!r}") from exc


__all__ = ["GENERATORS", "GenerationInputs", "Generator", "get_generator"]
