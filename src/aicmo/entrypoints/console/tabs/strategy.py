"""Strategy: ICP, positioning, messaging, pillars, platforms, media plan, measurement (SPEC §1 tab 4)."""

from __future__ import annotations

from aicmo.entrypoints.console.client import ApiClient
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import intro

LABEL = "Strategy"


def render(api: ApiClient) -> None:
    intro(
        "Generate the strategy from the approved brief, amend it, approve it. Creatives and execution "
        "build on the approved version."
    )
    artifact_flow(api, "strategy", preview=previews.strategy, generate_label="Generate strategy")
