"""Lead Gen: lead sources, scoring and the outreach sequence; lead management comes later (SPEC §1 tab 1)."""

from __future__ import annotations

from aicmo.entrypoints.console.client import ApiClient
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import intro, not_built

LABEL = "Lead Gen"


def render(api: ApiClient) -> None:
    intro("Where leads come from, how they are scored, and the outreach sequence for this engagement.")
    artifact_flow(api, "leadgen", preview=previews.leadgen, generate_label="Generate lead-gen plan")
    not_built(
        "lead management",
        [
            "the lead list: CSV import with dedupe by e-mail, enrichment, statuses NEW → … → ROUTED",
            "sending outreach sequences (suppression lists, daily caps, quiet hours)",
            "what works today: the lead-generation plan above",
        ],
    )
