"""Execution content: the calendar and ready-to-post copy per platform."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from aicmo.domain.schemas.intake import Platform


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
