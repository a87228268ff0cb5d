"""Execution content: the calendar and ready-to-post copy per platform."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from aicmo.domain.schemas.intake import Platform


class PostStatus(StrEnum):
    """An operator's decision on one post; editing a post's copy puts it back to draft."""

    DRAFT = "draft"
    APPROVED = "approved"
    REJECTED = "rejected"


class Post(BaseModel):
    id: str
    platform: Platform
    scheduled_at: datetime = Field(description="ISO-8601 with the client's UTC offset")
    text: str
    hashtags: list[str] = Field(default_factory=list)
    pillar: str
    format: str
    cta: str
    image_prompt: str = ""
    status: PostStatus = PostStatus.DRAFT


class CalendarEntry(BaseModel):
    date: str
    platform: Platform
    pillar: str
    format: str
    post_id: str
    title: str


class HashtagSet(BaseModel):
    name: str
    platform: Platform | None = None
    hashtags: list[str] = Field(min_length=1)


class Email(BaseModel):
    day: int = Field(ge=0)
    subject: str
    preview: str
    body: str
    cta: str


class ReelScript(BaseModel):
    """A shot-by-shot script for one short-video post in the calendar."""

    post_id: str
    platform: Platform
    title: str
    duration_s: int = Field(ge=5, le=600)
    hook: str
    beats: list[str] = Field(min_length=2)
    on_screen_text: list[str] = Field(default_factory=list)
    cta: str


class Execution(BaseModel):
    PROSE_FIELDS: ClassVar[tuple[str, ...]] = (
        "posts.*.text",
        "email_sequence.*.body",
    )  # read as sentences: the quality gates check them for word salad
    brand: str
    timezone: str
    window_start: str
    window_end: str
    calendar: list[CalendarEntry] = Field(min_length=1)
    posts: list[Post] = Field(min_length=1)
    hashtag_sets: list[HashtagSet] = Field(default_factory=list)
    email_sequence: list[Email] = Field(default_factory=list)
    reel_scripts: list[ReelScript] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def without_rejected(self) -> Execution:
        """What the client receives: the plan without the posts an operator rejected."""
        rejected = {p.id for p in self.posts if p.status is PostStatus.REJECTED}
        if not rejected:
            return self
        return self.model_copy(
            update={
                "posts": [p for p in self.posts if p.id not in rejected],
                "calendar": [c for c in self.calendar if c.post_id not in rejected],
            }
        )
