"""Business models and their conversion paths, as data (SPEC §9 "fit to the client", PLAYBOOKS.md).

The objective alone ("Sales", "Leads") does not say what to ask people to do; the business model
does. `business_model(intake)` reads the model from the brief (objective, industry, offer, audience,
contexts, `no_website`, booking URL, service areas) and `playbook(model)` returns how a strategist
plans for it: funnel stages with their calls to action (early → late), the calls to action that
must never appear, the conversion action, KPIs with where they are measured, channels and tactics
that fit, and the budget logic with a benchmark cost per result.

Decisions worth knowing:
- The objective decides first where it names the model outright (Hiring → employer, Partnerships →
  partner programme, Retention → retention); then the sector (nonprofit, events, hospitality,
  venue, appointment-based service, consumer sign-up, online store, B2B); then the objective's
  default (Sales without a website → local venue, Leads → B2B when the audience is businesses).
- Forbidden calls to action are phrases a client's marketing lead would strike out for this model
  ("Shop now" for a clinic, "Book a demo" for homeowners). `forbidden_ctas_in(text, model)` finds
  them as whole phrases, case-insensitively.
- Benchmarks are rough ranges in the brief's currency units (USD/GBP/EUR alike), labelled as
  benchmarks wherever they are shown; they are for a feasibility check, not promises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from aicmo.domain.schemas.intake import Intake, Objective


class BusinessModel(StrEnum):
    ONLINE_STORE = "online_store"
    LOCAL_VENUE = "local_venue"
    APPOINTMENT_SERVICE = "appointment_service"
    B2B_SALES = "b2b_sales"
    B2B_PARTNER = "b2b_partner"
    CONSUMER_SIGNUP = "consumer_signup"
    NONPROFIT = "nonprofit"
    EMPLOYER = "employer"
    RETENTION = "retention"
    EVENTS = "events"
    HOSPITALITY = "hospitality"


class FunnelStage(StrEnum):
    """Early → late. Posts early in the window lean on DISCOVER, the last weeks on CONVERT."""

    DISCOVER = "discover"
    CONSIDER = "consider"
    CONVERT = "convert"


@dataclass(frozen=True)
class KpiDef:
    """A KPI a model is judged on, and where the number comes from."""

    metric: str
    name: str
    measured_in: str
    formula: str


@dataclass(frozen=True)
class CostBenchmark:
    """What one result usually costs in paid media (brief currency units), e.g. 40–150 per booking."""

    result: str
    low: float
    high: float


@dataclass(frozen=True)
class Playbook:
    model: BusinessModel
    label: str
    conversion_action: str
    conversion_event: str
    stage_ctas: dict[FunnelStage, tuple[str, ...]]
    forbidden_ctas: tuple[str, ...]
    kpis: tuple[KpiDef, ...]
    channels: tuple[str, ...]
    tactics: tuple[str, ...]
    budget_logic: str
    benchmark: CostBenchmark
    link_targets: tuple[str, ...] = field(default=())
    who: str = "the business"  # the model as a noun phrase: "an online store"

    def ctas_for(self, stage: FunnelStage | str) -> tuple[str, ...]:
        return self.stage_ctas[FunnelStage(stage)]

    @property
    def ctas(self) -> tuple[str, ...]:
        """Every fitting call to action, early → late."""
        return tuple(c for stage in FunnelStage for c in self.stage_ctas[stage])

    @property
    def primary_kpi(self) -> KpiDef:
        return self.kpis[0]

    def allows(self, text: str) -> bool:
        return not forbidden_phrases_in(text, self.forbidden_ctas)


def _stages(discover: tuple[str, ...], consider: tuple[str, ...], convert: tuple[str, ...]):
    return {FunnelStage.DISCOVER: discover, FunnelStage.CONSIDER: consider, FunnelStage.CONVERT: convert}


_SHOP = ("Shop now", "Add to cart", "Browse the range", "Buy now", "Shop the range")
_B2B = ("Book a demo", "Talk to sales", "Request a demo", "Download the whitepaper")
_TRIAL = ("Start a free trial", "Start your free trial")
_APPLY_JOB = ("Apply now", "See open roles", "Send your CV")

PLAYBOOKS: dict[BusinessModel, Playbook] = {
    BusinessModel.ONLINE_STORE: Playbook(
        model=BusinessModel.ONLINE_STORE,
        who="an online store",
        label="Online store",
        conversion_action="a purchase online",
        conversion_event="purchase",
        stage_ctas=_stages(
            ("See the range", "Discover the collection", "Find your favourite"),
            ("Compare the options", "Read the reviews", "See what suits you"),
            ("Shop now", "Order today", "Get yours"),
        ),
        forbidden_ctas=(*_B2B, "Book a consultation", "Request a quote", *_APPLY_JOB, "Visit us today"),
        kpis=(
            KpiDef("orders", "Orders", "store platform + pixel", "completed orders from campaign traffic"),
            KpiDef(
                "revenue", "Attributed revenue", "store platform", "order revenue attributed to campaigns"
            ),
            KpiDef("roas", "ROAS", "ad platforms + store", "attributed revenue ÷ ad spend"),
            KpiDef("aov", "Average order value", "store platform", "revenue ÷ orders"),
            KpiDef("conversion_rate", "Store conversion rate", "web analytics", "orders ÷ sessions"),
        ),
        channels=("instagram", "facebook", "tiktok", "pinterest", "email", "search_ads", "youtube"),
        tactics=(
            "Paid social with the product catalogue",
            "Creators showing the product in use",
            "Retargeting of product viewers and cart abandoners",
            "E-mail flows: welcome, abandoned cart, win-back",
        ),
        budget_logic="Most paid budget to catalogue and creator ads that sell; a share for retargeting "
        "warm visitors, where orders are cheapest.",
        benchmark=CostBenchmark("order", 20, 60),
        link_targets=("product page", "collection page"),
    ),
    BusinessModel.LOCAL_VENUE: Playbook(
        model=BusinessModel.LOCAL_VENUE,
        who="a local venue",
        label="Local venue",
        conversion_action="a visit or an order at the venue",
        conversion_event="visit or order (till, delivery app, directions request)",
        stage_ctas=_stages(
            ("Come by and say hello", "See today's special", "Find us on the map"),
            ("Check the menu", "Bring a friend this week", "See what's new this week"),
            ("Visit us today", "Order for pickup", "Get directions"),
        ),
        forbidden_ctas=(*_B2B, *_TRIAL, "Add to cart", "Request a quote", *_APPLY_JOB, "Book a consultation"),
        kpis=(
            KpiDef("visits", "Covers or visits", "till / POS", "covers or visits in the campaign window"),
            KpiDef("orders", "Orders by channel", "till, delivery apps", "orders at the counter and in apps"),
            KpiDef("redemptions", "Offer redemptions", "till / POS", "campaign codes redeemed"),
            KpiDef("gbp_actions", "Google Business actions", "Google Business Profile", "calls + directions"),
            KpiDef("reviews", "Reviews", "Google Business Profile", "new reviews and average rating"),
        ),
        channels=("google_business", "instagram", "facebook", "tiktok", "whatsapp", "sms", "delivery_apps"),
        tactics=(
            "Google Business posts, photos and review replies",
            "Local creators and neighbourhood groups",
            "Geo-targeted ads within a short drive or walk",
            "A redeemable code to count visits from each channel",
            "Delivery-app listings kept current",
        ),
        budget_logic="Geo-targeted ads within the catchment area at the hours people decide where to eat "
        "or go; little spend outside the area.",
        benchmark=CostBenchmark("visit", 3, 15),
        link_targets=("Google Maps listing", "delivery app page", "link-in-bio page"),
    ),
    BusinessModel.APPOINTMENT_SERVICE: Playbook(
        model=BusinessModel.APPOINTMENT_SERVICE,
        who="an appointment-based service",
        label="Appointment-based service",
        conversion_action="a booked appointment or a call",
        conversion_event="appointment booked",
        stage_ctas=_stages(
            ("Meet the team", "Learn what to expect", "Read our guide"),
            ("Ask us a question", "See how a first visit works", "Read what clients say"),
            ("Book an appointment", "Call us today", "Book online"),
        ),
        forbidden_ctas=(*_SHOP, "Book a demo", "Request a demo", *_TRIAL, "Order now", *_APPLY_JOB),
        kpis=(
            KpiDef("bookings", "Booked appointments", "booking system", "appointments booked"),
            KpiDef("calls", "Calls", "call tracking / Google Business", "answered calls from campaigns"),
            KpiDef(
                "cost_per_booking", "Cost per booking", "ad platforms + booking system", "spend ÷ bookings"
            ),
            KpiDef("show_rate", "Show rate", "booking system", "attended ÷ booked"),
            KpiDef("reviews", "Reviews", "Google Business Profile", "new reviews and average rating"),
        ),
        channels=("search_ads", "google_business", "facebook", "instagram", "email", "sms", "linkedin"),
        tactics=(
            "Search ads on intent terms near the service area",
            "Google Business posts and review requests after each visit",
            "Referral asks to happy clients",
            "Reminders by SMS or e-mail to lift the show rate",
        ),
        budget_logic="Search on intent terms first (people already looking), Google Business and local "
        "social second; retarget site visitors who did not book.",
        benchmark=CostBenchmark("booking", 40, 150),
        link_targets=("booking page", "phone number"),
    ),
    BusinessModel.B2B_SALES: Playbook(
        model=BusinessModel.B2B_SALES,
        who="a sales-led B2B business",
        label="B2B sales-led",
        conversion_action="a qualified meeting or demo",
        conversion_event="demo booked",
        stage_ctas=_stages(
            ("Read the guide", "See how teams use it", "Get the checklist"),
            ("Download the report", "Watch the walkthrough", "Compare the options"),
            ("Book a demo", "Talk to our team", "Start a trial"),
        ),
        forbidden_ctas=(*_SHOP, "Order now", "Get yours", "Visit us today", *_APPLY_JOB, "Donate"),
        kpis=(
            KpiDef("demos", "Demo requests", "CRM", "demo or meeting requests that match the ICP"),
            KpiDef("sqls", "Sales-qualified leads", "CRM", "leads accepted by sales"),
            KpiDef("pipeline", "Pipeline created", "CRM", "value of opportunities from campaigns"),
            KpiDef("cost_per_lead", "Cost per lead", "ad platforms + CRM", "spend ÷ qualified leads"),
            KpiDef("cac", "Customer acquisition cost", "CRM + finance", "sales and marketing cost ÷ wins"),
        ),
        channels=("linkedin", "search_ads", "email", "youtube", "events", "review_sites"),
        tactics=(
            "LinkedIn ads and founder/expert posts to the buying committee",
            "Search on category and competitor terms",
            "Webinars and an ROI tool that earn the meeting",
            "Review-site profiles kept current",
        ),
        budget_logic="LinkedIn and search carry the paid budget (the buyers are there and searching); "
        "retargeting moves readers to a demo.",
        benchmark=CostBenchmark("qualified lead", 150, 600),
        link_targets=("demo page", "guide landing page"),
    ),
    BusinessModel.B2B_PARTNER: Playbook(
        model=BusinessModel.B2B_PARTNER,
        who="a partner programme",
        label="B2B partner programme",
        conversion_action="a signed partner",
        conversion_event="partner application submitted",
        stage_ctas=_stages(
            ("See the partner programme", "Read how partners grow", "Meet our partners"),
            ("See the partner terms", "Read a partner story", "Compare partner tiers"),
            ("Apply to become a partner", "Talk to the partner team", "Book a partner call"),
        ),
        forbidden_ctas=(*_SHOP, "Order now", "Get yours", "Visit us today", "Apply now", "Donate"),
        kpis=(
            KpiDef("partner_applications", "Partner applications", "CRM", "complete partner applications"),
            KpiDef("partners", "Signed partners", "CRM", "partner agreements signed"),
            KpiDef(
                "partner_pipeline", "Partner-sourced pipeline", "CRM", "opportunities with a partner source"
            ),
            KpiDef("partner_meetings", "Partner meetings", "CRM", "first meetings held with prospects"),
        ),
        channels=("linkedin", "email", "events", "partner_directories", "search_ads"),
        tactics=(
            "LinkedIn posts and ads to owners of complementary firms",
            "Partner directories and marketplace listings",
            "Co-marketing with the first signed partners",
            "Direct outreach to a named target list",
        ),
        budget_logic="Little paid media: LinkedIn to a named list of firm types, the rest to events and "
        "co-marketing that signed partners can reuse.",
        benchmark=CostBenchmark("partner application", 80, 400),
        link_targets=("partner programme page", "application form"),
    ),
    BusinessModel.CONSUMER_SIGNUP: Playbook(
        model=BusinessModel.CONSUMER_SIGNUP,
        who="a sign-up business",
        label="Consumer sign-up",
        conversion_action="an account opened and activated",
        conversion_event="account opened (then funded or activated)",
        stage_ctas=_stages(
            ("See how it works", "Learn the basics", "Watch the explainer"),
            ("Compare the plans", "Read the FAQ", "See the fees"),
            ("Open an account", "Download the app", "Get started"),
        ),
        forbidden_ctas=(*_SHOP, "Order now", "Book a demo", "Talk to sales", "Visit us today", *_APPLY_JOB),
        kpis=(
            KpiDef("accounts", "Accounts opened", "product analytics", "verified new accounts"),
            KpiDef(
                "activated", "Funded or active accounts", "product analytics", "accounts funded or active"
            ),
            KpiDef("cost_per_account", "Cost per funded account", "ad platforms + product", "spend ÷ funded"),
            KpiDef("signup_rate", "Sign-up rate", "web and app analytics", "sign-ups ÷ landing sessions"),
        ),
        channels=("instagram", "facebook", "tiktok", "youtube", "search_ads", "email", "app_stores"),
        tactics=(
            "Explainers that show how it works and what it costs",
            "Search on comparison terms",
            "Creators within the sector's rules",
            "Referral rewards for existing users",
            "Onboarding e-mails that turn a sign-up into an active account",
        ),
        budget_logic="Paid social and search buy sign-ups; part of the budget follows up sign-ups that "
        "have not activated, where the cost per active account is decided.",
        benchmark=CostBenchmark("activated account", 50, 250),
        link_targets=("sign-up page", "app store listing"),
    ),
    BusinessModel.NONPROFIT: Playbook(
        model=BusinessModel.NONPROFIT,
        who="a nonprofit",
        label="Nonprofit",
        conversion_action="a volunteer sign-up, a donation or a pledge",
        conversion_event="volunteer sign-up or donation",
        stage_ctas=_stages(
            ("Learn about the cause", "Share this with a friend", "See what we do"),
            ("Meet our volunteers", "See a volunteer day", "Follow our progress"),
            ("Sign up to volunteer", "Join the next clean-up", "Donate today"),
        ),
        forbidden_ctas=(*_SHOP, "Order now", *_B2B, *_TRIAL, "Get yours", "Apply now"),
        kpis=(
            KpiDef("signups", "Volunteer sign-ups", "sign-up form", "completed sign-ups"),
            KpiDef("donations", "Donations", "donation platform", "gifts and amount raised"),
            KpiDef("impressions", "Impressions", "platform analytics", "impressions across platforms"),
            KpiDef("attendance", "Event attendance", "event check-in", "volunteers who showed up"),
        ),
        channels=("facebook", "instagram", "email", "events", "community_groups", "tiktok", "whatsapp"),
        tactics=(
            "Community groups and local partners who share the ask",
            "Events that turn followers into volunteers",
            "Earned media with local press",
            "E-mail reminders before each event",
        ),
        budget_logic="Small paid boosts of the posts that already spread, targeted to the area; most "
        "effort to partners and community groups who share for free.",
        benchmark=CostBenchmark("volunteer sign-up", 5, 40),
        link_targets=("sign-up form", "donation page"),
    ),
    BusinessModel.EMPLOYER: Playbook(
        model=BusinessModel.EMPLOYER,
        who="an employer",
        label="Employer",
        conversion_action="a completed job application",
        conversion_event="application submitted",
        stage_ctas=_stages(
            ("Meet the team", "See a day in the role", "Read what the team says"),
            ("See the benefits", "See open roles", "Ask the recruiter a question"),
            ("Apply now", "Apply in five minutes", "Refer a friend"),
        ),
        forbidden_ctas=(*_SHOP, "Order now", *_B2B, "Book a consultation", *_TRIAL, "Donate", "Get yours"),
        kpis=(
            KpiDef("applications", "Applications", "ATS", "completed applications by source"),
            KpiDef("qualified_applicants", "Qualified applicants", "ATS", "applicants passing screening"),
            KpiDef("hires", "Hires", "ATS", "accepted offers from campaign sources"),
            KpiDef("cost_per_hire", "Cost per hire", "ATS + ad platforms", "campaign spend ÷ hires"),
        ),
        channels=("job_boards", "linkedin", "facebook", "instagram", "tiktok", "sms", "referrals"),
        tactics=(
            "Job-board listings (Indeed, Glassdoor) with sponsored boosts for hard-to-fill roles",
            "Team stories from people in the role",
            "Facebook and TikTok for frontline roles",
            "Employee referral asks",
            "SMS follow-up to applicants who started but did not finish",
        ),
        budget_logic="Sponsored job-board listings first (candidates are searching there), social for "
        "roles people do not search for, referrals for the hardest roles.",
        benchmark=CostBenchmark("application", 10, 50),
        link_targets=("careers page", "job-board listing"),
    ),
    BusinessModel.RETENTION: Playbook(
        model=BusinessModel.RETENTION,
        who="a membership business",
        label="Retention",
        conversion_action="a behaviour that predicts staying (a visit, a class, a session)",
        conversion_event="visit, class or session booked by an existing member",
        stage_ctas=_stages(
            ("Welcome aboard", "Get started this week", "Meet your coach"),
            ("Try a new class", "Check in this week", "Set your next goal"),
            ("Book your next session", "Come to a class this week", "Bring a friend"),
        ),
        forbidden_ctas=(*_SHOP, *_B2B, *_TRIAL, "Apply now", "Request a quote"),
        kpis=(
            KpiDef("churn", "Monthly churn", "membership system", "members lost ÷ members at month start"),
            KpiDef(
                "active_members", "Active members", "membership system", "members with a visit in 30 days"
            ),
            KpiDef("visits_per_member", "Visits per member", "check-ins", "check-ins ÷ active members"),
            KpiDef("reactivations", "Reactivated members", "membership system", "lapsed members back"),
        ),
        channels=("email", "sms", "whatsapp", "instagram", "facebook", "app_messages", "community"),
        tactics=(
            "Onboarding sequence in the first 30 days, when habits form",
            "SMS or WhatsApp nudges when visits drop",
            "Member community and challenges",
            "Win-back offers for lapsed members",
        ),
        budget_logic="Owned channels first (e-mail, SMS, app); paid media only to retarget members "
        "whose visits have dropped.",
        benchmark=CostBenchmark("retained member", 5, 30),
        link_targets=("member app", "class booking page"),
    ),
    BusinessModel.EVENTS: Playbook(
        model=BusinessModel.EVENTS,
        who="an event",
        label="Events",
        conversion_action="a ticket",
        conversion_event="ticket purchased",
        stage_ctas=_stages(
            ("Save the date", "See the speakers", "See the programme"),
            ("See the agenda", "Meet the speakers", "Bring the team"),
            ("Get tickets", "Register now", "Book your seat"),
        ),
        forbidden_ctas=("Shop now", "Add to cart", "Book a consultation", *_APPLY_JOB, *_TRIAL),
        kpis=(
            KpiDef("tickets", "Tickets sold", "ticketing platform", "tickets by tier"),
            KpiDef("early_bird", "Early-bird sell-through", "ticketing platform", "early-bird sold ÷ quota"),
            KpiDef("cost_per_ticket", "Cost per ticket", "ad platforms + ticketing", "spend ÷ tickets"),
        ),
        channels=("linkedin", "email", "instagram", "facebook", "search_ads", "partners"),
        tactics=(
            "E-mail to past attendees",
            "Speakers' and partners' networks",
            "Deadline-driven retargeting before each price rise",
        ),
        budget_logic="Spend rises towards each price deadline; retargeting of agenda visitors carries "
        "the last weeks.",
        benchmark=CostBenchmark("ticket", 15, 80),
        link_targets=("ticketing page",),
    ),
    BusinessModel.HOSPITALITY: Playbook(
        model=BusinessModel.HOSPITALITY,
        who="a hotel or rental",
        label="Hospitality",
        conversion_action="a booking, ideally direct",
        conversion_event="direct booking",
        stage_ctas=_stages(
            ("See the place", "Take a look inside", "Plan your stay"),
            ("Check the dates", "See the rooms", "Read guest reviews"),
            ("Book direct", "Check availability", "Reserve your stay"),
        ),
        forbidden_ctas=(*_B2B, *_TRIAL, "Add to cart", *_APPLY_JOB),
        kpis=(
            KpiDef("bookings", "Direct bookings", "booking engine", "bookings made direct"),
            KpiDef("room_nights", "Room-nights", "booking engine", "nights booked"),
            KpiDef("direct_share", "Direct share", "booking engine + OTAs", "direct ÷ all bookings"),
            KpiDef(
                "cost_per_booking", "Cost per booking", "ad platforms + booking engine", "spend ÷ bookings"
            ),
        ),
        channels=("instagram", "pinterest", "google_business", "email", "search_ads", "facebook"),
        tactics=(
            "Instagram and Pinterest for the look of the place",
            "Google Hotel ads and metasearch",
            "E-mail to past guests with a direct-booking reason",
        ),
        budget_logic="Metasearch and search capture people with dates; social builds the wish list; "
        "past guests are the cheapest direct bookings.",
        benchmark=CostBenchmark("booking", 30, 120),
        link_targets=("booking engine",),
    ),
}


def playbook(model: BusinessModel | str) -> Playbook:
    return PLAYBOOKS[BusinessModel(model)]


# ---- reading the model from the brief ---------------------------------------------------------
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_NONPROFIT = _rx(
    r"non-?profit|not-for-profit|charit|\bngo\b|foundation\b|volunteer|donat|clean-?up|fundrais|"
    r"community (?:group|organisation|organization)|\bcause\b"
)
_EVENTS = _rx(r"\bconference|\bsummit\b|\bfestival|trade show|\bexpo\b|ticket")
_HOSPITALITY = _rx(
    r"\bhotel|\bresort|\binn\b|holiday (?:let|rental)|vacation rental|b&b|bed and breakfast|glamping"
)
_VENUE = _rx(
    r"restaurant|\bcaf[eé]|coffee shop|bakery|\bbar\b|\bpub\b|brewery|taqueria|\btaco|pizzeria|bistro|"
    r"diner|food truck|eatery|kitchen\b|deli\b|ice cream|bookshop|boutique shop|market stall|"
    r"\bgym\b|fitness studio|climbing|bowling|cinema|museum|escape room"
)
_APPOINTMENT = _rx(
    r"clinic|dental|dentist|orthodont|physio|chiropract|optometr|optician|medical|health ?care|"
    r"therap|counsel|\bvet\b|veterinar|salon|barber|\bspa\b|legal|\blaw\b|solicitor|attorney|lawyer|"
    r"accountan|tax advi|plumb|electric|roofing|hvac|home services|trades|contractor|cleaning service|"
    r"real estate|estate agent|realtor|mortgage broker|tutor|driving school|assessment|consultation"
)
_CONSUMER_SIGNUP = _rx(
    r"fintech|robo-?advis|investing app|invest(?:ment)? app|savings app|neobank|bank account|"
    r"brokerage|trading app|\bapp\b|subscription app|streaming|credit card|insurance app|wallet|"
    r"open an account|sign-?ups?\b|download"
)
_ECOMMERCE = _rx(r"e-?commerce|online (?:store|shop)|\bd2c\b|\bdtc\b|direct-to-consumer|shopify|webshop")
_B2B = _rx(
    r"\bb2b\b|saas|software|platform for|agency|agencies|consultanc|industrial|wholesale|"
    r"manufactur|logistics|enterprise|it services|cyber"
)
_BUSINESS_AUDIENCE = _rx(
    r"\bteams?\b|managers?|directors?|\bceos?\b|\bcfos?\b|\bctos?\b|founders?|owners? of|business owners|"
    r"companies|businesses|firms?\b|\bhr\b|procurement|operations leads?|head of|\bvps?\b|enterprises?|"
    r"\bsmbs?\b|\bsmes?\b|practices\b"
)
_HOME_CONSUMER = _rx(r"homeowners?|families|parents|patients|residents|locals|students|retirees|couples")


def business_model(intake: Intake) -> BusinessModel:
    """The client's primary business model, read from the brief (see the module docstring)."""
    return _derive(_signals(intake))


@dataclass(frozen=True)
class _Signals:
    objective: Objective
    sector: str  # industry + offer + pricing
    audience: str
    no_website: bool
    booking: bool
    service_areas: bool
    ecommerce: bool


def _signals(intake: Intake) -> _Signals:
    services = intake.context.services
    return _Signals(
        objective=intake.objective,
        sector=" ".join([intake.industry, intake.primary_offer, intake.pricing]),
        audience=intake.target_audience,
        no_website=intake.no_website and not intake.website,
        booking=bool(services and services.booking_url),
        service_areas=bool(services and services.service_areas),
        ecommerce=intake.context.ecommerce is not None,
    )


@lru_cache(maxsize=256)
def _derive(s: _Signals) -> BusinessModel:
    by_objective = {
        Objective.HIRING: BusinessModel.EMPLOYER,
        Objective.PARTNERSHIPS: BusinessModel.B2B_PARTNER,
        Objective.RETENTION: BusinessModel.RETENTION,
    }
    if s.objective in by_objective:
        return by_objective[s.objective]
    industry_and_offer = s.sector
    if _NONPROFIT.search(industry_and_offer):
        return BusinessModel.NONPROFIT
    if _EVENTS.search(industry_and_offer):
        return BusinessModel.EVENTS
    if _HOSPITALITY.search(industry_and_offer):
        return BusinessModel.HOSPITALITY
    b2b_audience = bool(_BUSINESS_AUDIENCE.search(s.audience)) and not _HOME_CONSUMER.search(s.audience)
    if _VENUE.search(industry_and_offer):
        return BusinessModel.LOCAL_VENUE
    if _APPOINTMENT.search(industry_and_offer) or (s.booking and not _B2B.search(industry_and_offer)):
        return BusinessModel.APPOINTMENT_SERVICE
    if _CONSUMER_SIGNUP.search(industry_and_offer) and not b2b_audience:
        return BusinessModel.CONSUMER_SIGNUP
    if s.ecommerce or _ECOMMERCE.search(industry_and_offer):
        return BusinessModel.LOCAL_VENUE if s.no_website else BusinessModel.ONLINE_STORE
    if _B2B.search(industry_and_offer) or b2b_audience:
        return BusinessModel.B2B_SALES
    if s.service_areas:
        return BusinessModel.APPOINTMENT_SERVICE
    if s.objective is Objective.SALES:
        return BusinessModel.LOCAL_VENUE if s.no_website else BusinessModel.ONLINE_STORE
    if s.objective is Objective.LEADS:
        return BusinessModel.APPOINTMENT_SERVICE
    return BusinessModel.LOCAL_VENUE if s.no_website else BusinessModel.ONLINE_STORE


# ---- calls to action in text ----------------------------------------------------------------------
@lru_cache(maxsize=64)
def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in cleaned)
    return re.compile(rf"(?i)(?<![\w-])(?:{alternation})(?![\w-])")


def forbidden_phrases_in(text: str, phrases: tuple[str, ...]) -> list[str]:
    pattern = _phrase_regex(tuple(phrases))
    return [m.group(0) for m in pattern.finditer(text or "")] if pattern else []


def forbidden_ctas_in(text: str, model: BusinessModel | str) -> list[str]:
    """The calls to action in `text` that do not fit `model`'s conversion path, as written there."""
    return forbidden_phrases_in(text, playbook(model).forbidden_ctas)


def stage_for_week(week: int, weeks: int) -> FunnelStage:
    """Early weeks discover, the middle considers, the last third converts (1-based week)."""
    if weeks <= 1:
        return FunnelStage.CONVERT
    position = (week - 1) / max(weeks - 1, 1)
    if position < 1 / 3:
        return FunnelStage.DISCOVER
    if position < 2 / 3:
        return FunnelStage.CONSIDER
    return FunnelStage.CONVERT
