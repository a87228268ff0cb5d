"""Manual mode: the numbered steps for posting one item by hand say what to make from its visual
brief: a video for a Reel, slides for a carousel, an image otherwise; nothing without one."""

from __future__ import annotations

import pytest

from aicmo.domain.campaigns import posting_steps
from aicmo.domain.schemas.intake import Platform


@pytest.mark.parametrize(
    ("fmt", "made"),
    [
        ("Reel", "Film or edit the reel"),
        ("Short video", "Film or edit the short video"),
        ("Carousel", "Create the carousel's slides"),
        ("Document carousel", "Create the carousel's slides"),
        ("Single image", "Create the image"),
        ("", "Create the image"),
    ],
)
def test_the_step_names_what_the_format_needs(fmt: str, made: str) -> None:
    steps = posting_steps(Platform.INSTAGRAM, True, 3, fmt)
    assert steps[0].startswith("Open Instagram") and steps[1].startswith(made)
    assert steps[2].startswith("Paste the caption") and "3 hashtags" in steps[3]
    assert steps[-1].startswith("Open the live post")


def test_an_item_without_a_visual_brief_has_no_making_step() -> None:
    steps = posting_steps(Platform.LINKEDIN, False, 0, "Text post")
    assert not any("upload" in step for step in steps)
