"""One source per fact: the brief. When a brief is stored, the client's name, industry and website
and the engagement's window (start, weeks) are copied from it, so the sidebar, the client header,
exports and the review page never disagree with what the operator typed into the brief.

Only fields the brief actually states are copied, and only values that pass the brief's own
validation: a draft that does not validate yet changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.intake import Intake
from aicmo.services import audit
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ArtifactRow


def sync_from_brief(uow: UnitOfWork, row: ArtifactRow, actor: str) -> None:
    """Copy the brief's facts onto its client and engagement (no commit); audit what changed."""
    if row.type != Module.INTAKE.value:
        return
    try:
        brief = Intake.model_validate(row.content)
    except ValidationError:
        return
    client = uow.clients.get(row.client_id)
    engagement = uow.engagements.get(row.engagement_id)
    changed: dict[str, Any] = {}
    if client is not None:
        wanted = {"name": brief.client_name, "industry": brief.industry, "website": brief.website}
        changed |= _apply(client, {k: v for k, v in wanted.items() if v or k == "website"}, "client")
    if engagement is not None:
        wanted = {"duration_weeks": brief.duration_weeks}
        if brief.start_date is not None:
            wanted["start_date"] = brief.start_date
        changed |= _apply(engagement, wanted, "engagement")
    if changed:
        audit.record(
            uow,
            actor,
            "brief.sync",
            artifact=row,
            to_version=row.version,
            comment="copied from the brief: " + ", ".join(sorted(changed)),
            data={"fields": {k: str(v) for k, v in changed.items()}},
        )


def _apply(target: Any, values: dict[str, Any], prefix: str) -> dict[str, Any]:
    changed = {}
    for key, value in values.items():
        if getattr(target, key) != value:
            setattr(target, key, value)
            changed[f"{prefix}.{key}"] = value
    return changed
