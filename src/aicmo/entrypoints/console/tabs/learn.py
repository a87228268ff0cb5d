"""Learn (SPEC §1 tab 10): what the measured posts teach, and the learning report that feeds the
next generation."""

from __future__ import annotations

from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import intro
from aicmo.entrypoints.console.components.learning import learning_report

LABEL = "Learn"


def render(api: ApiClient) -> None:
    intro(
        "What worked, how sure we are, and how it changes the next generation: imported results of "
        "the plan's posts shape the next calendar's pillars and formats, and the plan says why."
    )
    engagement_id = state.current().engagement_id
    if engagement_id is not None:
        learning_report(api, engagement_id)
    artifact_flow(api, "learn", preview=previews.learn, generate_label="Generate learning report")
