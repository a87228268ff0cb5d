"""The delivery checks as pure rules: what goes in, and the named reasons when it may not go out."""

from __future__ import annotations

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.delivery import (
    Check,
    approval_reasons,
    finding_reasons,
    freshness_reasons,
    included_modules,
    refusal_message,
)
from aicmo.domain.quality import Finding
from aicmo.domain.staleness import ArtifactState, StaleCause

S = ArtifactStatus
M = Module


def test_required_artifacts_are_always_included_and_optional_ones_only_when_approved() -> None:
    statuses = {
        M.INTAKE: S.APPROVED,
        M.STRATEGY: S.DRAFT,
        M.EXECUTION: S.APPROVED,
        M.MONITORING: S.FLAGGED_FOR_REVIEW,
        M.DELIVERY: S.APPROVED,
        M.LEADGEN: S.APPROVED,  # never part of a client delivery
    }
    assert included_modules(statuses) == [M.INTAKE, M.STRATEGY, M.EXECUTION, M.DELIVERY]


def test_approval_reasons_name_each_missing_or_unapproved_required_artifact() -> None:
    reasons = approval_reasons({M.INTAKE: S.APPROVED, M.STRATEGY: S.DRAFT, M.EXECUTION: S.FLAGGED_FOR_REVIEW})
    assert [str(r) for r in reasons] == [
        "strategy (draft - must be approved)",
        "creatives (missing)",
        "execution (flagged_for_review - upstream changed)",
    ]
    assert {r.check for r in reasons} == {Check.APPROVED}


def test_an_optional_artifact_that_exists_unapproved_blocks_delivery_until_approved_or_archived() -> None:
    complete = {m: S.APPROVED for m in (M.INTAKE, M.STRATEGY, M.CREATIVES, M.EXECUTION)}
    assert approval_reasons(complete) == []  # no monitoring or delivery artifact at all
    reasons = approval_reasons({**complete, M.MONITORING: S.DRAFT, M.DELIVERY: S.ARCHIVED})
    assert [str(r) for r in reasons] == ["monitoring (draft - approve it, or archive it to leave it out)"]
    assert approval_reasons({**complete, M.MONITORING: S.APPROVED, M.DELIVERY: S.ARCHIVED}) == []


def test_freshness_names_stored_causes_and_catches_an_approved_artifact_built_on_an_old_upstream() -> None:
    flagged_cause = StaleCause(M.INTAKE, 1, 2)
    states = {
        M.INTAKE: ArtifactState(2, S.APPROVED, {}),
        M.STRATEGY: ArtifactState(1, S.FLAGGED_FOR_REVIEW, {"intake": 1}, (flagged_cause,)),
        M.CREATIVES: ArtifactState(3, S.APPROVED, {"strategy": 1}),
        M.EXECUTION: ArtifactState(1, S.APPROVED, {"strategy": 0, "creatives": 3}),
    }
    reasons = freshness_reasons(states, [M.INTAKE, M.STRATEGY, M.CREATIVES, M.EXECUTION])
    assert [str(r) for r in reasons] == [
        "strategy (stale: intake changed from v1 to v2)",
        "creatives (stale: intake changed from v1 to v2 (via strategy))",
        "execution (stale: intake changed from v1 to v2 (via strategy))",
    ]


def test_findings_are_sorted_into_disclaimers_branding_and_quality_and_warnings_never_block() -> None:
    findings = [
        Finding("disclaimer_missing", "posts.3.text", "required disclaimer missing: 'Terms apply.'"),
        Finding("brand_missing", "", "the brand 'Acme' is not named anywhere in the content"),
        Finding("too_long", "posts.1.text", "x caption is 301 characters with hashtags (limit 280)"),
        Finding(
            "too_many_hashtags",
            "posts.2.hashtags",
            "5 hashtags on linkedin (recommended at most 3)",
            "warning",
        ),
    ]
    reasons = finding_reasons(M.EXECUTION, findings)
    assert [(r.check, str(r)) for r in reasons] == [
        (Check.DISCLAIMERS, "execution.posts.3.text: required disclaimer missing: 'Terms apply.'"),
        (Check.BRANDING, "execution: the brand 'Acme' is not named anywhere in the content"),
        (Check.QUALITY, "execution.posts.1.text: x caption is 301 characters with hashtags (limit 280)"),
    ]
    assert refusal_message(reasons[:2]) == (
        "delivery refused: execution.posts.3.text: required disclaimer missing: 'Terms apply.'; "
        "execution: the brand 'Acme' is not named anywhere in the content"
    )
