"""Generating one part of a module's artifact, as a plan job does (SPEC §5).

A job writes a few fields of its module's content model (`JobSpec.content_fields`); posts jobs
write the posts of one platform over a few weeks (`PostScope`). The LLM is asked for exactly
those fields (a pydantic model built from the module's own field definitions); the offline
planner computes the whole module once per inputs and hands each job its slice, so parts always
agree with each other.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from aicmo.adapters.llm.base import GenerationTask
from aicmo.domain.artifacts import Module
from aicmo.domain.hashing import canonical_json, content_hash
from aicmo.domain.plan import PostScope, every_content_part
from aicmo.domain.quality import Finding, check_partial, check_quality
from aicmo.services.generators import get_generator
from aicmo.services.generators.base import GenerationInputs, Generator, inputs_payload
from aicmo.services.lru import LruCache

Window = tuple[date, date]  # the engagement's first and last day


@lru_cache(maxsize=128)
def part_model(output_type: type[BaseModel], fields: tuple[str, ...]) -> type[BaseModel]:
    """A model with just `fields` of `output_type`, with their own types and constraints."""
    definitions: dict[str, Any] = {
        name: (output_type.model_fields[name].annotation, output_type.model_fields[name]) for name in fields
    }
    name = f"{output_type.__name__}Part_" + "_".join(fields)
    return create_model(name, __config__=ConfigDict(extra="ignore"), **definitions)


def every_part_model() -> list[type[BaseModel]]:
    """The output type of every LLM job any plan can have (for a provider's `warm_up`)."""
    return [
        part_model(get_generator(module).output_type, fields)
        for module, fields in every_content_part()
        if get_generator(module).uses_llm
    ]


class _OfflineCache:
    """The offline planner's whole-module answer per inputs hash (jobs of one module share it)."""

    def __init__(self, size: int = 64) -> None:
        self._items: LruCache[str, BaseModel] = LruCache(size)

    def get(self, generator: Generator[Any], inputs: GenerationInputs) -> BaseModel:
        key = content_hash(inputs_payload(generator.module, inputs))
        value = self._items.get(key)
        if value is None:
            value = generator.plan_offline(inputs)
            self._items.put(key, value)
        return value


OFFLINE_CACHE = _OfflineCache()


def slice_of(
    data: dict[str, Any], fields: tuple[str, ...], scope: PostScope | None, window: Window
) -> dict[str, Any]:
    part = {name: data[name] for name in fields if name in data}
    if scope and "posts" in part:
        part["posts"] = [p for p in part["posts"] if scope.owns(p, *window)]
    return part


def merge_part(
    content: dict[str, Any],
    part: dict[str, Any],
    fields: tuple[str, ...],
    scope: PostScope | None,
    window: Window,
) -> dict[str, Any]:
    """`content` with the job's fields replaced (posts: only those in the job's scope)."""
    merged = dict(content)
    for name in fields:
        if name not in part:
            continue
        if name == "posts" and scope:  # this job owns its scope's posts, whatever else came back
            others = [p for p in merged.get("posts", []) if not scope.owns(p, *window)]
            mine = [p for p in part["posts"] if scope.owns(p, *window)]
            merged["posts"] = sorted(others + mine, key=lambda p: str(p.get("scheduled_at")))
        else:
            merged[name] = part[name]
    return merged


def window_of(inputs: GenerationInputs) -> Window:
    return inputs.window_start, inputs.window_end


def part_task(
    module: Module,
    inputs: GenerationInputs,
    *,
    job_key: str,
    fields: tuple[str, ...],
    scope: PostScope | None,
    parts_so_far: dict[str, Any],
    payload: dict[str, Any] | None = None,
) -> GenerationTask[BaseModel]:
    """The provider call for one job; `payload` is `inputs_payload(module, inputs)` if already built."""
    generator = get_generator(module)
    model = part_model(generator.output_type, fields)
    part: dict[str, Any] = {"job": job_key, "fields": list(fields)}
    if scope:
        part |= {"platform": scope.platform, "weeks": list(scope.weeks) if scope.weeks else None}
    payload = (payload or inputs_payload(module, inputs)) | {"part": part, "parts_so_far": parts_so_far}
    where = f" for {scope.describe()} of the window" if scope else ""
    prompt = (
        f"Produce the {module.value} fields {', '.join(fields)}{where} as JSON matching the schema, "
        f"consistent with the parts already written.\n{canonical_json(payload)}"
    )

    def offline() -> BaseModel:
        full = OFFLINE_CACHE.get(generator, inputs).model_dump(mode="json")
        return model.model_validate(slice_of(full, fields, scope, window_of(inputs)))

    return GenerationTask(
        module=module.value,
        system=generator.system_prompt(inputs),
        prompt=prompt,
        output_type=model,
        offline=offline,
        prompt_version=generator.prompt_version,
    )


def job_inputs_hash(module_inputs_hash: str, job_key: str) -> str:
    """What a job is built from: its module's inputs (the brief and the approved upstream modules,
    `LoadedInputs.inputs_hash`) and which job it is.

    Parts of its own module are context in the prompt but not part of the hash: an operator's edit
    of the strategy must re-run what reads the strategy (creatives, execution), not the strategy
    jobs themselves, which would overwrite the edit.
    """
    return content_hash({"job": job_key, "inputs": module_inputs_hash})


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


def finish_module(
    module: Module, content: dict[str, Any], inputs: GenerationInputs
) -> tuple[dict[str, Any], str, list[Finding]]:
    """Validate the assembled parts as the module's model, repair, check gates, render Markdown.

    When parts are missing the content is incomplete: it is rendered section by section and each
    gap is reported as an error finding rather than invented.
    """
    generator = get_generator(module)
    try:
        typed = generator.output_type.model_validate(content)
    except ValidationError as exc:
        missing = sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")})
        # An error, not a warning: an automatic approval needs the whole module; a person may still
        # approve it knowingly (e.g. after switching a part off).
        findings = [
            Finding(
                "incomplete", name, f"{name} is missing (its job is switched off or did not write)", "error"
            )
            for name in missing
        ]
        partial = _Lenient.model_validate(content)
        findings += check_quality(
            Module.LEARN, partial, inputs.intake, inputs.window_start, inputs.window_end
        )
        findings += check_partial(
            module, generator.output_type, content, inputs.intake, inputs.window_start, inputs.window_end
        )
        return content, render_partial(module, content), findings
    typed = generator.repair(typed, inputs)
    findings = check_quality(module, typed, inputs.intake, inputs.window_start, inputs.window_end)
    return typed.model_dump(mode="json"), generator.render_markdown(typed), findings


def render_partial(
    module: Module, content: dict[str, Any], done: int | None = None, total: int | None = None
) -> str:
    """Markdown for an artifact whose parts are still being written."""
    title = module.value.title()
    lines = [f"# {title}", ""]
    if done is not None and total is not None:
        lines += [f"_In progress: {done} of {total} parts written._", ""]
    for name, value in content.items():
        lines += [f"## {name.replace('_', ' ').title()}", "", *_render_value(value), ""]
    return "\n".join(lines).rstrip() + "\n"


def _render_value(value: Any, depth: int = 0) -> list[str]:
    pad = "  " * depth
    if isinstance(value, dict):
        out: list[str] = []
        for key, item in value.items():
            if isinstance(item, dict | list):
                out.append(f"{pad}- **{key.replace('_', ' ')}**:")
                out += _render_value(item, depth + 1)
            else:
                out.append(f"{pad}- **{key.replace('_', ' ')}**: {item}")
        return out
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict | list):
                out += _render_value(item, depth)
                out.append("")
            else:
                out.append(f"{pad}- {item}")
        return out
    return [f"{pad}{value}"]
