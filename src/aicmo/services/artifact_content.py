"""One truth per version: an artifact's content is its module's structured model, and its Markdown is
rendered from that content and the operator's notes, never kept as a second, editable copy.

Everything that needs "the Markdown of this version" (the API, exports, the client review page,
the pipeline's files) asks `render_markdown`; every write of content goes through
`validated_content`. The content model of a module comes from the module registry
(`domain.modules`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from aicmo.domain.artifacts import Module
from aicmo.domain.errors import Invalid
from aicmo.domain.modules import module_spec
from aicmo.services.generators import get_generator
from aicmo.services.plan_parts import render_partial

# Deeper than any content model nests (execution: content > posts > post > list > item is 5).
MAX_CONTENT_DEPTH = 16
NOTES_HEADING = "## Operator notes"
NO_AMENDMENTS = "_No amendments yet._"


def content_model(module: Module | str) -> type[BaseModel]:
    """The pydantic model a module's artifact content must fit."""
    return module_spec(module).content


def nesting_depth(value: Any, limit: int = MAX_CONTENT_DEPTH) -> int:
    """How deeply `value` nests lists and objects (a scalar is 0); stops counting past `limit`.

    Iterative, so a hostile 10,000-deep document cannot exhaust the interpreter's stack.
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping | list | tuple):
            depth += 1
            deepest = max(deepest, depth)
            if depth > limit:
                return deepest
            children = item.values() if isinstance(item, Mapping) else item
            stack.extend((child, depth) for child in children)
    return deepest


def _field_path(loc: Sequence[int | str]) -> str:
    return ".".join(["content", *(str(p) for p in loc)])


def validated_content(module: Module, content: Mapping[str, Any]) -> dict[str, Any]:
    """`content` checked against the module's model, as the JSON it stores; Invalid names each field."""
    depth = nesting_depth(content)
    if depth > MAX_CONTENT_DEPTH:
        raise Invalid(
            f"content nests deeper than {MAX_CONTENT_DEPTH} levels",
            [{"field": "content", "message": f"nested more than {MAX_CONTENT_DEPTH} levels deep"}],
        )
    model = content_model(module)
    unknown = sorted(set(content) - set(model.model_fields))
    if unknown:
        raise Invalid(
            f"{module.value} content has no field(s) {', '.join(unknown)}",
            [{"field": f"content.{name}", "message": f"not a field of {model.__name__}"} for name in unknown],
        )
    try:
        typed = model.model_validate(content)
    except ValidationError as exc:
        issues = [
            {"field": _field_path(e.get("loc", ())), "message": e.get("msg", "invalid")}
            for e in exc.errors(include_url=False)
        ]
        raise Invalid(
            f"{module.value} content does not fit {model.__name__}: "
            + ", ".join(sorted({i["field"] for i in issues})),
            issues,
        ) from exc
    return typed.model_dump(mode="json")


def missing_parts(module: Module, content: Mapping[str, Any]) -> list[str]:
    """The content model's fields a version lacks or holds in a broken form (empty: complete)."""
    model = content_model(module)
    try:
        model.model_validate(content)
    except ValidationError as exc:
        return sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")} or {"content"})
    return []


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Top-level fields whose value differs between two contents."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def notes_section(notes: str, amended_fields: Sequence[str] = ()) -> str:
    """The closing "Operator notes" section (SPEC §2): the notes, and which fields a person changed."""
    lines = [notes.strip()] if notes.strip() else []
    if amended_fields:
        named = ", ".join(f.replace("_", " ") for f in amended_fields)
        lines.append(f"_Amended by the agency team: {named}._")
    return f"{NOTES_HEADING}\n\n" + ("\n\n".join(lines) or NO_AMENDMENTS) + "\n"


def render_markdown(
    module: Module | str, content: Mapping[str, Any], notes: str = "", amended_fields: Sequence[str] = ()
) -> str:
    """A version's Markdown: its content through the module's renderer, then the operator notes.

    Content that does not (yet) fit the model - a module whose parts are still being written, or a
    row stored before validation - is rendered field by field with what is missing named.
    """
    module = Module(module)
    try:
        body = get_generator(module).render_markdown(content_model(module).model_validate(content))
    except ValidationError:
        missing = missing_parts(module, content)
        body = render_partial(module, dict(content))
        title, _, rest = body.partition("\n")
        body = f"{title}\n\n_Incomplete: {', '.join(missing)} not written yet._\n{rest}"
    return body.rstrip() + "\n\n" + notes_section(notes, amended_fields)


class StoredVersion(Protocol):
    """An artifact row or one of its version rows: what a version's Markdown is rendered from."""

    content: dict[str, Any]
    notes: str
    provenance: dict[str, Any]


def version_markdown(module: Module | str, row: StoredVersion) -> str:
    """A stored version's Markdown, rendered from its content, notes and amended fields."""
    amended = (row.provenance or {}).get("amended_fields") or []
    return render_markdown(module, row.content or {}, row.notes or "", amended)
