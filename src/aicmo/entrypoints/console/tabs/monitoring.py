"""Monitoring: tracking plan and KPI definitions; data import and dashboards come later (SPEC §1 tab 7)."""

from __future__ import annotations

from aicmo.entrypoints.console.client import ApiClient
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import intro, not_built

LABEL = "Monitoring"


def render(api: ApiClient) -> None:
    intro(
        "The tracking checklist, KPI definitions and optimisation suggestions for the approved "
        "execution plan."
    )
    artifact_flow(api, "monitoring", preview=previews.monitoring, generate_label="Generate monitoring plan")
    not_built(
        "performance data",
        [
            "importing platform metrics and social-listening exports (CSV)",
            "the KPI dashboard with charts and goal progress against the brief's targets",
            "what works today: the monitoring plan above (it never invents numbers)",
        ],
    )
