"""KPIs by objective, with targets from the brief where it gives them and benchmarks otherwise.

Benchmarks are derived from the brief's own numbers where possible (budget ÷ lead target gives a
cost-per-lead ceiling, hires × 8 gives an application target) and fall back to conservative
industry rules of thumb, labelled `benchmark` so nobody mistakes them for the client's targets.
"""

from __future__ import annotations

from dataclasses import dataclass

from aicmo.domain.channels import CHANNELS
from aicmo.domain.schemas.intake import Objective, Platform
from aicmo.domain.schemas.strategy import KPI
from aicmo.services.generators._facts import Facts
from aicmo.services.generators._numbers import PERIOD_WEEKS, amounts
from aicmo.services.generators._text import slug

# Rough cost per lead by market type, in the brief's currency (benchmarks, not promises).
_CPL = {"b2b": 150, "professional": 90, "local": 45, "ecommerce": 30, "care": 60, "general": 70}
_CPM = 9.0
_PRIMARY = {
    Objective.LEADS: {"leads"},
    Objective.SALES: {"roas", "revenue", "subscribers", "cpa"},
    Objective.HIRING: {"hires", "applications"},
    Objective.AWARENESS: {"reach", "followers", "engagement_rate"},
    Objective.PARTNERSHIPS: {"partners"},
    Objective.RETENTION: {"retention_rate", "nps", "reviews"},
}
FORMULAS = {
    "leads": "qualified enquiries (forms, calls, bookings) that match the ICP",
    "cost_per_lead": "paid spend ÷ qualified leads",
    "conversion_rate": "conversions ÷ landing-page sessions",
    "lead_to_meeting": "leads that reach a sales conversation ÷ leads",
    "ctr": "clicks ÷ impressions",
    "roas": "attributed revenue ÷ ad spend",
    "revenue": "order revenue attributed to campaign traffic",
    "aov": "revenue ÷ orders",
    "subscribers": "new active subscriptions",
    "cpa": "paid spend ÷ new customers",
    "hires": "accepted offers from campaign-sourced candidates",
    "applications": "completed applications from campaign sources",
    "cost_per_hire": "campaign spend ÷ hires",
    "cost_per_application": "campaign spend ÷ completed applications",
    "time_to_hire": "median days from application to accepted offer",
    "apply_rate": "applications started ÷ careers-page visits",
    "reach": "unique people reached across platforms",
    "engagement_rate": "engagements ÷ impressions",
    "followers": "net new followers",
    "branded_search": "branded search clicks and direct sessions",
    "partners": "partner conversations, meetings and signed agreements",
    "partner_leads": "leads with a partner as the source",
    "retention_rate": "customers active at day 90 ÷ customers at day 0",
    "churn": "customers lost in the month ÷ customers at the start of the month",
    "email_ctr": "unique e-mail clicks ÷ delivered e-mails",
    "referrals": "customers who referred someone ÷ active customers",
    "reviews": "average public review rating and count",
    "nps": "% promoters − % detractors",
}


@dataclass(frozen=True)
class KpiSpec:
    metric: str
    kpi: KPI

    @property
    def formula(self) -> str:
        return FORMULAS.get(self.metric, "as defined in the brief's KPI targets")


def conversion_event(f: Facts) -> str:
    if f.objective is Objective.LEADS:
        return (
            "consultation booked" if f.kind in {"professional", "local"} or f.booking_link else "demo booked"
        )
    return {
        Objective.SALES: "purchase" + (" and subscription started" if f.is_subscription else ""),
        Objective.HIRING: "application submitted",
        Objective.AWARENESS: "engaged session (60s+ or 2+ pages)",
        Objective.PARTNERSHIPS: "partner enquiry submitted",
        Objective.RETENTION: "repeat purchase or key feature used",
    }[f.objective]


def kpis_for(f: Facts) -> list[KpiSpec]:
    """Primary KPI first; brief targets replace benchmarks for the same metric. At most six."""
    benchmark = _BENCHMARKS[f.objective](f)
    brief = [
        KpiSpec(
            t.metric if t.metric != "custom" else f"custom-{slug(t.label)}",
            _kpi(t.label, t.text, "brief", t.period),
        )
        for t in f.targets
    ]
    brief_metrics = {s.metric for s in brief}
    merged = brief + [s for s in benchmark if s.metric not in brief_metrics]
    primary_metrics = _PRIMARY[f.objective]
    primary = next((s for s in merged if s.metric in primary_metrics), merged[0])
    ordered = [primary, *(s for s in merged if s is not primary)]
    return ordered[:6]


def _kpi(name: str, target: str, source: str, period: str = "") -> KPI:
    cadence = (
        "monthly" if period in {"per month", "per quarter", "per year"} or "end of" in period else "weekly"
    )
    return KPI(name=name, target=target, source=source, cadence=cadence)


def _bench(metric: str, name: str, target: str, cadence: str = "weekly") -> KpiSpec:
    return KpiSpec(metric, KPI(name=name, target=target, source="benchmark", cadence=cadence))


def _monthly_budget(f: Facts) -> float | None:
    return f.budget.monthly if f.budget and f.budget.monthly else None


def _monthly(f: Facts, metric: str) -> float | None:
    target = f.target(metric)
    if not target or target.value is None:
        return None
    if target.period in PERIOD_WEEKS:
        return target.value / PERIOD_WEEKS[target.period] * 4.345
    if "end of" in target.period or not target.period:
        return target.value / max(f.weeks / 4.345, 1)
    return None


def _leads(f: Facts) -> list[KpiSpec]:
    cur = f.currency
    budget = _monthly_budget(f)
    cpl = _CPL.get(f.kind, 70)
    lead_name = "Consultations booked" if f.kind in {"professional", "local"} else "Qualified leads (MQLs)"
    leads_target = (
        f"{f.number(round(budget / cpl))} per month (budget ÷ {f.money(cpl, cur)} benchmark cost per lead)"
        if budget
        else "set after a 2-week baseline, then +15% month on month"
    )
    monthly_leads = _monthly(f, "leads")
    cpl_target = (
        f"≤ {f.money(budget / monthly_leads, cur)} (monthly budget ÷ lead target)"
        if budget and monthly_leads
        else f"≤ {f.money(cpl, cur)}"
    )
    meeting = "Enquiry-to-instruction rate" if f.kind in {"professional", "local"} else "Lead-to-meeting rate"
    return [
        _bench("leads", lead_name, leads_target, "weekly"),
        _bench("cost_per_lead", "Cost per lead", cpl_target),
        _bench(
            "conversion_rate",
            "Landing-page conversion rate",
            "≥ 6% of sessions" if f.kind == "professional" else "≥ 3% of sessions",
        ),
        _bench("lead_to_meeting", meeting, "≥ 30% of leads", "monthly"),
        _bench("ctr", "Click-through rate (paid social)", "≥ 0.8%"),
    ]


def _sales(f: Facts) -> list[KpiSpec]:
    cur = f.currency
    budget = _monthly_budget(f)
    roas_target = f.target("roas")
    roas = roas_target.value if roas_target and roas_target.value else 3.0
    specs = [_bench("roas", "ROAS", "≥ 3x")]
    if budget:
        specs.append(
            _bench(
                "revenue",
                "Attributed revenue",
                f"{f.money(budget * roas, cur)} per month (monthly budget × {roas:g}x ROAS)",
                "monthly",
            )
        )
    aov = next((a for a in amounts(f.aov) if not a.percent), None)
    specs.append(
        _bench(
            "aov",
            "Average order value",
            f"≥ {f.money(aov.value, aov.currency or cur)} (the brief's current AOV)"
            if aov
            else "baseline in week 2, then +10% with bundles",
            "monthly",
        )
    )
    if f.is_subscription:
        new_subs = _monthly(f, "subscribers")
        cpa = (
            f"≤ {f.money(budget / new_subs, cur)} (monthly budget ÷ subscriber target)"
            if budget and new_subs
            else f"≤ {f.money(3 * (aov.value if aov else 30), cur)}"
        )
        specs.append(
            _bench("subscribers", "New subscribers", "baseline in weeks 1-2, then +10% per month", "monthly")
        )
        specs.append(_bench("cpa", "Cost per new subscriber", cpa))
    specs.append(_bench("conversion_rate", "Store conversion rate", "≥ 2.5% of sessions"))
    return specs


def _hiring(f: Facts) -> list[KpiSpec]:
    cur = f.currency
    hires = f.target("hires")
    total = f.budget.for_weeks(f.weeks) if f.budget else None
    specs = [_bench("hires", "Hires", "agree a hiring number with the hiring managers in week 1", "monthly")]
    if hires and hires.value:
        specs.append(
            _bench(
                "applications",
                "Qualified applications",
                f"≥ {f.number(hires.value * 8)} (about 8 per hire for {f.number(hires.value)} hires)",
            )
        )
        if total:
            specs.append(
                _bench(
                    "cost_per_hire",
                    "Cost per hire",
                    f"≤ {f.money(total / hires.value, cur)} (budget for the engagement ÷ hires)",
                    "monthly",
                )
            )
    else:
        specs.append(
            _bench("applications", "Qualified applications", "baseline in weeks 1-2, then +15% per month")
        )
    specs.append(_bench("time_to_hire", "Time to hire", "≤ 35 days (median)", "monthly"))
    specs.append(_bench("apply_rate", "Careers-page apply rate", "≥ 8% of visits start an application"))
    return specs


def _awareness(f: Facts) -> list[KpiSpec]:
    budget = _monthly_budget(f)
    reach = (
        f"{f.number(round(budget / _CPM * 1000, -3))} per month (budget at a {f.money(_CPM, f.currency)} CPM)"
        if budget
        else "+25% unique reach versus weeks 1-2"
    )
    return [
        _bench("reach", "Reach", reach, "monthly"),
        _bench("engagement_rate", "Engagement rate", "≥ 2.5% of impressions"),
        _bench(
            "followers",
            "Follower growth",
            f"+10% across {len(f.platforms)} platforms by the final week",
            "monthly",
        ),
        _bench(
            "branded_search",
            "Branded search and direct visits",
            "+15% versus the pre-campaign month",
            "monthly",
        ),
    ]


def _partnerships(f: Facts) -> list[KpiSpec]:
    return [
        _bench("partners", "Signed partners", f"≥ {max(2, f.weeks // 4)} by the final week", "monthly"),
        _bench("partner_conversations", "Partner conversations started", "≥ 8 per month", "monthly"),
        _bench("partner_meetings", "Partner meetings held", "≥ 4 per month", "monthly"),
        _bench(
            "partner_leads",
            "Partner-sourced leads",
            "baseline in the first month, then +20% per month",
            "monthly",
        ),
    ]


def _retention(f: Facts) -> list[KpiSpec]:
    specs = [
        _bench("retention_rate", "90-day retention", "≥ 85%", "monthly"),
        _bench("churn", "Monthly churn", "≤ 3%", "monthly"),
        _bench("referrals", "Referral rate", "≥ 5% of active customers", "monthly"),
    ]
    if Platform.EMAIL in f.platforms:
        specs.append(_bench("email_ctr", "E-mail click rate", "≥ 3% of delivered"))
    else:
        specs.append(_bench("engagement_rate", "Engagement rate among customers", "≥ 3% of impressions"))
    return specs


_BENCHMARKS = {
    Objective.LEADS: _leads,
    Objective.SALES: _sales,
    Objective.HIRING: _hiring,
    Objective.AWARENESS: _awareness,
    Objective.PARTNERSHIPS: _partnerships,
    Objective.RETENTION: _retention,
}


def tracking_requirements(f: Facts, start_month: str) -> list[str]:
    event = conversion_event(f)
    campaign = f"{slug(f.short_brand)}-{start_month}"
    tracking = f.intake.tracking_status.strip()
    items = [f"UTM on every link: utm_source=<platform>, utm_medium=social, utm_campaign={campaign}."]
    if "ga4" in tracking.lower() or "google analytics" in tracking.lower():
        items.append(f"GA4 is installed (per the brief): mark '{event}' as a key event and check it fires.")
    else:
        items.append(
            f"Confirm web analytics (GA4 or equivalent) and mark '{event}' as a key event before week 1."
        )
    pixels = {p: CHANNELS[p].tracking for p in f.platforms if CHANNELS[p].tracking}
    items += list(dict.fromkeys(pixels[p] for p in f.platforms if p in pixels))
    system = {
        Objective.LEADS: "CRM: lead source, MQL definition (matches the ICP) and the date of each stage.",
        Objective.SALES: "Store platform: revenue and orders by UTM source; subscription start and "
        "cancel events.",
        Objective.HIRING: "ATS: source of every application and "
        f"hire{' by role (' + ', '.join(f.roles) + ')' if f.roles else ''}.",
        Objective.AWARENESS: "Social listening or platform analytics export each week (reach, mentions, "
        "sentiment).",
        Objective.PARTNERSHIPS: "CRM: partner as a lead source and a partner pipeline with stages.",
        Objective.RETENTION: "Customer data: cohort by start month, churn date and reason, referral source.",
    }[f.objective]
    items.append(system)
    if f.intake.ad_account_status.strip():
        items.append(
            f"Ad accounts: {f.intake.ad_account_status.strip()} (per the brief); confirm admin access."
        )
    return items
