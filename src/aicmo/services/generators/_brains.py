"""What a strategist reads from the brief, as prompt text for an LLM provider (issue 15): the
business model and its conversion path, the brief's parsed targets (primary first) with the
feasibility check, the compliance pack and the calendar facts. The offline planner uses the same
sources directly; the quality gates check either answer the same way."""

from __future__ import annotations

from functools import lru_cache

from aicmo.domain.channels import channel
from aicmo.domain.compliance import PACKS, rules_for
from aicmo.domain.hashing import canonical_json
from aicmo.domain.playbooks import FunnelStage, business_model, playbook
from aicmo.domain.schemas.intake import Intake
from aicmo.services.generators._facts import conversion_action, facts_for
from aicmo.services.generators._kpis import feasibility, kpis_for, primary_reason


def strategist_notes(intake: Intake) -> str:
    return _notes(canonical_json(intake.model_dump(mode="json")))


@lru_cache(maxsize=64)
def _notes(brief_json: str) -> str:
    intake = Intake.model_validate_json(brief_json)
    f = facts_for(intake)
    model = business_model(intake)
    book = playbook(model)
    kpis = kpis_for(f)
    lines = [
        f"Business model: {book.label} ({book.who}); the conversion action is {conversion_action(f)}.",
        "Calls to action, early to late: "
        + "; ".join(f"{stage.value}: {', '.join(book.ctas_for(stage))}" for stage in FunnelStage)
        + ".",
        f"Never use these calls to action: {', '.join(book.forbidden_ctas)}.",
        f"Channels and tactics that fit: {', '.join(book.tactics)}. Budget logic: {book.budget_logic}",
        "KPIs (primary first; targets marked brief are the client's own and must be kept verbatim): "
        + "; ".join(f"{s.kpi.name}: {s.kpi.target} ({s.kpi.source})" for s in kpis)
        + f". Why the primary KPI: {primary_reason(f)}",
        *(f"Feasibility: {line}" for line in feasibility(f)),
        "Channel conventions: "
        + " ".join(
            f"{channel(p).name}: {channel(p).conventions}" for p in f.platforms if channel(p).conventions
        ),
    ]
    if intake.no_website and not intake.website:
        lines.append(
            "The client has no website: link only to the social profile, the maps listing, a delivery app or "
            "a link-in-bio page; no site analytics or purchase events."
        )
    rules = rules_for(intake)
    if rules.needs_review:
        lines.append(
            "Regulated: "
            + "; ".join(PACKS[s].label + ": " + PACKS[s].review for s in rules.sectors)
            + " Never claim: "
            + ", ".join(sorted({c.name for c in rules.claims}))
            + "."
        )
    if rules.disclosures:
        lines.append(
            "Put these disclaimers verbatim on every asset (posts, carousels, video and reel scripts, "
            f"e-mails): {' | '.join(rules.disclosures)}"
        )
    lines.append(
        "Write in full sentences; never echo a field's name as its value; cover every week of the window "
        "on every posting channel."
    )
    return "\n".join(lines)
