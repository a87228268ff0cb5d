"""Complete, valid content for modules written by the offline generators from one brief, with no
database: what the self-test types in by hand, and what tests use as hand-made content."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aicmo.domain.artifacts import UPSTREAMS, Module, topological_order
from aicmo.domain.errors import Invalid
from aicmo.domain.intake_rules import normalise_intake, validate_intake
from aicmo.services.generators import get_generator
from aicmo.services.generators.base import GenerationInputs
from aicmo.services.inputs import inputs_from_contents


def offline_contents(brief: Mapping[str, Any], modules: Iterable[Module]) -> dict[str, dict[str, Any]]:
    """The intake and `modules`, with every upstream they read, as content JSON by module value."""
    report = validate_intake(dict(brief))
    if report.intake is None or report.errors:
        raise Invalid("the brief has errors", [i.as_dict() for i in report.errors])
    intake = normalise_intake(report.intake)
    needed = set(modules)
    for module in topological_order()[::-1]:
        if module in needed:
            needed |= set(UPSTREAMS[module])
    first = get_generator(Module.INTAKE).plan_offline(GenerationInputs.for_intake(intake))
    contents = {Module.INTAKE.value: first.model_dump(mode="json")}
    for module in topological_order():
        if module is Module.INTAKE or module not in needed:
            continue
        inputs = inputs_from_contents(module, contents).inputs
        contents[module.value] = get_generator(module).plan_offline(inputs).model_dump(mode="json")
    return contents
