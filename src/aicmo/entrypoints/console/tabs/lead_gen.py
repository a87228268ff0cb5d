"""Lead Gen (SPEC §1 tab 1): the lead-generation plan, the client's lead list, and outreach."""

from __future__ import annotations

from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient
from aicmo.entrypoints.console.components import previews
from aicmo.entrypoints.console.components.artifact_panel import artifact_flow
from aicmo.entrypoints.console.components.common import intro, not_built
from aicmo.entrypoints.console.components.leads import lead_list
from aicmo.entrypoints.console.components.outreach import outreach_panel

LABEL = "Lead Gen"


def render(api: ApiClient) -> None:
    intro("Where leads come from, how they are scored, and the outreach sequence for this engagement.")
    artifact_flow(api, "leadgen", preview=previews.leadgen, generate_label="Generate lead-gen plan")
    selection = state.current()
    if selection.client_id is not None:
        lead_list(api, selection.client_id, selection.engagement_id)
        outreach_panel(api, selection.client_id)
    not_built(
        "the rest of lead management",
        [
            "enrichment from outside sources",
            "what works today: the lead-generation plan above, the client's lead list "
            "(CSV import with dedupe by e-mail, explainable scores, legal status moves), and outreach "
            "sequences sent over SMTP (suppression list, daily caps, quiet hours, sends log)",
        ],
    )
