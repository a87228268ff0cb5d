"""What may be delivered to a client (SPEC §1 tab 8, §4): the delivery checks as pure rules.

Each rule returns named reasons; an empty list means the check passes and the delivery may go out.
The text of a reason is rendered here once, so the API, the CLI and the console all say the same:
"strategy (draft - must be approved)", "execution (stale: intake changed from v1 to v2)",
"execution.posts.3.text: required disclaimer missing: '...'".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.gating import gate_reasons
from aicmo.domain.modules import DELIVERED as DELIVERED
from aicmo.domain.modules import REQUIRED_IN_DELIVERY
from aicmo.domain.quality import Finding
from aicmo.domain.staleness import ArtifactState, stale_causes

REQUIRED: tuple[Module, ...] = REQUIRED_IN_DELIVERY
"""Artifacts every delivery must contain, approved (the registry's `Delivered.REQUIRED` modules)."""


class Check(StrEnum):
    APPROVED = "approved"
    FRESH = "fresh"
    QUALITY = "quality"
    DISCLAIMERS = "disclaimers"
    BRANDING = "branding"


CHECK_TITLES: dict[Check, str] = {
    Check.APPROVED: "Every required artifact is approved",
    Check.FRESH: "Nothing included is stale",
    Check.QUALITY: "Quality gates pass",
    Check.DISCLAIMERS: "Required disclaimers in every post and e-mail",
    Check.BRANDING: "The client is named in every artifact",
}

_CHECK_OF_FINDING = {"disclaimer_missing": Check.DISCLAIMERS, "brand_missing": Check.BRANDING}


@dataclass(frozen=True)
class DeliveryReason:
    """Why a delivery may not go out: which check, about what (a module or a dotted path), and the text."""

    check: Check
    subject: str
    text: str

    def __str__(self) -> str:
        return self.text

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check.value, "subject": self.subject, "reason": self.text}


def included_modules(statuses: Mapping[Module, ArtifactStatus]) -> list[Module]:
    """What goes into the delivery: every required artifact that exists, and approved optional ones.

    A required artifact is included whatever its status, so that the approval check names it; an
    optional one that is not approved is simply left out (`left_out_note` says why).
    """
    return [
        m for m in DELIVERED if m in statuses and (m in REQUIRED or statuses[m] is ArtifactStatus.APPROVED)
    ]


def left_out_note(module: Module, status: ArtifactStatus) -> str:
    return f"{module.value} ({status.value.replace('_', ' ')}) left out: only approved work is delivered"


def approval_reasons(statuses: Mapping[Module, ArtifactStatus]) -> list[DeliveryReason]:
    """One reason per required artifact that is missing or not approved, and per optional one that
    exists but is not approved: a delivery goes out from a complete approved set, never from the
    part that happens to be approved (archive an optional artifact to leave it out on purpose)."""
    required = [
        DeliveryReason(Check.APPROVED, gate.upstream.value, str(gate))
        for gate in gate_reasons(Module.DELIVERY, statuses)
    ]
    unfinished = [
        DeliveryReason(
            Check.APPROVED,
            m.value,
            f"{m.value} ({statuses[m].value} - approve it, or archive it to leave it out)",
        )
        for m in DELIVERED
        if m not in REQUIRED
        and m in statuses
        and statuses[m] not in (ArtifactStatus.APPROVED, ArtifactStatus.ARCHIVED)
    ]
    return required + unfinished


def freshness_reasons(
    states: Mapping[Module, ArtifactState], included: Iterable[Module]
) -> list[DeliveryReason]:
    """One reason per stale cause of an included artifact: flagged ones, and approved ones whose
    upstream has moved on since they were built (the cascade normally flags those at once)."""
    reasons = []
    for module in included:
        state = states.get(module)
        if state is None:
            continue
        causes = list(state.causes) or stale_causes(module, states)
        reasons += [
            DeliveryReason(Check.FRESH, module.value, f"{module.value} (stale: {cause})") for cause in causes
        ]
    return reasons


def finding_reasons(module: Module, findings: Iterable[Finding]) -> list[DeliveryReason]:
    """Quality findings that block delivery (errors only; warnings never do), sorted into checks."""
    reasons = []
    for finding in findings:
        if finding.severity != "error":
            continue
        subject = f"{module.value}.{finding.field}" if finding.field else module.value
        check = _CHECK_OF_FINDING.get(finding.code, Check.QUALITY)
        reasons.append(DeliveryReason(check, subject, f"{subject}: {finding.message}"))
    return reasons


def schema_reason(module: Module, model_name: str, problem: str) -> DeliveryReason:
    """The content cannot be read as its schema (e.g. an artifact typed in by hand)."""
    return DeliveryReason(
        Check.QUALITY,
        module.value,
        f"{module.value}: content does not fit the {model_name} schema ({problem})",
    )


def refusal_message(reasons: Iterable[DeliveryReason]) -> str:
    return "delivery refused: " + "; ".join(str(r) for r in reasons)
