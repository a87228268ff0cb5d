"""Creatives: brand-kit suggestions, templates, image prompts, video scripts (SPEC §1 tab 5)."""

from __future__ import annotations

from aicmo.entrypoints.console.client import ApiClient
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import intro

LABEL = "Creatives"


def render(api: ApiClient) -> None:
    intro(
        "Brand-kit suggestions, carousel and reel-cover templates, image prompts, video scripts and "
        "thumbnails, built on the approved strategy."
    )
    artifact_flow(api, "creatives", preview=previews.creatives, generate_label="Generate creatives")
