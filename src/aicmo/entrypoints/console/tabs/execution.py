"""Execution: the content calendar, ready-to-post copy per platform, the e-mail sequence (SPEC §1 tab 6)."""

from __future__ import annotations

from aicmo.entrypoints.console.client import ApiClient
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import intro, not_built

LABEL = "Execution"


def render(api: ApiClient) -> None:
    intro(
        "The content calendar and ready-to-post copy per platform with hashtags, plus the e-mail "
        "sequence, built on the approved strategy and creatives."
    )
    artifact_flow(api, "execution", preview=previews.execution, generate_label="Generate execution plan")
    not_built(
        "posting",
        [
            "proof mode (simulated reach), manual copy-paste posting with URL capture, and live posting "
            "through platform adapters (SPEC §6) — copy the approved posts from the preview for now",
        ],
    )
