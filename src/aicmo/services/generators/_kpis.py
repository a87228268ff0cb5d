"""KPIs by objective, with targets from the brief where it gives them and benchmarks otherwise.

Benchmarks are derived from the brief's own numbers where possible (budget ÷ lead target gives a
cost-per-lead ceiling, hires × 8 gives an application target) and fall back to conservative
industry rules of thumb, labelled `benchmark` so nobody mistakes them for the client's targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aicmo.domain.channels import CHANNELS
from aicmo.domain.playbooks import BusinessModel, KpiDef, Playbook, business_model, playbook
from aicmo.domain.schemas.intake import Objective, Platform
from aicmo.domain.schemas.strategy import KPI
from aicmo.services.generators._facts import Facts, conversion_action
from aicmo.services.generators._numbers import PERIOD_WEEKS, Target, amounts
from aicmo.services.generators._text import human_list, slug

# Rough cost per lead by market type, in the brief's currency (benchmarks, not promises).
_CPL = {"b2b": 150, "professional": 90, "local": 45, "ecommerce": 30, "care": 60, "general": 70}
_CPM = 9.0
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
    """The event that counts as a conversion for this client's business model (domain.playbooks)."""
    model = business_model(f.intake)
    if model is BusinessModel.ONLINE_STORE and f.is_subscription:
        return "purchase and subscription started"
    if model is BusinessModel.APPOINTMENT_SERVICE and re.search(
        r"(?i)consult", f.offer + f.intake.kpi_targets
    ):
        return "consultation booked"
    return playbook(model).conversion_event


# Brief metrics (services.generators._numbers.METRICS) that count each model's result, deepest first.
PRIMARY_ORDER: dict[BusinessModel, tuple[str, ...]] = {
    BusinessModel.ONLINE_STORE: ("orders", "revenue", "subscribers", "roas", "cpa"),
    BusinessModel.LOCAL_VENUE: ("visits", "orders", "leads", "revenue"),
    BusinessModel.APPOINTMENT_SERVICE: ("leads", "revenue"),
    BusinessModel.B2B_SALES: ("leads", "revenue", "subscribers"),
    BusinessModel.B2B_PARTNER: ("partners", "partner_applications", "leads"),
    BusinessModel.CONSUMER_SIGNUP: ("accounts", "subscribers", "leads", "orders"),
    BusinessModel.NONPROFIT: ("volunteers", "leads", "revenue"),
    BusinessModel.EMPLOYER: ("hires", "applications"),
    BusinessModel.RETENTION: ("churn", "retention_rate", "visits_per_member", "subscribers"),
    BusinessModel.EVENTS: ("tickets", "leads", "revenue"),
    BusinessModel.HOSPITALITY: ("leads", "revenue", "orders"),
}
AWARENESS_ORDER = ("impressions", "reach", "followers", "engagement_rate")
# A brief metric covers these benchmark rows (so a benchmark never repeats a brief target).
COVERS: dict[str, frozenset[str]] = {
    "leads": frozenset({"leads", "bookings", "demos", "sqls"}),
    "visits": frozenset({"visits", "redemptions"}),
    "accounts": frozenset({"accounts", "activated"}),
    "volunteers": frozenset({"signups"}),
    "impressions": frozenset({"impressions", "reach"}),
    "partner_applications": frozenset({"partner_applications"}),
    "cost_per_lead": frozenset({"cost_per_lead", "cost_per_booking"}),
    "cost_per_result": frozenset({"cost_per_account", "cost_per_booking", "cost_per_ticket", "cpa"}),
    "churn": frozenset({"churn", "retention_rate"}),
}
# What one result usually costs in paid media (brief currency units): benchmarks for feasibility.
RESULT_COSTS: dict[str, tuple[str, float, float]] = {
    "impressions": ("1,000 impressions", 5, 15),
    "visits": ("visit", 3, 15),
    "orders": ("order", 20, 60),
    "volunteers": ("volunteer sign-up", 5, 40),
    "applications": ("application", 10, 50),
    "hires": ("hire", 500, 4000),
    "partners": ("signed partner", 500, 3000),
    "partner_applications": ("partner application", 80, 400),
    "tickets": ("ticket", 15, 80),
    "subscribers": ("subscriber", 30, 120),
}


def primary_index(f: Facts) -> int | None:
    """Which of the brief's targets is the primary KPI: the deepest result the business model
    counts (or reach first when the objective is awareness), else the first count in the brief."""
    model = business_model(f.intake)
    order = PRIMARY_ORDER[model]
    if f.objective is Objective.AWARENESS:
        order = AWARENESS_ORDER + order
    candidates = [(i, t) for i, t in enumerate(f.targets) if t.value is not None]
    for metric in order:
        hits = [i for i, t in candidates if t.metric == metric and not t.currency]
        if hits:
            deeper = [
                i for i in hits if re.search(r"(?i)funded|active|signed|paid|qualified", f.targets[i].raw)
            ]
            return (deeper or hits)[0]
    counts = [i for i, t in candidates if t.is_count]
    return counts[0] if counts else (candidates[0][0] if candidates else None)


def primary_reason(f: Facts) -> str:
    """One line on why the primary KPI is the primary KPI, from the brief."""
    book = playbook(business_model(f.intake))
    index = primary_index(f)
    if index is None:
        return (
            f"The brief sets no numeric target, so the plan is judged on {book.primary_kpi.name.lower()} "
            f"({book.primary_kpi.measured_in}), the result a {book.label.lower()} lives on; agree the "
            "number in week 1."
        )
    target = f.targets[index]
    where = _measured_in(book, target)
    if f.objective is Objective.AWARENESS and target.metric in AWARENESS_ORDER:
        return (
            f"The objective is awareness and the brief's number for it is {target.label.lower()} "
            f"({target.text}), so that is judged first ({where}); {conversion_action(f)} is tracked "
            "beside it."
        )
    if not target.is_count:
        return (
            f"{target.label} is the brief's own target and what {book.who} is judged on; it moves with "
            f"{conversion_action(f)}; measured in {where}."
        )
    return (
        f"{target.label} is the brief's own target and the closest count of {conversion_action(f)}, "
        f"the action {book.who} converts on; measured in {where}."
    )


def _measured_in(book: Playbook, target: Target) -> str:
    hit = next((k for k in book.kpis if k.metric in COVERS.get(target.metric, {target.metric})), None)
    return (hit or book.primary_kpi).measured_in


def kpis_for(f: Facts) -> list[KpiSpec]:
    """The brief's targets first (the primary one leading), then benchmarks for what the business
    model is judged on that the brief did not set, labelled as benchmarks. At most six."""
    brief = [
        KpiSpec(
            t.metric if t.metric != "custom" else f"custom-{slug(t.label)}",
            _kpi(t.label, t.text, "brief", t.period),
        )
        for t in f.targets
    ]
    covered = set().union(*(COVERS.get(s.metric, {s.metric}) | {s.metric} for s in brief)) if brief else set()
    benchmark = [s for s in _benchmarks(f) if s.metric not in covered]
    index = primary_index(f)
    merged = brief + benchmark
    primary = brief[index] if index is not None else merged[0]
    ordered = [primary, *(s for s in merged if s is not primary)]
    return ordered[:6]


def _benchmarks(f: Facts) -> list[KpiSpec]:
    model = business_model(f.intake)
    rows = _BY_MODEL[model](f) if model in _BY_MODEL else _playbook_rows(f, playbook(model))
    return _awareness(f) + rows if f.objective is Objective.AWARENESS else rows


def _playbook_rows(f: Facts, book: Playbook) -> list[KpiSpec]:
    """Benchmark rows from the playbook's KPIs, with a number wherever one can honestly be given."""
    budget = _monthly_budget(f)
    rows = []
    for index, k in enumerate(book.kpis):
        rows.append(_bench(k.metric, k.name, _playbook_target(f, book, k, index, budget), "monthly"))
    return rows


_FIXED_TARGETS = {
    "show_rate": "≥ 80% of booked appointments attended",
    "reviews": "≥ 4.5 stars, with a review request after every visit",
    "gbp_actions": "+20% calls and direction requests versus the month before",
    "activated": "≥ 40% of new accounts funded or active within 30 days",
    "signup_rate": "≥ 5% of landing-page sessions",
    "attendance": "≥ 60% of sign-ups attend",
    "redemptions": "≥ 10% of campaign visits use the code",
    "direct_share": "+10 points of bookings made direct",
}


def _playbook_target(f: Facts, book: Playbook, k: KpiDef, index: int, budget: float | None) -> str:
    low, high = book.benchmark.low, book.benchmark.high
    span = f"{f.money(low, f.currency)}–{f.money(high, f.currency)}"
    if k.metric in _FIXED_TARGETS:
        return _FIXED_TARGETS[k.metric]
    if k.metric.startswith("cost_per"):
        return f"≤ {f.money(high, f.currency)} (benchmark {span})"
    if k.metric == "impressions" and budget:
        reach = f.number(round(budget / _CPM * 1000, -3))
        return f"{reach} per month (budget at a {f.money(_CPM, f.currency)} CPM)"
    if index == 0 and budget:
        estimate = f.number(round(budget / ((low + high) / 2)))
        return f"≈ {estimate} per month (monthly budget ÷ {span} benchmark cost per {book.benchmark.result})"
    return "baseline in weeks 1-2, then +10% per month"


def feasibility(f: Facts) -> list[str]:
    """Budget ÷ target = the implied cost per result, against a benchmark range, for each of the
    brief's count targets that has one. A pairing far outside the range is flagged ('Check:')."""
    if not f.budget or not f.budget.monthly:
        return []
    book = playbook(business_model(f.intake))
    lines = []
    for target in f.targets:
        if not target.is_count:
            continue
        cost = _result_cost(target, book)
        per_month = _per_month(f, target)
        if cost is None or not per_month:
            continue
        result, low, high = cost
        budget = f.budget.monthly
        implied = budget / (per_month / 1000 if target.metric == "impressions" else per_month)
        money = f.money
        said = (
            f"{target.label}: {target.text} on {money(budget, f.currency)} a month is about "
            f"{money(implied, f.currency)} per {result} (benchmark {money(low, f.currency)}–"
            f"{money(high, f.currency)})"
        )
        if implied < low * 0.5:
            lines.append(
                f"Check: {said}. Paid media alone rarely buys results that cheaply: the target needs "
                "strong organic, referral and repeat effects, a larger budget or a lower number; agree "
                "which in week 1."
            )
        elif implied < low:
            lines.append(
                f"{said}: below the usual range, so ambitious; organic and referrals must carry part."
            )
        elif implied <= high:
            lines.append(f"{said}: within the usual range.")
        elif implied <= high * 2:
            lines.append(f"{said}: above the usual range; the plan aims to beat the target.")
        else:
            lines.append(f"{said}: the budget is generous for this target; the plan aims well above it.")
    return lines


def _result_cost(target: Target, book: Playbook) -> tuple[str, float, float] | None:
    if target.metric in RESULT_COSTS:
        return RESULT_COSTS[target.metric]
    if target.metric == "accounts":
        funded = re.search(r"(?i)funded|active|paying", target.raw)
        return ("funded account", 50, 250) if funded else ("account opened", 5, 30)
    if target.metric in PRIMARY_ORDER[book.model][:1] or target.metric == "leads":
        return book.benchmark.result, book.benchmark.low, book.benchmark.high
    return None


def _per_month(f: Facts, target: Target) -> float | None:
    """Results a month the target asks for (the increase over a baseline when one is given)."""
    if target.value is None:
        return None
    value = target.value - (target.baseline or 0)
    if value <= 0:
        return None
    if target.period == "per day":
        return value * (21.7 if re.search(r"(?i)weekday", target.raw) else 30.4)
    if target.period in PERIOD_WEEKS:
        return value / PERIOD_WEEKS[target.period] * 4.345
    return value / max(f.weeks / 4.345, 1)


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


_BY_MODEL = {
    BusinessModel.B2B_SALES: _leads,
    BusinessModel.ONLINE_STORE: _sales,
    BusinessModel.EMPLOYER: _hiring,
    BusinessModel.B2B_PARTNER: _partnerships,
    BusinessModel.RETENTION: _retention,
}


def tracking_requirements(f: Facts, start_month: str) -> list[str]:
    """What must be in place to measure the KPIs, from the business model's own systems (a client
    without a website gets profile, maps, code and till tracking, never site analytics)."""
    model = business_model(f.intake)
    book = playbook(model)
    event = conversion_event(f)
    campaign = f"{slug(f.short_brand)}-{start_month}"
    tracking = f.intake.tracking_status.strip()
    if f.intake.no_website and not f.intake.website:
        items = [
            f"No website: every link goes to the Instagram or Facebook profile, the Google Maps listing or a "
            f"link-in-bio page, each with utm_campaign={campaign} where the tool allows it.",
            "A campaign code per channel, redeemed at the till, counts visits from each platform.",
        ]
    else:
        items = [f"UTM on every link: utm_source=<platform>, utm_medium=social, utm_campaign={campaign}."]
        if "ga4" in tracking.lower() or "google analytics" in tracking.lower():
            items.append(
                f"GA4 is installed (per the brief): mark '{event}' as a key event and check it fires."
            )
        else:
            items.append(
                f"Confirm web analytics (GA4 or equivalent) and mark '{event}' as a key event before week 1."
            )
    notes = [CHANNELS[p].tracking for p in f.platforms if CHANNELS[p].tracking]
    if f.intake.no_website and not f.intake.website:
        notes = [n.replace(", website clicks", "") for n in notes]
    items += list(dict.fromkeys(notes))
    systems = list(dict.fromkeys(k.measured_in for k in book.kpis))
    where = f" ({tracking})" if tracking else ""
    items.append(
        f"Read {book.primary_kpi.name.lower()} weekly from {human_list(systems[:2])}{where}, split by source."
    )
    if model is BusinessModel.EMPLOYER and f.roles:
        items.append(f"ATS: source of every application and hire by role ({', '.join(f.roles)}).")
    if f.intake.ad_account_status.strip():
        items.append(
            f"Ad accounts: {f.intake.ad_account_status.strip()} (per the brief); confirm admin access."
        )
    return items
