"""Markdown rendering shared by the generators: sections, lists, tables. (The closing operator-notes
section is added per version by `services.artifact_content.render_markdown`.)"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from aicmo.domain.markdown_text import escape_line, table_cell
from aicmo.domain.schemas.envelope import Deliverable
from aicmo.services.generators.base import Generator

T = TypeVar("T", bound=BaseModel)
__all__ = ["escape_line", "table_cell"]  # re-exported: the generators' Markdown helpers


@dataclass(frozen=True)
class Section:
    """One titled part of a module's output; it becomes one deliverable."""

    id: str
    title: str
    markdown: str
    data: dict[str, Any] = field(default_factory=dict)


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {escape_line(i)}" for i in items if i)


def numbered(items: Iterable[str]) -> str:
    return "\n".join(f"{n}. {escape_line(i)}" for n, i in enumerate((i for i in items if i), start=1))


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(table_cell(h) for h in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(table_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def document(title: str, sections: Sequence[Section]) -> str:
    parts = [f"# {title}\n"]
    parts += [f"## {s.title}\n\n{s.markdown.strip()}\n" for s in sections]
    return "\n".join(parts)


class SectionedGenerator(Generator[T]):
    """A generator whose Markdown and deliverables are built from the same list of sections."""

    @abstractmethod
    def title(self, content: T) -> str: ...

    @abstractmethod
    def sections(self, content: T) -> list[Section]: ...

    def render_markdown(self, content: T) -> str:
        return document(self.title(content), self.sections(content))

    def deliverables(self, content: T) -> list[Deliverable]:
        return [
            Deliverable(
                id=f"{self.module.value}.{s.id}",
                title=s.title,
                content_markdown=f"## {s.title}\n\n{s.markdown.strip()}\n",
                data=s.data,
            )
            for s in self.sections(content)
        ]
