"""Learning loop use cases (SPEC §7 Kaizen): insights from measured posts, and what the next
generation takes from them.

An engagement's measured posts are estimated against a pooled prior: the client's other engagements
when they have data, else every client of the agency, else a 2 % default — so thin data borrows
strength from what is known, and says so. Numbers are computed on read from the imported rows; every
figure names the posts and CSV lines behind it.
"""

from __future__ import annotations

from aicmo.domain.learning import Estimate, Insights, insights_record, learn, pooled_prior
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.learning import ComparisonPublic, LearningReport, MeasuredPost, OptionEstimate
from aicmo.services.engagements import load_engagement
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
    prior, source = pooled_prior([("client", client_level), ("agency", agency_level)])
    return learn(own, prior), source


def learned_inputs(uow: UnitOfWork, engagement_id: str) -> dict[str, object]:
    """What the execution generator learns from ({} until a post of this engagement is measured)."""
    insights, _ = engagement_insights(uow, engagement_id)
    return {"learned": insights_record(insights)} if insights.observations else {}


DECISIONS = {"approve": "approval", "auto_approve": "approval", "reject": "rejection", "amend": "amendment"}
MAX_DECISIONS = 2_000


def learn_inputs(uow: UnitOfWork, engagement_id: str) -> dict[str, object]:
    """What the Learn module reads: the measured posts' insights, and every decision people (and
    auto-approval) made on this engagement's artifacts, from the audit trail (SPEC §7 learning events)."""
    rows, _ = uow.audit.list(filters={"engagement_id": engagement_id}, limit=MAX_DECISIONS, offset=0)
    events = []
    for row in rows:
        kind = DECISIONS.get(row.action.removeprefix("artifact."))
        if kind and row.action.startswith("artifact."):
            events.append(
                {
                    "kind": kind,
                    "module": row.artifact_type or "",
                    "at": row.at.isoformat(),
                    "comment": row.comment,
                }
            )
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
        f"{insights.observations} measured posts; rates are pooled with the {source} rate "
        f"{insights.prior_mean:.2%} (worth 2,000 impressions), so thin data stays near it."
        if insights.observations
        else "No measured posts yet: import performance data whose post column names the plan's post ids."
    )
    return LearningReport(
        engagement_id=engagement.id,
        measured_posts=insights.observations,
        prior_rate=insights.prior_mean,
        prior_source=source,  # type: ignore[arg-type]
        estimates=estimates,
        comparisons=comparisons,
        posts=[MeasuredPost(**{**vars(o), "source_rows": list(o.source_rows)}) for o in observations],
        note=note,
    )
