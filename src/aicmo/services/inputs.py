"""What a module generates from (SPEC §4, §8): the approved intake and upstream artifacts, typed,
hashed and cached by the exact versions read. Shared by the generate route, the plan's jobs and
the plan's re-run checks; imports no use case (the plan reads it without the artifacts service)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from aicmo.domain.artifacts import UPSTREAMS, Module
from aicmo.domain.errors import Invalid
from aicmo.domain.hashing import content_hash
from aicmo.domain.listening import mention_record
from aicmo.domain.metrics import post_key, to_record
from aicmo.domain.schemas.intake import Intake
from aicmo.services.generators import get_generator
from aicmo.services.generators.base import GenerationInputs, inputs_payload
from aicmo.services.learning import learn_inputs, learned_inputs
from aicmo.services.lru import LruCache
from aicmo.services.unit_of_work import UnitOfWork


def _upstream_closure(module: Module) -> list[Module]:
    seen: list[Module] = []
    stack = list(UPSTREAMS[module])
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.append(current)
            stack.extend(UPSTREAMS[current])
    return seen


def _typed(module: Module, content: dict[str, Any]) -> BaseModel:
    return get_generator(module).output_type.model_validate(content)


@dataclass(frozen=True)
class LoadedInputs:
    inputs: GenerationInputs
    source_versions: dict[str, int]
    inputs_hash: str
    payload: dict[str, Any] = field(default_factory=dict)  # inputs_payload(...), built once


# Loaded inputs by the exact artifact versions they were read from: a plan's jobs read the same
# approved upstream many times; validating and hashing it once per version (content never changes
# without a new version) keeps each job's own work small.
_INPUTS: LruCache[tuple[Any, ...], LoadedInputs] = LruCache(128)


def load_inputs(uow: UnitOfWork, engagement_id: str, module: Module) -> LoadedInputs:
    """The approved intake and upstream content a module generates from (gating already passed)."""
    rows = uow.artifacts.by_engagement(engagement_id)
    needed = [m for m in _upstream_closure(module) if m.value in rows]
    if Module.INTAKE not in needed:
        needed.append(Module.INTAKE)
    intake_row = rows.get(Module.INTAKE.value)
    if intake_row is None:
        raise Invalid("the engagement has no intake", [{"field": "intake", "message": "missing"}])
    extra = _extra_inputs(uow, engagement_id, module)
    key = (
        module.value,
        date.today(),
        *sorted((rows[m.value].id, rows[m.value].version) for m in needed),
        content_hash(extra) if extra else "",
    )
    cached = _INPUTS.get(key)
    if cached is not None:
        return cached
    loaded = inputs_from_contents(
        module,
        {m.value: rows[m.value].content for m in needed},
        {m.value: rows[m.value].version for m in needed},
        extra=extra,
    )
    _INPUTS.put(key, loaded)
    return loaded


def _extra_inputs(uow: UnitOfWork, engagement_id: str, module: Module) -> dict[str, Any]:
    """Inputs besides artifacts: monitoring reads the engagement's imported performance rows, and the
    execution plan what they taught (pillars and formats that perform), so a new import changes their
    inputs (and hash); neither invents a number."""
    if module is Module.MONITORING:
        return _monitoring_inputs(uow, engagement_id)
    if module is Module.EXECUTION:
        return learned_inputs(uow, engagement_id)  # the learning loop: measured posts shape the mix
    if module is Module.LEARN:
        return learn_inputs(uow, engagement_id)
    return {}


def _monitoring_inputs(uow: UnitOfWork, engagement_id: str) -> dict[str, Any]:
    """Imported performance rows, plus (only when there are any, so older hashes hold) the imported
    mentions and the campaigns with the keys (item ids, published URLs) that link a row to them."""
    extra: dict[str, Any] = {"metrics": [to_record(r) for r in uow.metrics.rows(engagement_id)]}
    mentions = uow.listening.mentions(engagement_id)
    if mentions:
        extra["mentions"] = [mention_record(m) for m in mentions]
    campaigns = []
    for campaign in uow.campaigns.of_engagement(engagement_id):
        items = uow.campaigns.items(campaign.id)
        keys = {post_key(i.id) for i in items} | {post_key(i.published_url) for i in items if i.published_url}
        campaigns.append(
            {"id": campaign.id, "name": campaign.name, "items": len(items), "keys": sorted(keys)}
        )
    if campaigns:
        extra["campaigns"] = campaigns
    return extra


def inputs_from_contents(
    module: Module,
    contents: dict[str, dict[str, Any]],
    source_versions: dict[str, int] | None = None,
    *,
    extra: dict[str, Any] | None = None,
) -> LoadedInputs:
    """`module`'s inputs from artifact contents by type: the intake and whichever modules of its
    upstream closure are given. What `load_inputs` reads from the database, and what the runner
    builds ahead from a module assembled in memory (`services.speculation`)."""
    intake = Intake.model_validate(contents[Module.INTAKE.value])
    upstream = {
        m: _typed(m, contents[m.value])
        for m in _upstream_closure(module)
        if m is not Module.INTAKE and m.value in contents
    }
    inputs = GenerationInputs.for_intake(intake, upstream=upstream, extra=extra or {})
    payload = inputs_payload(module, inputs)
    return LoadedInputs(inputs, dict(source_versions or {}), content_hash(payload), payload)
