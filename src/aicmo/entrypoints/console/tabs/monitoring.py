"""Monitoring (SPEC §1 tab 7): imported performance data with its KPIs, and the monitoring artifact
(tracking plan, results against the brief's targets, suggestions grounded in the numbers)."""

from __future__ import annotations

from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import intro
from aicmo.entrypoints.console.components.goals import goal_progress
from aicmo.entrypoints.console.components.listening import social_listening
from aicmo.entrypoints.console.components.performance import performance_data

LABEL = "Monitoring"


def render(api: ApiClient) -> None:
    intro(
        "Import the platforms' performance data, then generate the monitoring report: results against "
        "the brief's targets and suggestions that cite the numbers (it never invents one)."
    )
    engagement_id = state.current().engagement_id
    if engagement_id is not None:
        performance_data(api, engagement_id)
        goal_progress(api, engagement_id)
        social_listening(api, engagement_id)
    artifact_flow(api, "monitoring", preview=previews.monitoring, generate_label="Generate monitoring report")
