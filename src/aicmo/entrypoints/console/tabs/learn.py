"""Learn: learning events and insights (SPEC §1 tab 10)."""

from __future__ import annotations

from aicmo.entrypoints.console.client import ApiClient
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import intro, not_built

LABEL = "Learn"


def render(api: ApiClient) -> None:
    intro("What worked, and how it changes the next generation.")
    artifact_flow(api, "learn", preview=previews.learn, generate_label="Generate learning agenda")
    not_built(
        "the learning log",
        [
            "a browsable log of learning events (generations, approvals, rejections, amendments, outcomes)",
            "insights from measured outcomes, once performance data can be imported",
            "what works today: the learning agenda above, from what the engagement has recorded",
        ],
    )
