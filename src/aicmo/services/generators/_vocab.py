"""Curated vocabulary per sector: hashtags people actually follow and what the pictures show.

Hashtags are never chopped out of brief sentences: a post's tags are the brand, tags from this
vocabulary, the place (whole city names) and whole names from the brief (products, roles, a short
offer term). Image scenes describe the client's own setting, product and people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    name: str
    pattern: re.Pattern[str]
    hashtags: tuple[str, ...]
    place_suffix: str  # "#AustinEats": a city tag people follow, "" for none
    setting: str  # where the pictures are taken
    people: str  # who is in them, doing what


def _sector(name: str, pattern: str, tags: str, suffix: str, setting: str, people: str) -> Sector:
    return Sector(name, re.compile(pattern, re.I), tuple(tags.split()), suffix, setting, people)


SECTORS: tuple[Sector, ...] = (
    _sector(
        "coffee",
        r"coffee|espresso|roast",
        "#SpecialtyCoffee #HomeBarista #CoffeeLovers #FreshlyRoasted #CoffeeTime #PourOver",
        "Coffee",
        "a home kitchen counter with an espresso machine, morning light",
        "a home barista dialling in a shot, beans and a bag on the counter",
    ),
    _sector(
        "food",
        r"restaurant|taco|taqueria|caf[eé]|bakery|pizz|diner|bistro|food truck|lunch|kitchen|burger",
        "#FoodLovers #LunchTime #EatLocal #Foodie #SupportLocal #LunchBreak",
        "Eats",
        "the counter and kitchen pass at lunchtime, steam and fresh ingredients in shot",
        "cooks plating food and customers picking up orders",
    ),
    _sector(
        "dental",
        r"dental|dentist|orthodont|smile",
        "#DentalCare #HealthySmile #FamilyDentist #OralHealth #DentistOffice",
        "",
        "a bright, calm treatment room and a friendly front desk",
        "a dentist explaining a plan to a relaxed patient, a receptionist at the desk",
    ),
    _sector(
        "nursing",
        r"hospital|nurs|ward|patient care",
        "#NursingCareers #NurseLife #Healthcare #HealthcareJobs #NursesOfInstagram",
        "Jobs",
        "a hospital ward and staff room, real clinical equipment, soft daylight",
        "nurses in scrubs at a handover, a mentor beside a newly qualified nurse",
    ),
    _sector(
        "clinic",
        r"clinic|physio|therap|medical|health",
        "#Healthcare #WellnessCare #PatientCare #HealthTips",
        "",
        "a calm consultation room",
        "a clinician talking with a patient",
    ),
    _sector(
        "legal",
        r"legal|\blaw\b|solicitor|attorney|lawyer",
        "#EmploymentLaw #SmallBusinessOwners #HRCompliance #LegalServices #EmployerAdvice",
        "Business",
        "a modern meeting room with documents on the table",
        "a solicitor talking a business owner through a contract",
    ),
    _sector(
        "finance",
        r"invest|\bisa\b|fintech|robo|savings|pension|wealth|bank",
        "#PersonalFinance #Investing #MoneyMatters #FinancialPlanning #LongTermInvesting",
        "",
        "a kitchen table with a phone showing a simple investing app",
        "a young professional reviewing their account on a phone, calm and unhurried",
    ),
    _sector(
        "river",
        r"river|canal|beach|litter|clean-?up|environment|wildlife",
        "#CleanRivers #Volunteering #CommunityAction #LitterPick #LoveWhereYouLive #Environment",
        "",
        "a riverbank path with litter pickers, bags and gloves",
        "volunteers of all ages in gloves and hi-vis filling bags along the water",
    ),
    _sector(
        "water",
        r"water|sanitation|well\b|kiosk",
        "#CleanWater #SafeWater #GlobalHealth #Nonprofit #CommunityLed",
        "",
        "a community water kiosk",
        "the women who run the kiosk serving neighbours",
    ),
    _sector(
        "fitness_app",
        r"workout app|fitness app|home workout",
        "#HomeWorkout #FitnessApp #FitAtHome #WorkoutMotivation #BusyParents",
        "",
        "a living-room floor with a phone propped against the sofa",
        "a parent doing a 10-minute routine while the kids play nearby",
    ),
    _sector(
        "fitness",
        r"gym|fitness|workout|crossfit|pilates|yoga|\bclasses?\b",
        "#GymLife #FitnessCommunity #WorkoutRoutine #StrongerTogether #FitnessMotivation",
        "Fitness",
        "a busy gym floor and class studio",
        "members mid-class with a coach giving a high five",
    ),
    _sector(
        "logistics",
        r"warehouse|logistics|forklift|distribution|fulfil",
        "#WarehouseJobs #NowHiring #LogisticsJobs #HiringNow #JobSearch",
        "Jobs",
        "a clean, well-lit warehouse aisle with racking",
        "associates in hi-vis picking orders, a forklift operator at work",
    ),
    _sector(
        "hrtech",
        r"onboarding|\bhr\b|hris|people ops|payroll|new hires",
        "#HRTech #Onboarding #PeopleOps #EmployeeExperience #FutureOfWork",
        "",
        "an office on a new starter's first morning",
        "an HR manager welcoming a new hire with a laptop ready on the desk",
    ),
    _sector(
        "accounting",
        r"accounting|bookkeep|\bcpa\b|tax",
        "#Accounting #Bookkeeping #AccountingFirms #SmallBusiness #CPA",
        "",
        "an accounting practice's office",
        "an accountant and a small-business client at a screen",
    ),
    _sector(
        "candles",
        r"candle|home fragrance|decor",
        "#Candles #HomeDecor #CozyHome #GiftIdeas #SoyCandles #SlowLiving",
        "",
        "a cosy living room shelf at dusk",
        "a hand lighting a candle in its jar, a refill pouch beside it",
    ),
    _sector(
        "stationery",
        r"pen\b|pens\b|stationery|\bink\b|notebook",
        "#FountainPens #Stationery #Handwriting #StationeryLove",
        "",
        "a desk with paper and ink",
        "a hand writing with a fountain pen",
    ),
    _sector(
        "software",
        r"software|saas|platform|\bapp\b|data|analytics|cloud",
        "#SaaS #Automation #B2B #Productivity",
        "",
        "a real team's workspace with the product on screen",
        "two colleagues working through the product together",
    ),
)
MODEL_TAGS: dict[str, tuple[str, ...]] = {
    "online_store": ("#ShopSmall", "#GiftIdeas"),
    "local_venue": ("#SupportLocal",),
    "appointment_service": ("#LocalBusiness",),
    "employer": ("#NowHiring", "#Careers", "#JobSearch"),
    "b2b_partner": ("#PartnerProgram", "#ChannelPartners"),
    "nonprofit": ("#Volunteer", "#Community"),
    "retention": ("#Community",),
    "consumer_signup": ("#MoneyTips",),
    "b2b_sales": ("#SmallBusiness",),
    "events": ("#Events",),
    "hospitality": ("#Travel",),
}


def sector_for(industry: str, offer: str) -> Sector | None:
    """The first sector (most specific first) whose words appear in the industry or the offer."""
    text = f"{industry} {offer}"
    return next((s for s in SECTORS if s.pattern.search(text)), None)
