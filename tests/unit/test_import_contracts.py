"""Import contracts (STYLE layout, issue 17): the layers import only downwards, and no module
imports itself round a cycle. Every import counts, including those inside functions and under
TYPE_CHECKING, because a function-level import is still a dependency (it only hides the cycle).

Known exceptions are listed here by name. Each list fails both ways: a new violation fails, and
so does a listed one that has gone (delete it from the list, so the list only ever shrinks).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import aicmo

SRC = Path(aicmo.__file__).parent

FRAMEWORKS = frozenset(
    {
        "alembic",
        "altair",
        "anthropic",
        "click",
        "dbos",
        "fastapi",
        "httpx",
        "jinja2",
        "openai",
        "pptx",
        "prometheus_client",
        "psycopg",
        "pydantic_ai",
        "requests",
        "rich",
        "sqlalchemy",
        "starlette",
        "streamlit",
        "tenacity",
        "typer",
        "uvicorn",
        "vl_convert",
        "weasyprint",
    }
)
"""Web, database, engine, LLM, rendering and UI libraries: the domain imports none of them."""

# Services reach adapters through ports wired in the composition root (bootstrap.App). These
# services still import an adapter (or the root) directly; each line is work left to do. The unit
# of work port itself names its repositories and the ORM rows they return, under TYPE_CHECKING
# only (see `_the_port_names_its_adapters`); services create rows through its repositories and
# name row types through it, so an import of `adapters.db.tables` by a service is listed here.
KNOWN_SERVICE_TO_ADAPTER: frozenset[tuple[str, str]] = frozenset(
    (f"aicmo.{source}", f"aicmo.{target}")
    for source, target in [
        ("services.backup", "adapters.db"),
        ("services.backup", "adapters.db.engine"),
        ("services.backup", "adapters.db.migrate"),
        ("services.brief_review", "adapters.llm.base"),
        ("services.disk", "adapters.db.url"),
        ("services.export_render", "adapters.exporters.bundle"),
        ("services.export_render", "adapters.exporters.markdown"),
        ("services.export_render", "adapters.exporters.pdf"),
        ("services.export_render", "adapters.exporters.pptx"),
        ("services.export_render", "adapters.exporters.text"),
        ("services.exports", "adapters.exporters.markdown"),
        ("services.generation", "adapters.llm.base"),
        ("services.generation", "adapters.llm.offline"),
        ("services.generators.base", "adapters.llm.base"),
        ("services.job_calls", "adapters.llm.base"),
        ("services.job_calls", "adapters.llm.offline"),
        ("services.job_runner", "adapters.llm.base"),
        ("services.onboarding", "adapters.llm.base"),
        ("services.pipeline", "bootstrap"),
        ("services.plan_parts", "adapters.llm.base"),
        ("services.prefetch", "adapters.llm.base"),
        ("services.schema", "adapters.db"),
        ("services.schema", "adapters.db.migrate"),
        ("services.selftest", "adapters.db.migrate"),
        ("services.selftest", "bootstrap"),
        ("services.sentinels", "adapters.db.migrate"),
        ("services.sentinels", "adapters.db.url"),
        ("services.sentinels", "adapters.llm.registry"),
        ("services.speculation", "adapters.llm.base"),
        ("services.system", "adapters.db.migrate"),
        ("services.system", "adapters.llm.registry"),
        ("services.system", "bootstrap"),
    ]
)

# Cycles still open, each owned by a change in flight; a listed cycle that is gone fails the test.
KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SRC.rglob("*.py")}


def _imported(name: str, path: Path) -> Iterable[str]:
    """Every module `name` imports, at any depth of its code, absolute names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`


@cache
def graph() -> dict[str, frozenset[str]]:
    """Our modules and the third-party top-level packages each one imports (edges to our modules)."""
    ours = modules()
    edges = {}
    for name, path in ours.items():
        targets = set()
        for target in _imported(name, path):
            if target.startswith("aicmo"):
                if target in ours:
                    targets.add(target)
            elif target.split(".")[0] not in sys.stdlib_module_names and target != "__future__":
                targets.add(target.split(".")[0])
        edges[name] = frozenset(targets)
    return edges


def imports_from(layer: str) -> list[tuple[str, str]]:
    """(importer, imported) for every import made by a module of `layer` (a dotted prefix)."""
    return [
        (source, target)
        for source, targets in sorted(graph().items())
        if source == layer or source.startswith(layer + ".")
        for target in sorted(targets)
    ]


def within(name: str, *layers: str) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in layers)


def cycles(graph: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan), over the graph's own nodes."""
    edges = {name: [t for t in targets if t in graph] for name, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_imports_inside_functions() -> None:
    assert "aicmo.adapters.llm.registry" in graph()["aicmo.bootstrap"]  # imported in a method
    assert "aicmo.domain.modules" in graph()["aicmo.domain.artifacts"]


def test_the_domain_imports_no_framework_and_no_other_layer() -> None:
    bad = [
        (source, target)
        for source, target in imports_from("aicmo.domain")
        if target in FRAMEWORKS or (target.startswith("aicmo.") and not within(target, "aicmo.domain"))
    ]
    assert bad == []


def test_the_console_imports_only_the_domain_and_itself() -> None:
    """The console is an HTTP client: no service, adapter, settings or database library."""
    bad = [
        (source, target)
        for source, target in imports_from("aicmo.entrypoints.console")
        if target in {"sqlalchemy", "alembic", "dbos", "fastapi"}
        or (target.startswith("aicmo.") and not within(target, "aicmo.domain", "aicmo.entrypoints.console"))
    ]
    assert bad == []


PORT = "aicmo.services.unit_of_work"


def _the_port_names_its_adapters(source: str, target: str) -> bool:
    return source == PORT and within(target, "aicmo.adapters.db")


def test_services_reach_adapters_only_through_ports() -> None:
    found = {
        (source, target)
        for source, target in imports_from("aicmo.services")
        if within(target, "aicmo.adapters", "aicmo.bootstrap")
        and not _the_port_names_its_adapters(source, target)
    }
    assert sorted(found - KNOWN_SERVICE_TO_ADAPTER) == [], "new: reach the adapter through a port"
    assert sorted(KNOWN_SERVICE_TO_ADAPTER - found) == [], "gone: delete it from KNOWN_SERVICE_TO_ADAPTER"


def test_the_port_imports_adapters_only_for_type_checking() -> None:
    """The unit of work port names the repositories and rows (for type checkers); at run time it
    imports no adapter, so a service importing the port imports no table or repository."""
    tree = ast.parse(modules()[PORT].read_text(encoding="utf-8"))
    type_only = {
        id(node)
        for block in tree.body
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in ast.walk(block)
    }
    found = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("aicmo.adapters")
        and id(node) not in type_only
    ]
    assert found == []


def test_nothing_below_the_entrypoints_imports_them() -> None:
    bad = [
        (source, target)
        for layer in ("aicmo.domain", "aicmo.services", "aicmo.adapters")
        for source, target in imports_from(layer)
        if within(target, "aicmo.entrypoints")
    ]
    assert bad == []


def test_adapters_do_not_import_the_composition_root() -> None:
    assert [(s, t) for s, t in imports_from("aicmo.adapters") if within(t, "aicmo.bootstrap")] == []


def test_no_import_cycles_counting_function_level_imports() -> None:
    found = set(cycles(graph()))
    assert sorted(map(sorted, found - KNOWN_CYCLES)) == []
    assert sorted(map(sorted, KNOWN_CYCLES - found)) == [], "gone: delete it from KNOWN_CYCLES"


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from a import x\n")
    (tmp_path / "c.py").write_text("import a\n")
    found = {name: set(_imported(name, tmp_path / f"{name}.py")) for name in ("a", "b", "c")}
    assert cycles(found) == [frozenset({"a", "b"})]


def test_no_service_touches_a_database_session() -> None:
    """Services reach the database through the unit of work's repositories, never a session: the
    SQL (and the locks it takes) lives in `adapters/db`, and the fake unit of work can stand in."""
    found = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path in sorted((SRC / "services").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "session"
    ]
    assert found == []
