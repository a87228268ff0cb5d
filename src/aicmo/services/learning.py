"""Learning loop use cases (SPEC §7 Kaizen): insights from measured posts, and what the next
generation takes from them.

An engagement's measured posts are estimated against a pooled prior: the client's other engagements
when they have data, else every client of the agency, else a 2 % default — so thin data borrows
strength from what is known, and says so. Numbers are computed on read from the imported rows; every
figure names the posts and CSV lines behind it.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from aicmo.domain.artifacts import Module
from aicmo.domain.errors import Invalid, NotFound
from aicmo.domain.learning import (
    DIMENSIONS,
    EVENT_KINDS,
    AvoidPhrase,
    Estimate,
    Insights,
    amended_away,
    avoid_list,
    insights_record,
    learn,
    pooled_priors,
    slot_key,
    slot_label,
)
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.intake import Platform
from aicmo.domain.schemas.learning import (
    AvoidPhrasePublic,
    ComparisonPublic,
    LearningEventPublic,
    LearningEvents,
    LearningReport,
    MeasuredPost,
    OptionEstimate,
)
from aicmo.services import audit
from aicmo.services.access import require_client
from aicmo.services.engagements import load_engagement
from aicmo.services.generators._calendar import candidate_times
from aicmo.services.lru import LruCache
from aicmo.services.unit_of_work import UnitOfWork

MIN_POSTS_MEDIUM = 6
MIN_POSTS_HIGH = 20


def engagement_insights(uow: UnitOfWork, engagement_id: str) -> tuple[Insights, str]:
    """The engagement's insights and where its prior came from ("client", "agency" or "default")."""
    engagement = uow.engagements.get(engagement_id)
    assert engagement is not None
    everything = uow.metrics.observations()
    own = everything.get(engagement_id, [])
    siblings = set(uow.metrics.engagements_of_client(engagement.client_id)) - {engagement_id}
    client_level = [o for e in siblings for o in everything.get(e, [])]
    agency_level = [
        o for e, group in everything.items() if e not in siblings and e != engagement_id for o in group
    ]
    prior = pooled_priors([("agency", agency_level), ("client", client_level)])
    return learn(own, prior), prior.source.split(" → ")[0]


# What an engagement's data taught, by the state of that data (`learned_inputs`).
_LEARNED: LruCache[tuple[Any, ...], dict[str, object]] = LruCache(256)


def learned_inputs(uow: UnitOfWork, engagement_id: str) -> dict[str, object]:
    """What the execution generator learns from: the measured posts' insights (once a post of this
    engagement is measured) and the phrases the client's operators keep amending away (once any are).

    Learned once per state of the data it reads (every engagement's performance rows, for the
    priors, and the client's audit log): each of a plan's execution jobs asks, and reading and
    pooling everything each time cost more than the rest of the job's bookkeeping."""
    engagement = uow.engagements.get(engagement_id)
    assert engagement is not None
    key = (engagement_id, uow.metrics.version(), uow.audit.last_entry(engagement.client_id))
    learned = _LEARNED.get(key)
    if learned is None:
        learned = _learned_now(uow, engagement_id, engagement.client_id)
        _LEARNED.put(key, learned)
    return copy.deepcopy(learned)


def _learned_now(uow: UnitOfWork, engagement_id: str, client_id: str) -> dict[str, object]:
    insights, _ = engagement_insights(uow, engagement_id)
    out: dict[str, object] = {"learned": insights_record(insights)} if insights.observations else {}
    avoid = avoid_phrases(client_events(uow, client_id))
    if avoid:
        out["avoid"] = [{"phrase": a.phrase, "why": a.sentence()} for a in avoid]
    return out


LEARN_KINDS = ("approval", "rejection", "amendment", "publication")  # outcomes reach Learn as `learned`
MAX_DECISIONS = 2_000


def learn_inputs(uow: UnitOfWork, engagement_id: str) -> dict[str, object]:
    """What the Learn module reads: the measured posts' insights, and the engagement's learning events:
    every decision people (and auto-approval) made on its artifacts and campaign items, with reasons
    and what amendments took out, and its publications (SPEC §7 learning events)."""
    engagement = uow.engagements.get(engagement_id)
    found = client_events(uow, engagement.client_id, engagement_id) if engagement else []
    events = [
        {
            "kind": e.kind,
            "module": e.subject,
            "at": e.at.isoformat(),
            "comment": "; ".join(
                part
                for part in (
                    e.reason,
                    f"took out: {', '.join(e.removed_phrases[:5])}" if e.removed_phrases else "",
                )
                if part
            ),
        }
        for e in found[:MAX_DECISIONS]
        if e.kind in LEARN_KINDS
    ]
    return learned_inputs(uow, engagement_id) | {"events": events}


def _confidence(e: Estimate) -> str:
    if e.posts >= MIN_POSTS_HIGH:
        return "high"
    return "medium" if e.posts >= MIN_POSTS_MEDIUM else "low"


def learning_report(uow: UnitOfWork, principal: Principal, engagement_id: str) -> LearningReport:
    engagement = load_engagement(uow, principal, engagement_id)
    insights, source = engagement_insights(uow, engagement.id)
    observations = uow.metrics.observations([engagement.id]).get(engagement.id, [])
    estimates = [
        OptionEstimate(
            dimension=e.dimension,
            option=e.option,
            posts=e.posts,
            impressions=e.impressions,
            engagements=e.engagements,
            rate=e.raw_rate,
            estimate=e.mean,
            low=e.low,
            high=e.high,
            confidence=_confidence(e),
            posts_measured=list(e.post_ids),
        )
        for options in insights.by_dimension.values()
        for e in options.values()
    ]
    comparisons = [
        ComparisonPublic(
            dimension=c.dimension,
            best=c.best.option,
            other=c.other.option,
            ratio=c.ratio,
            low=c.low,
            high=c.high,
            confident=c.confident,
            sentence=c.sentence(),
        )
        for c in insights.comparisons.values()
    ]
    note = (
        f"{insights.observations} measured posts, fitted together (platform, pillar, format and posting "
        f"slot at once). Each effect is shrunk towards what is known one level up ({insights.prior_source}"
        f"; base rate {insights.prior_mean:.2%}), so thin data stays near it; posts vary "
        f"±{math.sqrt(insights.fitted.alpha if insights.fitted else 0):.0%} beyond counting noise "
        "(estimated from the data)."
        if insights.observations
        else "No measured posts yet: import performance data whose post column names the plan's post ids."
    )
    no_data = _unmeasured(uow, engagement.id, insights)
    if any(no_data.values()):
        note += (
            " No data yet (not zero) for: "
            + "; ".join(f"{d} {', '.join(options)}" for d, options in no_data.items() if options)
            + "."
        )
    return LearningReport(
        engagement_id=engagement.id,
        measured_posts=insights.observations,
        prior_rate=insights.prior_mean,
        prior_source=source,  # type: ignore[arg-type]
        estimates=estimates,
        comparisons=comparisons,
        posts=[
            MeasuredPost(
                **{**vars(o), "source_rows": list(o.source_rows), "source_imports": list(o.source_imports)}
            )
            for o in observations
        ],
        no_data=no_data,
        note=note,
    )


# ---- learning events (SPEC §7): generation, approval, rejection, amendment, publication, outcome ----
EVENT_ACTION = "learning.{kind}"  # what `record_event` writes to the audit trail
AUDIT_KINDS = {  # audit actions that are learning events already
    "artifact.generate": "generation",
    "artifact.approve": "approval",
    "artifact.auto_approve": "approval",
    "artifact.client_approve": "approval",
    "artifact.reject": "rejection",
    "artifact.amend": "amendment",
    "metrics.import": "outcome",
}
MAX_EVENTS = 5_000


def record_event(
    uow: UnitOfWork,
    actor: Principal | str,
    kind: str,
    *,
    client_id: str,
    engagement_id: str | None = None,
    subject: str = "",
    reason: str = "",
    before: object = None,
    after: object = None,
    data: Mapping[str, Any] | None = None,
) -> None:
    """Record one learning event (the caller commits, in the same transaction as what it records).

    `kind` is one of `EVENT_KINDS`; `subject` names what it is about ("campaign item ci_12", "post
    instagram-03"); `reason` is a rejection's reason or an amendment's note. For an amendment give the
    text or content `before` and `after`: the changed fields and the phrases taken out are kept, and
    phrases operators keep taking out reach the next generation's avoid list. For a publication or an
    outcome put its facts in `data` (platform, post id, url, published_at; impressions, engagements)."""
    if kind not in EVENT_KINDS:
        raise Invalid(
            f"unknown learning event kind {kind!r}", [{"field": "kind", "message": ", ".join(EVENT_KINDS)}]
        )
    facts: dict[str, Any] = {"subject": subject, **dict(data or {})}
    if kind == "amendment" and (before is not None or after is not None):
        changed, phrases = amended_away(before, after)
        facts |= {"changed": changed, "removed_phrases": phrases}
    audit.record(
        uow,
        actor,
        EVENT_ACTION.format(kind=kind),
        client_id=client_id,
        engagement_id=engagement_id,
        comment=reason,
        data=facts,
    )


def _event(row: Any) -> LearningEventPublic | None:
    action = str(row.action)
    kind = AUDIT_KINDS.get(action) or (
        action.removeprefix("learning.") if action.startswith("learning.") else None
    )
    if kind not in EVENT_KINDS or not row.client_id:
        return None
    data = dict(row.data or {})
    subject = str(data.pop("subject", "") or row.artifact_type or "")
    if action == "metrics.import":
        subject = subject or f"import {data.get('import_id', '')}".strip()
    return LearningEventPublic(
        id=row.id,
        kind=kind,  # type: ignore[arg-type]
        at=row.at,
        actor=row.actor,
        client_id=row.client_id,
        engagement_id=row.engagement_id,
        subject=subject,
        version=row.to_version,
        reason=row.comment or "",
        changed=[str(c) for c in data.pop("changed", []) or []],
        removed_phrases=[str(p) for p in data.pop("removed_phrases", []) or []],
        data=data,
    )


def client_events(
    uow: UnitOfWork, client_id: str, engagement_id: str | None = None
) -> list[LearningEventPublic]:
    """Every learning event of the client (newest first), optionally of one engagement."""
    rows, _ = uow.audit.list(
        filters={"client_id": client_id, "engagement_id": engagement_id}, limit=MAX_EVENTS, offset=0
    )
    return [e for e in (_event(r) for r in rows) if e is not None]


def avoid_phrases(events: Sequence[LearningEventPublic]) -> list[AvoidPhrase]:
    return avoid_list((e.id, e.removed_phrases) for e in events if e.kind == "amendment")


def learning_events(
    uow: UnitOfWork,
    principal: Principal,
    client_id: str,
    *,
    engagement_id: str | None = None,
    kind: str | None = None,
) -> LearningEvents:
    """The client's learning events, per kind, and the phrases its operators keep amending away."""
    require_client(principal, client_id)
    if uow.clients.get(client_id) is None:
        raise NotFound("client not found")
    events = client_events(uow, client_id, engagement_id)
    avoid = avoid_phrases(events)
    counts = dict.fromkeys(EVENT_KINDS, 0) | Counter(e.kind for e in events)
    shown = [e for e in events if kind is None or e.kind == kind]
    return LearningEvents(
        client_id=client_id,
        count=len(shown),
        counts=counts,
        events=shown,
        avoid=[
            AvoidPhrasePublic(phrase=a.phrase, times=a.times, events=list(a.events), sentence=a.sentence())
            for a in avoid
        ],
    )


def _unmeasured(uow: UnitOfWork, engagement_id: str, insights: Insights) -> dict[str, list[str]]:
    """Options the engagement's current plan uses (and the posting times it may try) that no measured
    post has taken yet."""
    execution = uow.artifacts.by_engagement(engagement_id).get(Module.EXECUTION.value)
    posts = [p for p in (execution.content.get("posts") or []) if isinstance(p, dict)] if execution else []
    platforms = {str(p.get("platform", "")) for p in posts}
    planned = {
        "platform": platforms,
        "pillar": {str(p.get("pillar", "")) for p in posts},
        "format": {str(p.get("format", "")) for p in posts},
        "slot": {
            slot_key(platform, slot_label(weekday, at))
            for platform in platforms
            if platform in {p.value for p in Platform}
            for weekday, at in candidate_times(Platform(platform))
        },
    }
    return {
        d: sorted(o for o in planned[d] - set(insights.by_dimension.get(d, {})) if o)
        for d in DIMENSIONS
        if planned[d] - set(insights.by_dimension.get(d, {}))
    }
