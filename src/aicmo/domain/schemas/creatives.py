"""Creatives content: brand-kit suggestions, templates, image prompts, scripts, thumbnail specs."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field

from aicmo.domain.schemas.intake import Platform


class BrandKit(BaseModel):
    palette: list[str] = Field(min_length=2, description="hex colours")
    typography: list[str] = Field(min_length=1)
    visual_style: str
    logo_usage: str
    voice_summary: str


class CarouselTemplate(BaseModel):
    title: str
    pillar: str
    slides: list[str] = Field(min_length=3)
    cta: str


class ReelCover(BaseModel):
    title: str
    headline: str
    layout: str


class ImagePrompt(BaseModel):
    pillar: str
    prompt: str
    aspect_ratio: str
    negative_prompt: str = ""


class VideoScript(BaseModel):
    title: str
    platform: Platform
    duration_s: int = Field(ge=5, le=600)
    hook: str
    beats: list[str] = Field(min_length=2)
    cta: str
    on_screen_text: list[str] = Field(default_factory=list)


class ThumbnailSpec(BaseModel):
    name: str
    platform: Platform
    size_px: str
    headline: str
    notes: str


class Creatives(BaseModel):
    PROSE_FIELDS: ClassVar[tuple[str, ...]] = (
        "brand_kit.visual_style",
        "brand_kit.voice_summary",
        "brand_kit.logo_usage",
    )  # read as sentences: the quality gates check them for word salad
    brand: str
    brand_kit: BrandKit
    carousels: list[CarouselTemplate] = Field(min_length=1)
    reel_covers: list[ReelCover] = Field(min_length=1)
    image_prompts: list[ImagePrompt] = Field(min_length=1)
    video_scripts: list[VideoScript] = Field(min_length=1)
    thumbnails: list[ThumbnailSpec] = Field(min_length=1)
