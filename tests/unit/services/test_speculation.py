"""The in-memory assembly a worker uses to start a module's downstream calls early."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from aicmo.domain.artifacts import Module
from aicmo.domain.plan import JobSpec
from aicmo.services.speculation import Assemblies, ModuleAhead


def _ahead(job_keys: set[str], written: set[str]) -> Any:
    inputs = SimpleNamespace(inputs_hash="h1")
    return ModuleAhead(
        plan_id="p1",
        module=Module.CREATIVES,
        job_keys=frozenset(job_keys),
        written=frozenset(written),
        content={},
        inputs=inputs,  # type: ignore[arg-type]
        approved={},
        entries=(),
    )


def _spec(key: str) -> JobSpec:
    return JobSpec(key=key, module=Module.CREATIVES, title=key, content_fields=(key,))


def test_the_answer_that_completes_a_module_gets_every_part_once() -> None:
    assemblies = Assemblies()
    ahead = _ahead({"a", "b", "c"}, written={"a"})
    assert assemblies.add(ahead, _spec("b"), {"b": 1}) is None
    parts = assemblies.add(ahead, _spec("c"), {"c": 2})
    assert parts is not None
    assert sorted(spec.key for spec, _ in parts) == ["b", "c"]
    # a duplicate answer (a retried job) after completion starts nothing again
    assert assemblies.add(ahead, _spec("c"), {"c": 2}) is None
    assert len(assemblies) == 0


def test_parts_of_other_inputs_are_kept_apart() -> None:
    assemblies = Assemblies()
    first = _ahead({"a", "b"}, written=set())
    other = ModuleAhead(**{**first.__dict__, "inputs": SimpleNamespace(inputs_hash="h2")})
    assert assemblies.add(first, _spec("a"), {"a": 1}) is None
    assert assemblies.add(other, _spec("b"), {"b": 1}) is None
    assert assemblies.add(first, _spec("b"), {"b": 1}) is not None
