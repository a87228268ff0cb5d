"""A realistic export package built by hand from the real content models, and rendered once.

Kestrel Cargo Bikes (Bristol) runs a six-week spring campaign for test rides on Instagram,
Facebook and LinkedIn: 20 posts, a full strategy and creatives, three weeks of performance rows.
The clocks change on 29 March 2026 in the UK, so local post times cross a DST boundary.
`bench/export_times.py` loads `build_demo_package` from this file.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.schemas.creatives import (
    BrandKit,
    CarouselTemplate,
    Creatives,
    ImagePrompt,
    ReelCover,
    ThumbnailSpec,
    VideoScript,
)
from aicmo.domain.schemas.delivery import DeliverySummary, IncludedItem, NextStep
from aicmo.domain.schemas.execution import CalendarEntry, Email, Execution, HashtagSet, Post, ReelScript
from aicmo.domain.schemas.export import ExportArtifact, ExportPackage
from aicmo.domain.schemas.intake import Intake, Objective, OutputFormat, Platform
from aicmo.domain.schemas.resources import Provenance
from aicmo.domain.schemas.strategy import (
    ICP,
    KPI,
    ContentPillar,
    MeasurementPlan,
    MediaPhase,
    MediaPlan,
    MessagingFramework,
    PlatformPlan,
    Strategy,
)

REPO = Path(__file__).resolve().parents[3]
OUTPUT_DIR = REPO / "test-output" / "exports"

CLIENT = "Kestrel Cargo Bikes"
BRAND = "Kestrel"
TZ = ZoneInfo("Europe/London")
START = date(2026, 3, 2)
END = date(2026, 4, 12)
COLOURS = ["#0B4F6C", "#F4A259", "#5B8E7D"]
FINANCE_DISCLAIMER = "Finance subject to status. Kestrel Cargo Bikes Ltd is a credit broker, not a lender."

P_CAR, P_STORIES, P_HILLS, P_FLEET = (
    "Ditch the second car",
    "School-run stories",
    "Built for Bristol hills",
    "Fleet for local business",
)
IG, FB, LI = Platform.INSTAGRAM, Platform.FACEBOOK, Platform.LINKEDIN


def intake() -> Intake:
    return Intake(
        client_name=CLIENT,
        website="https://kestrelcargo.example.co.uk",
        industry="Retail — electric cargo bikes",
        geography="Bristol and Bath, United Kingdom",
        timezone="Europe/London",
        contact_email="hello@kestrelcargo.example.co.uk",
        primary_offer="Free 45-minute test rides of the Kestrel Haul and Kestrel Trio e-cargo bikes",
        pricing="£4,200–£6,400 per bike; Cycle to Work and 0% finance over 24 months",
        aov_ltv="£5,100 average order; £650 servicing over three years",
        differentiators="Built and serviced in Bristol; 9-speed hub gearing and 85 Nm motor for steep hills; "
        "same-week repairs with a loan bike",
        competitors=["Urban Arrow dealers", "Tern via national chains", "second-hand cars"],
        proof_assets=[
            "212 five-star Google reviews",
            "Wild Oat Bakery fleet case study",
            "Bristol Cycle Show 2025",
        ],
        target_audience="Bristol parents of children aged 2–10 who run a second car mainly for the school "
        "run, and owners of local food and trade businesses making short deliveries",
        pain_points="Second-car running costs; school-gate traffic and parking; Clean Air Zone charges for "
        "vans; worry about hills and rain",
        desired_outcomes="Sell the second car; quicker school runs; cheaper last-mile deliveries",
        objections="Price; theft; steep hills; what happens when it rains",
        objective=Objective.LEADS,
        kpi_targets="120 booked test rides in six weeks at under £40 each; 10 fleet enquiries",
        start_date=START,
        duration_weeks=6,
        budget_range="£4,800 paid social over six weeks",
        constraints="No speed or safety claims beyond the UK EAPC limit of 15.5 mph",
        tone_voice="Warm, practical, locally proud; numbers over adjectives",
        banned_words=["revolutionary", "game-changer"],
        required_disclaimers=[FINANCE_DISCLAIMER],
        brand_colors=COLOURS,
        required_outputs=[OutputFormat.PDF, OutputFormat.PPTX, OutputFormat.ZIP],
        platforms=[IG, FB, LI],
        social_handles={IG: "@kestrelcargo", FB: "KestrelCargoBikes", LI: "kestrel-cargo-bikes"},
    )


def strategy() -> Strategy:
    return Strategy(
        brand=BRAND,
        executive_summary=(
            "Kestrel will turn Bristol's second-car school run into a test ride. Over six weeks we "
            "lead with the money (a second car costs around £3,100 a year), prove the bikes on the "
            "city's hills with real families, and open a separate LinkedIn track for local businesses "
            "paying Clean Air Zone charges. Every post points to one action: book a free 45-minute test "
            "ride. Paid budget follows the content that earns bookings, and we report weekly on cost per "
            "booked ride against a £40 ceiling."
        ),
        icp=ICP(
            summary="Two-parent Bristol households with one or two primary-school children, living within "
            "three miles of school, running a second car for fewer than 4,000 miles a year.",
            segments=[
                "School-run parents in Bishopston, Redland, Southville and Totterdown",
                "Car-light families already using Cycle to Work schemes",
                "Owners of bakeries, florists and trades making deliveries inside the Clean Air Zone",
            ],
            pains=[
                "A second car costing £250 a month that mostly sits outside the house",
                "Twenty minutes of school-gate traffic for a 1.5-mile trip",
                "Worry that hills like Park Street and Constitution Hill are too steep with children aboard",
                "Vans charged £9 a day in the Clean Air Zone",
            ],
            desired_outcomes=[
                "Sell the second car without losing flexibility",
                "A school run that takes the same time every day",
                "Cheaper, faster deliveries for small businesses",
            ],
            buying_triggers=[
                "Car MOT or insurance renewal coming up",
                "A second child starting school",
                "Cycle to Work window opening at the employer",
            ],
            objections=["£4,000+ up front", "Theft and secure storage", "Rain and winter riding"],
        ),
        positioning_statement=(
            "For Bristol families and local businesses who want to drop the second car or van, Kestrel is "
            "the cargo-bike shop that builds, services and stands behind bikes made for this city's hills — "
            "unlike national chains, we fix them the same week and lend you a bike while we do."
        ),
        messaging=MessagingFramework(
            promise="Everything the second car did for your family, for about £90 a year in electricity.",
            key_messages=[
                "A second car costs around £3,100 a year; a Kestrel Haul pays for itself in under two years.",
                "85 Nm of motor and hub gearing make Park Street a non-event, even with two children aboard.",
                "Same-week servicing in Stokes Croft, with a loan bike so the school run never stops.",
                "For businesses: no Clean Air Zone charge, no parking tickets, faster drops in the centre.",
            ],
            proof_points=[
                "212 five-star Google reviews",
                "Wild Oat Bakery cut delivery costs by 38% after swapping a van for two bikes",
                "Every bike assembled and checked in our Bristol workshop",
            ],
        ),
        pillars=[
            ContentPillar(
                name=P_CAR,
                description="The money and the everyday practicality of replacing a second car.",
                example_topics=[
                    "Second-car cost calculator",
                    "What fits in the box",
                    "Cycle to Work savings",
                ],
                formats=["Reel", "Carousel", "Link post"],
            ),
            ContentPillar(
                name=P_STORIES,
                description="Real Bristol families on their real routes, in their own words.",
                example_topics=["A week of school runs", "Customer route of the month", "Holiday adventures"],
                formats=["Reel", "Photo", "Carousel"],
            ),
            ContentPillar(
                name=P_HILLS,
                description="Proof that the bikes handle the city: hills, range, rain and servicing.",
                example_topics=[
                    "Park Street climb",
                    "Real-world battery range",
                    "Workshop behind the scenes",
                ],
                formats=["Reel", "Video", "Carousel"],
            ),
            ContentPillar(
                name=P_FLEET,
                description="Cost-per-drop and Clean Air Zone arguments for local businesses.",
                example_topics=["Van versus cargo bike costs", "Wild Oat Bakery case study", "Fleet finance"],
                formats=["Document post", "Text post", "Case study"],
            ),
        ],
        platforms=[
            PlatformPlan(
                platform=IG,
                role="Inspiration and proof for parents: short reels on real routes, saves and shares",
                posts_per_week=2,
                formats=["Reel", "Carousel"],
            ),
            PlatformPlan(
                platform=FB,
                role="Local community, events and test-ride bookings from parents' groups",
                posts_per_week=1,
                formats=["Video", "Event", "Link post"],
            ),
            PlatformPlan(
                platform=LI,
                role="Fleet enquiries from owners of local food and trade businesses",
                posts_per_week=1,
                formats=["Document post", "Text post"],
            ),
        ],
        media_plan=MediaPlan(
            budget_note="£4,800 paid social over six weeks, rebalanced weekly towards the lowest cost per "
            "booked test ride.",
            split_by_platform_pct={"instagram": 50, "facebook": 35, "linkedin": 15},
            phases=[
                MediaPhase(
                    phase="Launch",
                    weeks="Weeks 1–2",
                    focus="Reach parents within three miles of 40 primary schools",
                    budget_share_pct=30,
                ),
                MediaPhase(
                    phase="Proof",
                    weeks="Weeks 3–4",
                    focus="Retarget video viewers with family stories and the test-ride weekend",
                    budget_share_pct=40,
                ),
                MediaPhase(
                    phase="Convert",
                    weeks="Weeks 5–6",
                    focus="Booking-page visitors and fleet lookalikes with finance messaging",
                    budget_share_pct=30,
                ),
            ],
        ),
        measurement=MeasurementPlan(
            primary_kpi="Booked test rides",
            kpis=[
                KPI(name="Booked test rides", target="120 in six weeks", source="brief", cadence="weekly"),
                KPI(name="Cost per booked test ride", target="Under £40", source="brief", cadence="weekly"),
                KPI(name="Fleet enquiries", target="10 in six weeks", source="brief", cadence="weekly"),
                KPI(
                    name="Instagram engagement rate",
                    target="Above 3.5%",
                    source="benchmark",
                    cadence="weekly",
                ),
                KPI(name="Landing page click-through rate", target="Above 1.2%", source="benchmark"),
            ],
            tracking_requirements=[
                "Meta pixel with a Lead event on the booking confirmation page",
                "LinkedIn Insight Tag on the fleet enquiry form",
                "UTM parameters on every link (source, medium, campaign, content = post id)",
                "Booking system export each Monday",
            ],
            reporting="Weekly one-page update every Monday and a full review at the end of week six.",
        ),
    )


def creatives() -> Creatives:
    return Creatives(
        brand=BRAND,
        brand_kit=BrandKit(
            palette=["#0B4F6C", "#F4A259", "#5B8E7D", "#F7F3EC", "#1E2530"],
            typography=["Headlines: Montserrat Bold", "Body: Inter Regular", "Numbers: Inter Semibold"],
            visual_style="Daylight photography on real Bristol streets; children and cargo in frame; "
            "colour-graded warm, never staged studio shots.",
            logo_usage="Kestrel mark bottom-right on video, 6% of frame width; never over faces or children.",
            voice_summary="Warm, practical and locally proud. Lead with a number, end with one clear action.",
        ),
        carousels=[
            CarouselTemplate(
                title="The second-car maths",
                pillar=P_CAR,
                slides=[
                    "£3,100 a year: what the second car really costs",
                    "Insurance, fuel, MOT, parking permit: the breakdown",
                    "A Kestrel Haul: £90 a year to charge",
                    "Cycle to Work: save up to 42% on the bike",
                    "Book a free 45-minute test ride",
                ],
                cta="Book your test ride — link in bio",
            ),
            CarouselTemplate(
                title="Five families, five school runs",
                pillar=P_STORIES,
                slides=[
                    "Meet five Bristol families who swapped the car",
                    "Southville to Ashton Gate: 11 minutes",
                    "Bishopston: two children, one hill, zero traffic",
                    "Totterdown: the steepest street in Bristol",
                    "Your route next? Book a test ride",
                ],
                cta="Tell us your route in the comments",
            ),
        ],
        reel_covers=[
            ReelCover(
                title="Park Street climb",
                headline="Two kids. One hill. No sweat.",
                layout="Rider bottom-third, headline top-left in Montserrat Bold, orange underline",
            ),
            ReelCover(
                title="We sold the Corsa",
                headline="£3,100 a year back in our pocket",
                layout="Family portrait centred, number in large orange figures",
            ),
        ],
        image_prompts=[
            ImagePrompt(
                pillar=P_STORIES,
                prompt="Parent riding a teal electric cargo bike with two children in the front box on a "
                "terraced Bristol street at 8:30am, soft spring light, documentary style",
                aspect_ratio="4:5",
                negative_prompt="studio backdrop, helmets missing, motion blur on faces",
            ),
            ImagePrompt(
                pillar=P_HILLS,
                prompt="Low-angle shot of a loaded cargo bike climbing a steep cobbled hill with "
                "colourful houses behind, late afternoon, sharp focus on the rider",
                aspect_ratio="9:16",
                negative_prompt="sports cyclist, lycra, empty cargo box",
            ),
            ImagePrompt(
                pillar=P_FLEET,
                prompt="Baker loading bread crates into a cargo bike outside an independent bakery, early "
                "morning, steam from the ovens visible through the window",
                aspect_ratio="1:1",
            ),
            ImagePrompt(
                pillar=P_CAR,
                prompt="Empty driveway with a FOR SALE sign on a small hatchback and a cargo bike parked "
                "proudly beside it, bright overcast day, gentle humour",
                aspect_ratio="4:5",
            ),
        ],
        video_scripts=[
            VideoScript(
                title="Park Street with two passengers",
                platform=IG,
                duration_s=30,
                hook="Park Street. Two kids. Forty kilos of shopping. Watch the speedo.",
                beats=[
                    "Ground-level shot at the bottom of Park Street, rider clips in",
                    "Over-shoulder: the climb in third gear, children waving",
                    "Speed overlay steady at 9 mph all the way up",
                    "Top of the hill: rider not out of breath, kids cheering",
                ],
                cta="Try the climb yourself: free test rides from Stokes Croft",
                on_screen_text=["Park Street: 10% gradient", "85 Nm motor", "Book a free test ride"],
            ),
            VideoScript(
                title="Van versus bike: the Wild Oat delivery race",
                platform=LI,
                duration_s=60,
                hook="Same bakery, same twelve drops. One van, one cargo bike. Who finishes first?",
                beats=[
                    "Both vehicles loaded outside Wild Oat at 6:30am",
                    "Split screen: van stuck at Bristol Bridge, bike through the cycle lane",
                    "Bike finishes 14 minutes earlier; van pays the £9 Clean Air Zone charge",
                    "Owner on camera: what it saves the business every month",
                ],
                cta="Book a two-week fleet trial",
                on_screen_text=["12 drops", "−14 minutes", "£0 CAZ charge"],
            ),
        ],
        thumbnails=[
            ThumbnailSpec(
                name="Fleet case study banner",
                platform=LI,
                size_px="1200×627",
                headline="38% cheaper deliveries",
                notes="Bakery photo left, figure right in orange on deep teal",
            ),
            ThumbnailSpec(
                name="Test-ride weekend event cover",
                platform=FB,
                size_px="1920×1005",
                headline="Spring test-ride weekend · 28–29 March",
                notes="Three bikes lined up outside the workshop, date block bottom-left",
            ),
        ],
    )


# (week, weekday, "HH:MM", platform, pillar, format, title, text, hashtags, cta)
POSTS: list[tuple[int, int, str, Platform, str, str, str, str, list[str], str]] = [
    (1, 0, "07:45", IG, P_CAR, "Reel", "What £3,100 a year buys you",
     "The average second car in Bristol costs £3,100 a year before you have found a parking space. "
     "A Kestrel Haul costs about £90 a year to charge. We did the maths with one Bishopston family — "
     "stay to the end for the number that surprised them.",
     ["BristolCycling", "CargoBike", "SchoolRun", "KestrelHaul"], "Book a free test ride — link in bio"),
    (1, 2, "12:30", LI, P_FLEET, "Text post", "Your next delivery van has two wheels",
     "Vans pay £9 a day to enter Bristol's Clean Air Zone. Cargo bikes pay nothing, park at the door and "
     "skip the queue at Bristol Bridge. If your business makes more than ten short drops a day inside the "
     "ring road, a two-bike fleet can pay for itself within a year. We run two-week fleet trials for local "
     "businesses this spring.",
     ["CleanAirZone", "LastMileDelivery", "BristolBusiness"], "Book a two-week fleet trial"),
    (1, 3, "18:00", FB, P_STORIES, "Video", "Meet the Okafors",
     "Tunde and Grace Okafor sold their Corsa in January. Three months on, the school run from Southville "
     "takes eleven minutes every single day, and the money they save covers swimming lessons for both "
     "children. Here is their route, filmed on a wet Tuesday.",
     ["BristolParents", "SchoolRun", "CargoBike"], "Book a free test ride at our Stokes Croft workshop"),
    (1, 5, "09:30", IG, P_HILLS, "Carousel", "Park Street in one gear? Here is how",
     "Park Street is a 10% climb. With 85 Nm of motor and a 9-speed hub you can ride it with two children "
     "in the box and still hold a conversation. Swipe for the gearing, the motor and the brakes that make "
     "it feel easy.",
     ["BristolHills", "EBike", "CargoBike", "KestrelHaul"], "Save this for your test ride"),
    (2, 1, "07:45", IG, P_STORIES, "Reel", "The 8:40 dash, minus the traffic",
     "Gloucester Road at 8:40am: forty cars waiting, one cargo bike rolling past in the bus lane. "
     "Hannah's school run now takes nine minutes, whatever the traffic does.",
     ["SchoolRun", "BristolCycling", "GloucesterRoad"], "Book a free test ride — link in bio"),
    (2, 2, "12:30", LI, P_FLEET, "Document post", "Cost per drop: van vs cargo bike",
     "We modelled a typical Bristol florist: 14 drops a day inside the ring road. Van: £2.85 per drop "
     "including fuel, Clean Air Zone charges and parking. Cargo bike: £0.92 per drop including finance and "
     "servicing. The full six-slide breakdown is in the document.",
     ["LastMileDelivery", "SmallBusinessUK", "CleanAirZone"], "Download the cost model"),
    (2, 3, "19:00", FB, P_CAR, "Link post", "Cycle to Work: how the savings work",
     "If your employer runs a Cycle to Work scheme, a Kestrel Trio can cost up to 42% less through salary "
     "sacrifice. We have written a plain-English guide to how the limits, the payments and the end-of-term "
     "options work. Finance subject to status. Kestrel Cargo Bikes Ltd is a credit broker, not a lender.",
     ["CycleToWork", "BristolParents"], "Read the guide and book a test ride"),
    (2, 5, "10:00", IG, P_HILLS, "Carousel", "Rain, shopping and Constitution Hill",
     "Thirty kilos of weekly shop, steady drizzle, and Constitution Hill. Swipe to see the rain cover, the "
     "hydraulic brakes and the hub gears that keep the chain out of the weather.",
     ["BristolHills", "CargoBike", "AllWeatherCycling"], "Book a rainy-day test ride"),
    (3, 0, "08:00", FB, P_HILLS, "Video", "Inside the Stokes Croft workshop",
     "Every Kestrel is assembled, tuned and road-tested in our Stokes Croft workshop. Meet Priya, who "
     "builds the wheels, and see why a same-week repair with a loan bike is standard, not an upgrade.",
     ["MadeInBristol", "StokesCroft", "CargoBike"], "Visit the workshop on a test-ride day"),
    (3, 2, "12:30", LI, P_FLEET, "Case study", "Wild Oat Bakery swapped a van for two bikes",
     "Wild Oat Bakery used to run one diesel van for 22 morning drops. Six months after switching to two "
     "Kestrel Haul Pro bikes, delivery costs are down 38%, the first drop lands twenty minutes earlier, and "
     "the riders know every café owner by name. Read the full case study.",
     ["CaseStudy", "LastMileDelivery", "BristolBusiness"], "Read the Wild Oat case study"),
    (3, 3, "07:45", IG, P_CAR, "Reel", "We sold the Corsa",
     "The Bennetts sold their second car in February. They kept a spreadsheet. Here is what six weeks "
     "without it looked like: £412 saved, zero parking fines, and a very proud seven-year-old.",
     ["CarFreeFamily", "SchoolRun", "BristolCycling"], "Book a free test ride — link in bio"),
    (4, 1, "12:30", LI, P_FLEET, "Text post", "What the Clean Air Zone costs a small fleet",
     "A two-van business entering the Clean Air Zone five days a week pays £4,680 a year in charges alone. "
     "That is most of the cost of a cargo bike. We will run the numbers for your routes for free.",
     ["CleanAirZone", "BristolBusiness", "Logistics"], "Request a free route costing"),
    (4, 2, "18:30", IG, P_STORIES, "Carousel", "Five families, five school runs",
     "Five Bristol families, five routes, one thing in common: none of them miss the second car. Swipe "
     "through Southville, Bishopston, Totterdown, Redland and Bedminster.",
     ["BristolParents", "SchoolRun", "CargoBike", "KestrelTrio"], "Tell us your route in the comments"),
    (4, 0, "09:30", FB, P_CAR, "Event", "Spring test-ride weekend",
     "Spring test-ride weekend, 28–29 March at our Stokes Croft workshop. Bring the children, bring the "
     "helmets, and ride the Haul and the Trio on a short loop that includes a proper Bristol hill. "
     "Free, forty-five minutes, booking essential.",
     ["BristolEvents", "TestRide", "CargoBike"], "Book your slot for 28–29 March"),
    (5, 0, "07:45", IG, P_HILLS, "Reel", "Battery range: real Bristol numbers",
     "We logged a month of school runs and shopping trips on one Kestrel Haul: 41 miles per charge on "
     "Bristol hills with a full box. Charging takes five hours from a normal socket.",
     ["EBike", "BatteryRange", "BristolHills"], "Book a free test ride — link in bio"),
    (5, 2, "12:30", LI, P_FLEET, "Document post", "Fleet finance in plain English",
     "Buying, leasing or salary sacrifice for your team: a four-page guide to fleet finance for cargo bikes, "
     "with worked examples for a two-bike café and a five-bike courier. Finance subject to status. Kestrel "
     "Cargo Bikes Ltd is a credit broker, not a lender.",
     ["SmallBusinessUK", "FleetFinance", "LastMileDelivery"], "Download the finance guide"),
    (5, 3, "19:00", FB, P_STORIES, "Photo", "Easter holiday adventures",
     "Easter holidays start this week. Where will the cargo bike take you? Our customers' favourite day "
     "trips: Ashton Court deer park, the Bristol to Bath railway path, and ice cream on the harbourside.",
     ["EasterHolidays", "FamilyDaysOut", "BristolParents"], "Share your favourite family ride"),
    (6, 1, "07:45", IG, P_CAR, "Carousel", "Six weeks, one car fewer: the tally",
     "Six weeks ago we asked Bristol families to try a school run without the second car. Here is what "
     "they told us: quicker mornings, calmer children and about £60 a week saved.",
     ["CarFreeFamily", "BristolCycling", "CargoBike"], "Book your free test ride this week"),
    (6, 2, "12:30", LI, P_FLEET, "Text post", "Two-week fleet trials: final spring slots",
     "We have three two-week fleet trials left this spring. We deliver two bikes, train your riders, and "
     "measure cost per drop against your van. No charge, no obligation.",
     ["FleetTrial", "BristolBusiness", "CleanAirZone"], "Book one of the last three trials"),
    (6, 4, "18:00", FB, P_HILLS, "Video", "Servicing and support, explained",
     "What happens when something goes wrong? Same-week repairs at Stokes Croft, a loan bike while yours is "
     "in, and a free first service at six weeks. Here is Priya walking through a typical service.",
     ["BikeService", "MadeInBristol", "CargoBike"], "Book a test ride and meet the workshop"),
]  # fmt: skip


def _scheduled(week: int, weekday: int, hhmm: str) -> datetime:
    day = START + timedelta(weeks=week - 1, days=weekday)
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=TZ)


def execution() -> Execution:
    posts, calendar = [], []
    for n, (week, weekday, hhmm, platform, pillar, fmt, title, text, tags, cta) in enumerate(POSTS, start=1):
        post_id = f"post-{n:02d}"
        when = _scheduled(week, weekday, hhmm)
        posts.append(
            Post(
                id=post_id,
                platform=platform,
                scheduled_at=when,
                text=text,
                hashtags=[f"#{t}" for t in tags],
                pillar=pillar,
                format=fmt,
                cta=cta,
            )
        )
        calendar.append(
            CalendarEntry(
                date=when.date().isoformat(),
                platform=platform,
                pillar=pillar,
                format=fmt,
                post_id=post_id,
                title=title,
            )
        )
    return Execution(
        brand=BRAND,
        timezone="Europe/London",
        window_start=START.isoformat(),
        window_end=END.isoformat(),
        calendar=calendar,
        posts=posts,
        hashtag_sets=[
            HashtagSet(
                name="Families", platform=IG, hashtags=["#SchoolRun", "#BristolParents", "#CargoBike"]
            ),
            HashtagSet(name="Business", platform=LI, hashtags=["#CleanAirZone", "#LastMileDelivery"]),
        ],
        reel_scripts=[
            ReelScript(
                post_id="post-01",
                platform=IG,
                title="What £3,100 a year buys you",
                duration_s=25,
                hook="This car cost us £3,100 last year. It moved 1.5 miles a day.",
                beats=[
                    "Parent next to the parked hatchback, receipts in hand",
                    "Cut to the same parent loading two children into the Kestrel Haul",
                    "Split screen: £3,100 for the car, £90 to charge the bike",
                ],
                on_screen_text=["£3,100 a year", "£90 a year", "Free test ride"],
                cta="Book a free test ride — link in bio",
            ),
            ReelScript(
                post_id="post-05",
                platform=IG,
                title="The 8:40 dash, minus the traffic",
                duration_s=20,
                hook="Gloucester Road, 8:40am. Forty cars. One bike.",
                beats=[
                    "Drone shot of the queue of cars",
                    "Hannah rolls past in the bus lane",
                    "School gate at 8:49",
                ],
                cta="Book a free test ride — link in bio",
            ),
        ],
        notes=[
            "Instagram carries two posts a week; Facebook and LinkedIn one each.",
            "Posts that mention finance carry the required credit-broker disclaimer verbatim.",
        ],
        email_sequence=[
            Email(
                day=0,
                subject="Your test ride is booked — here is what to expect",
                preview="Forty-five minutes, a Bristol hill and a coffee",
                body="Thanks for booking. Bring the children if you can: the ride is better with real cargo.",
                cta="Add it to your calendar",
            ),
            Email(
                day=2,
                subject="The second-car maths, for your household",
                preview="Plug in your own numbers",
                body="Most families we meet spend £2,600–£3,400 a year on a second car. "
                "Here is the calculator.",
                cta="Work out your savings",
            ),
            Email(
                day=7,
                subject="Ready when you are: finance and Cycle to Work options",
                preview="From £89 a month",
                body=f"Three ways to pay, explained simply. {FINANCE_DISCLAIMER}",
                cta="See the options",
            ),
        ],
    )


def _hash(label: str) -> str:
    return hashlib.sha256(f"kestrel-demo:{label}".encode()).hexdigest()


def _artifact(module: Module, content: dict, version: int, sources: dict[str, int]) -> ExportArtifact:
    approved_at = datetime(2026, 2, 20, 9, 0, tzinfo=UTC) + timedelta(hours=3 * list(Module).index(module))
    generated = module is not Module.INTAKE
    return ExportArtifact(
        type=module,
        id=f"art_{module.value}_kestrel",
        version=version,
        status=ArtifactStatus.APPROVED,
        approved_by="maya.patel@northlight.agency",
        approved_at=approved_at,
        content=content,
        content_markdown="",
        provenance=Provenance(
            generator=module.value if generated else "",
            provider="offline" if generated else "",
            model="aicmo-offline-planner" if generated else "",
            prompt_version="v1" if generated else "",
            run_id=f"run_{_hash(module.value)[:12]}" if generated else "",
        ),
        inputs_hash=_hash(f"inputs:{module.value}:{version}"),
        source_versions=sources,
    )


MONITORING_MARKDOWN = """\
## What the first three weeks tell us

- **Instagram reels drive bookings.** The Park Street and Okafor videos produced 61% of booked rides.
- **LinkedIn is slower but valuable.** Four fleet enquiries so far, two from bakeries.
- **Facebook events convert.** The test-ride weekend listing sits at 4.1% click-through.

| Recommendation | Expected effect |
|---|---|
| Move 10% of Facebook budget to Instagram reels | About 12 extra bookings |
| Add a finance slide to the fleet document posts | Higher fleet enquiry rate |
"""


def metrics() -> list[dict]:
    weekly = {
        IG: [(18400, 11200, 240, 820, 21, 390.0), (22600, 13900, 310, 1010, 27, 420.0),
             (25100, 15200, 352, 1180, 31, 450.0)],
        FB: [(12800, 8100, 150, 380, 11, 270.0), (14100, 8800, 188, 420, 14, 290.0),
             (17900, 10400, 262, 560, 19, 330.0)],
        LI: [(4100, 2600, 41, 96, 1, 110.0), (4800, 3000, 52, 121, 2, 120.0),
             (5300, 3300, 58, 133, 1, 120.0)],
    }  # fmt: skip
    rows = []
    for platform, weeks in weekly.items():
        for index, (impressions, reach, clicks, engagements, conversions, spend) in enumerate(weeks):
            rows.append(
                {
                    "date": (START + timedelta(weeks=index)).isoformat(),
                    "platform": platform.value,
                    "impressions": impressions,
                    "reach": reach,
                    "clicks": clicks,
                    "engagements": engagements,
                    "conversions": conversions,
                    "spend": spend,
                }
            )
    return rows


def delivery() -> DeliverySummary:
    return DeliverySummary(
        brand=BRAND,
        title="Spring test-ride campaign: plan and first results",
        executive_summary=(
            "Kestrel will turn Bristol's second-car school run into a test ride. Over six weeks we lead "
            "with the money (a second car costs around £3,100 a year), prove the bikes on the city's hills "
            "with real families, and open a LinkedIn track for local businesses paying Clean Air Zone "
            "charges. Three weeks in, 127 test rides are booked at £19.69 each, half the £40 ceiling."
        ),
        highlights=[
            "20 ready-to-post pieces across Instagram, Facebook and LinkedIn, scheduled to the minute",
            "Instagram reels drive 61% of bookings; budget follows them from week 4",
            "Four fleet enquiries from local food businesses after three LinkedIn posts",
            "A three-email sequence that turns a booked ride into a finance conversation",
        ],
        included=[
            IncludedItem(module="strategy", title="Strategy", summary="ICP, positioning, pillars", items=4),
            IncludedItem(module="creatives", title="Creatives", summary="Templates and scripts", items=8),
            IncludedItem(module="execution", title="Content calendar", summary="Posts and emails", items=23),
        ],
        exports=["PDF", "PPTX", "ZIP"],
        next_steps=[
            NextStep(
                step="Approve the week 4–6 budget shift to Instagram reels",
                owner="Kestrel",
                when="By 25 March",
            ),
            NextStep(step="Film the Wild Oat delivery race", owner="Northlight", when="Week of 30 March"),
            NextStep(step="Load the email sequence into Mailchimp", owner="Northlight", when="27 March"),
            NextStep(
                step="Review results against targets", owner="Kestrel and Northlight", when="Monday 6 April"
            ),
        ],
        reporting="A one-page update every Monday and a full review at the end of week six.",
    )


def build_demo_package() -> ExportPackage:
    monitoring = _artifact(Module.MONITORING, {"weeks_reported": 3}, 1, {"execution": 2}).model_copy(
        update={"content_markdown": MONITORING_MARKDOWN}
    )
    return ExportPackage(
        client_name=CLIENT,
        engagement_name="Spring test-ride campaign 2026",
        period_start=START,
        period_end=END,
        timezone="Europe/London",
        brand_colors=COLOURS,
        required_outputs=[OutputFormat.PDF, OutputFormat.PPTX, OutputFormat.ZIP],
        artifacts=[
            _artifact(Module.INTAKE, intake().model_dump(mode="json"), 3, {}),
            _artifact(Module.STRATEGY, strategy().model_dump(mode="json"), 2, {"intake": 3}),
            _artifact(Module.CREATIVES, creatives().model_dump(mode="json"), 1, {"strategy": 2}),
            _artifact(
                Module.EXECUTION, execution().model_dump(mode="json"), 2, {"strategy": 2, "creatives": 1}
            ),
            monitoring,
            _artifact(
                Module.DELIVERY,
                delivery().model_dump(mode="json"),
                1,
                {"intake": 3, "strategy": 2, "creatives": 1, "execution": 2},
            ),
        ],
        metrics=metrics(),
        generated_at=datetime(2026, 3, 23, 10, 15, tzinfo=UTC),
        generated_by="Northlight Agency",
    )


# ---- fixtures: render once per session ------------------------------------------------------------
@pytest.fixture(scope="session")
def package() -> ExportPackage:
    return build_demo_package()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture(scope="session")
def pdf_bytes(package: ExportPackage, output_dir: Path) -> bytes:
    from aicmo.adapters.exporters.pdf import render_pdf

    data = render_pdf(package)
    (output_dir / "report.pdf").write_bytes(data)
    return data


@pytest.fixture(scope="session")
def pptx_bytes(package: ExportPackage, output_dir: Path) -> bytes:
    from aicmo.adapters.exporters.pptx import render_pptx

    data = render_pptx(package)
    (output_dir / "deck.pptx").write_bytes(data)
    return data


@pytest.fixture(scope="session")
def bundle(package: ExportPackage, pdf_bytes: bytes, pptx_bytes: bytes, output_dir: Path):
    from aicmo.adapters.exporters.bundle import render_zip

    data, manifest = render_zip(package, pdf=pdf_bytes, pptx=pptx_bytes)
    (output_dir / "bundle.zip").write_bytes(data)
    return data, manifest
