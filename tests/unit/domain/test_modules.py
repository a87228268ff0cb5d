"""The module registry is the one place the modules are enumerated, and what it says holds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import aicmo
from aicmo.domain.modules import (
    DELIVERED,
    MODULE_SPECS,
    MODULES,
    PLANNED,
    REQUIRED_IN_DELIVERY,
    UPSTREAMS,
    Delivered,
    Module,
    module_spec,
    module_title,
    topological_order,
)
from aicmo.domain.plan_steps import PlanScope
from aicmo.services.generators import get_generator

SRC = Path(aicmo.__file__).parent
REGISTRY = SRC / "domain" / "modules.py"
NAMES = frozenset(m.value for m in Module)


def _module_names(node: ast.AST) -> set[str]:
    """Module names written out as the elements (or dict keys) of one literal collection."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        elements = node.elts
    elif isinstance(node, ast.Dict):
        elements = [k for k in node.keys if k is not None]
    else:
        return set()
    found = set()
    for element in elements:
        if isinstance(element, ast.Constant) and element.value in NAMES:
            found.add(element.value)
        elif isinstance(element, ast.Attribute) and element.attr.lower() in NAMES:
            found.add(element.attr.lower())  # Module.STRATEGY, ArtifactType.STRATEGY, ...
    return found


def module_lists(root: Path) -> list[str]:
    """Every literal collection in `root` naming two or more modules, as `path:line: names`."""
    hits = []
    for path in sorted(root.rglob("*.py")):
        if path == REGISTRY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = _module_names(node)
            if len(names) >= 2:
                hits.append(f"{path.relative_to(root.parent)}:{node.lineno}: {sorted(names)}")
    return hits


def test_module_names_are_enumerated_only_in_the_registry() -> None:
    assert module_lists(SRC) == [], "derive module lists from aicmo.domain.modules instead"


def test_the_scan_finds_a_second_list_when_one_appears(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(
        'ORDER = ["strategy", "creatives"]\nTYPED = {Module.INTAKE: 1, Module.LEARN: 2}\nONE = ("intake",)\n'
    )
    assert [hit.split(": ", 1)[1] for hit in module_lists(tmp_path / "pkg")] == [
        "['creatives', 'strategy']",
        "['intake', 'learn']",
    ]


def test_module_enum_follows_the_specs_in_order() -> None:
    assert [m.value for m in Module] == [spec.name for spec in MODULE_SPECS]
    assert Module.STRATEGY == "strategy" and Module("learn") is Module.LEARN
    assert all(MODULES[m].name == m.value for m in Module)


def test_every_upstream_is_a_module_that_comes_before_it() -> None:
    order = list(Module)
    for module, upstreams in UPSTREAMS.items():
        assert all(order.index(u) < order.index(module) for u in upstreams), module
    assert topological_order() == order


def test_titles_are_unique_and_one_per_module() -> None:
    titles = [spec.title for spec in MODULE_SPECS]
    assert len(set(titles)) == len(titles)
    assert module_title("intake") == module_title(Module.INTAKE) == "Client brief"
    assert module_title("old_folder") == "Old Folder"


@pytest.mark.parametrize("module", list(Module))
def test_each_module_has_its_generator_and_content_model(module: Module) -> None:
    generator = get_generator(module)
    assert generator.module is module
    assert generator.output_type is MODULES[module].content


@pytest.mark.parametrize("module", list(Module))
def test_each_module_has_its_console_tab(module: Module) -> None:
    tab = SRC / "entrypoints" / "console" / "tabs" / f"{module_spec(module).tab}.py"
    assert tab.is_file()
    assert "LABEL = " in tab.read_text(encoding="utf-8")


def test_a_delivery_is_built_on_exactly_the_required_modules() -> None:
    assert UPSTREAMS[Module.DELIVERY] == REQUIRED_IN_DELIVERY
    assert set(REQUIRED_IN_DELIVERY) < set(DELIVERED)
    assert all(MODULES[m].delivered is not Delivered.NO for m in DELIVERED)


def test_planned_modules_write_only_fields_of_their_content_model() -> None:
    widest = PlanScope.widest()
    for module in PLANNED:
        fields = set(MODULES[module].content.model_fields)
        for step in MODULES[module].steps(widest):
            assert set(step.fields) <= fields, (module, step.suffix)


def test_an_unknown_module_is_named() -> None:
    with pytest.raises(KeyError, match="campaignz"):
        module_spec("campaignz")
