"""Operator views (SPEC §7): an engagement's stage, derived from its artifacts' states. Pure.

The stage is the first step of the delivery path (the modules a delivery contains, in pipeline order)
that is not approved yet, named with why ("Strategy: draft"); an engagement whose every such module is
approved is "Ready to deliver". Nothing is stored: the stage always agrees with the artifacts.
"""

from __future__ import annotations

from collections.abc import Mapping

from aicmo.domain.modules import DELIVERED, MODULE_TITLES

READY = "Ready to deliver"


def stage_of(statuses: Mapping[str, str]) -> str:
    """`statuses`: artifact status by module name (missing = not started)."""
    for module in DELIVERED:
        status = statuses.get(module.value)
        if status != "approved":
            return f"{MODULE_TITLES[module]}: {(status or 'not started').replace('_', ' ')}"
    return READY
