"""Small shared pieces of the schemas."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

T = TypeVar("T")

Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(max_length=2_000)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
# An artifact's Markdown: generated ones run to ~100k characters (an execution plan), and what the
# API returns must be accepted back in an amend.
MarkdownText = Annotated[str, StringConstraints(max_length=400_000)]
Version = Annotated[int, Field(ge=1, le=1_000_000)]


class Strict(BaseModel):
    """Input models: unknown fields are rejected, never silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int
