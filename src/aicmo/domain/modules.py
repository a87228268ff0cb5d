"""The module registry (SPEC §1, §4): one `ModuleSpec` per generating module, the only place in
`src` where the modules are enumerated.

Everything else is derived from `MODULE_SPECS`: the `Module` enum, `UPSTREAMS`, the titles, the
plan's steps, what a delivery contains, the structured export sections, the generators
(`services/generators/<name>.py`), the generate routes and the console's module lists. Adding a
module means adding its spec here plus its own new files (see docs/architecture.md); a test fails
when a second list of module names appears in `src`. Pure: pydantic and stdlib only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from aicmo.domain.plan_steps import (
    PlanScope,
    Step,
    compliance_steps,
    creatives_steps,
    delivery_steps,
    execution_steps,
    monitoring_steps,
    strategy_steps,
)
from aicmo.domain.schemas.autonomy import AutonomyPlan
from aicmo.domain.schemas.compliance import ComplianceReview
from aicmo.domain.schemas.creatives import Creatives
from aicmo.domain.schemas.delivery import DeliverySummary
from aicmo.domain.schemas.execution import Execution
from aicmo.domain.schemas.intake import Intake
from aicmo.domain.schemas.leadgen import LeadGen
from aicmo.domain.schemas.learn import Learn
from aicmo.domain.schemas.monitoring import Monitoring
from aicmo.domain.schemas.strategy import Strategy


class Delivered(StrEnum):
    """Whether a client delivery (SPEC §9) contains the module's artifact."""

    REQUIRED = "required"  # always, approved: a delivery is refused without it
    OPTIONAL = "optional"  # when it is approved
    NO = "no"


@dataclass(frozen=True)
class ModuleSpec:
    """One generating module: it produces an artifact of the same name."""

    name: str
    title: str  # the one title every surface shows: console, PDF, deck, bundle, client review
    content: type[BaseModel]  # the artifact's content model (generation output, amend validation)
    tab: str  # the console tab that shows it: entrypoints/console/tabs/<tab>.py
    upstreams: tuple[str, ...] = ()  # approved before this module may generate (gating, staleness)
    plan_steps: Callable[[PlanScope], list[Step]] | None = None  # its jobs in a generation plan
    delivered: Delivered = Delivered.NO
    export_section: bool = False  # has its own structured section in the PDF report and the deck
    in_progress_list: bool = True  # listed in the sidebar's artifact progress and the manifest table
    owner: str = "Account manager"  # the role that reviews and approves it (the PM view's task owner)
    pm_phase: str = "production"  # discovery | production | review: its work is due by that phase's end

    def steps(self, scope: PlanScope) -> list[Step]:
        return self.plan_steps(scope) if self.plan_steps else []


# In pipeline order (the order of `Module`): a module's upstreams come before it.
MODULE_SPECS: tuple[ModuleSpec, ...] = (
    ModuleSpec(
        "intake",
        "Client brief",
        Intake,
        tab="intake",
        delivered=Delivered.REQUIRED,
        export_section=True,
        pm_phase="discovery",
    ),
    ModuleSpec(
        "strategy",
        "Strategy",
        Strategy,
        tab="strategy",
        upstreams=("intake",),
        plan_steps=strategy_steps,
        delivered=Delivered.REQUIRED,
        export_section=True,
        owner="Strategist",
        pm_phase="discovery",
    ),
    ModuleSpec(
        "creatives",
        "Creatives",
        Creatives,
        tab="creatives",
        upstreams=("strategy",),
        plan_steps=creatives_steps,
        delivered=Delivered.REQUIRED,
        export_section=True,
        owner="Creative lead",
    ),
    ModuleSpec(
        "execution",
        "Execution plan",
        Execution,
        tab="execution",
        upstreams=("strategy", "creatives"),
        plan_steps=execution_steps,
        delivered=Delivered.REQUIRED,
        export_section=True,
        owner="Content lead",
    ),
    # Regulated briefs only (its plan steps): the content read against the brief's compliance rules;
    # optional in a delivery, so while it exists unapproved (blocking findings) nothing goes out.
    ModuleSpec(
        "compliance",
        "Compliance review",
        ComplianceReview,
        tab="delivery",
        upstreams=("strategy", "creatives", "execution"),
        plan_steps=compliance_steps,
        delivered=Delivered.OPTIONAL,
    ),
    ModuleSpec(
        "monitoring",
        "Monitoring",
        Monitoring,
        tab="monitoring",
        upstreams=("execution",),
        plan_steps=monitoring_steps,
        delivered=Delivered.OPTIONAL,
        owner="Analyst",
        pm_phase="review",
    ),
    ModuleSpec(
        "leadgen",
        "Lead generation",
        LeadGen,
        tab="lead_gen",
        upstreams=("intake", "strategy"),
        owner="Growth lead",
    ),
    ModuleSpec(
        "autonomy",
        "Generation plan",
        AutonomyPlan,
        tab="autonomy",
        upstreams=("intake",),
        in_progress_list=False,
    ),
    ModuleSpec(
        "delivery",
        "Delivery",
        DeliverySummary,
        tab="delivery",
        upstreams=("intake", "strategy", "creatives", "execution"),
        plan_steps=delivery_steps,
        delivered=Delivered.OPTIONAL,
        export_section=True,
    ),
    # learnings test the approved strategy's pillars, so they read (and are gated on) the strategy
    ModuleSpec(
        "learn",
        "Learnings",
        Learn,
        tab="learn",
        upstreams=("intake", "strategy"),
        owner="Analyst",
        pm_phase="review",
    ),
)

Module = StrEnum(  # type: ignore[misc]  # derived from the specs, so the names live in one place
    "Module",
    [(spec.name.upper(), spec.name) for spec in MODULE_SPECS],
    module=__name__,
    qualname="Module",
)
Module.__doc__ = "The generating modules (`MODULE_SPECS`); each one produces an artifact of the same name."

MODULES: dict[Module, ModuleSpec] = {Module(spec.name): spec for spec in MODULE_SPECS}
UPSTREAMS: dict[Module, tuple[Module, ...]] = {
    module: tuple(Module(u) for u in spec.upstreams) for module, spec in MODULES.items()
}
"""SPEC §4: a module may generate only when these upstream artifacts are approved."""
MODULE_TITLES: dict[Module, str] = {module: spec.title for module, spec in MODULES.items()}
PLANNED: tuple[Module, ...] = tuple(m for m, spec in MODULES.items() if spec.plan_steps)
"""Modules whose work a generation plan splits into jobs, in pipeline order."""
REQUIRED_IN_DELIVERY: tuple[Module, ...] = tuple(
    m for m, spec in MODULES.items() if spec.delivered is Delivered.REQUIRED
)
DELIVERED: tuple[Module, ...] = tuple(m for m, spec in MODULES.items() if spec.delivered is not Delivered.NO)
"""Artifacts a delivery contains: the required ones always, the optional ones when approved."""
EXPORT_SECTIONS: frozenset[Module] = frozenset(m for m, spec in MODULES.items() if spec.export_section)
PROGRESS_LIST: tuple[Module, ...] = tuple(m for m, spec in MODULES.items() if spec.in_progress_list)


def module_spec(module: Module | str) -> ModuleSpec:
    """The spec of `module` (a Module or its value); KeyError names an unknown module."""
    try:
        return MODULES[Module(module)]
    except ValueError as exc:
        raise KeyError(f"unknown module {module!r}") from exc


def module_title(module: Module | str) -> str:
    """The module's one title; an unknown key (an old export's folder name) is tidied, not refused."""
    key = str(module)
    return MODULE_TITLES[Module(key)] if key in MODULES else key.replace("_", " ").title()


def topological_order() -> list[Module]:
    """Modules ordered so every module comes after all of its upstreams."""
    ordered: list[Module] = []
    seen: set[Module] = set()

    def visit(module: Module) -> None:
        if module in seen:
            return
        seen.add(module)
        for upstream in UPSTREAMS[module]:
            visit(upstream)
        ordered.append(module)

    for module in Module:
        visit(module)
    return ordered
