"""The client intake (the brief, SPEC §3): one model for API, services, console and CLI.

Structural problems (missing required field, wrong type, malformed URL or e-mail, unknown field)
are pydantic errors and block. Judgement calls live in `domain.intake_rules` and come back as
errors or warnings that name their field.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AnyHttpUrl,
    Field,
    StringConstraints,
    TypeAdapter,
    field_validator,
    model_validator,
)

from aicmo.domain.contacts import Email
from aicmo.domain.schemas.common import Strict

Text = Annotated[str, StringConstraints(max_length=4_000, strip_whitespace=True)]
Required = Annotated[str, StringConstraints(min_length=1, max_length=4_000, strip_whitespace=True)]
Item = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
Items = Annotated[list[Item], Field(max_length=50)]
UrlText = Annotated[str, StringConstraints(max_length=2_000, strip_whitespace=True)]

_URL = TypeAdapter(AnyHttpUrl)


def check_url(value: str) -> str:
    if value:
        _URL.validate_python(value)
    return value


class Objective(StrEnum):
    AWARENESS = "Awareness"
    LEADS = "Leads"
    SALES = "Sales"
    HIRING = "Hiring"
    PARTNERSHIPS = "Partnerships"
    RETENTION = "Retention"


class Platform(StrEnum):
    LINKEDIN = "linkedin"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    X = "x"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    EMAIL = "email"
    GOOGLE_BUSINESS = "google_business"
    PINTEREST = "pinterest"
    THREADS = "threads"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    SEARCH_ADS = "search_ads"
    JOB_BOARDS = "job_boards"


# How people name channels in briefs; resolved before validation (see domain.channels for limits).
PLATFORM_ALIASES: dict[str, Platform] = {
    "indeed": Platform.JOB_BOARDS,
    "glassdoor": Platform.JOB_BOARDS,
    "ziprecruiter": Platform.JOB_BOARDS,
    "job_board": Platform.JOB_BOARDS,
    "jobboards": Platform.JOB_BOARDS,
    "text": Platform.SMS,
    "text_messages": Platform.SMS,
    "texts": Platform.SMS,
    "whatsapp_business": Platform.WHATSAPP,
    "google_ads": Platform.SEARCH_ADS,
    "bing_ads": Platform.SEARCH_ADS,
    "ppc": Platform.SEARCH_ADS,
    "search": Platform.SEARCH_ADS,
    "twitter": Platform.X,
    "google_business_profile": Platform.GOOGLE_BUSINESS,
    "gbp": Platform.GOOGLE_BUSINESS,
    "google_my_business": Platform.GOOGLE_BUSINESS,
    "e-mail": Platform.EMAIL,
    "newsletter": Platform.EMAIL,
}


def platform_name(name: object) -> object:
    """'Indeed' -> 'job_boards', 'Google Ads' -> 'search_ads'; anything else is returned as given."""
    if not isinstance(name, str):
        return name
    key = "_".join(name.strip().lower().replace("-", "_").split())
    if key in Platform._value2member_map_:
        return key
    alias = PLATFORM_ALIASES.get(key) or PLATFORM_ALIASES.get(key.replace("_", ""))
    return alias.value if alias else name


class OutputFormat(StrEnum):
    PDF = "PDF"
    PPTX = "PPTX"
    ZIP = "ZIP"


class ReportFrequency(StrEnum):
    ONE_TIME = "One-time"
    WEEKLY = "Weekly"
    MONTHLY = "Monthly"


class HiringContext(Strict):
    evp: Text = ""
    role_types: Items = Field(default_factory=list)
    hiring_locations: Items = Field(default_factory=list)
    employer_brand_notes: Text = ""


class EcommerceContext(Strict):
    catalog_url: UrlText = ""
    top_skus: Items = Field(default_factory=list)
    margins: Text = ""

    _url = field_validator("catalog_url")(check_url)


class ServicesContext(Strict):
    deck_url: UrlText = ""
    service_areas: Items = Field(default_factory=list)
    booking_url: UrlText = ""

    _urls = field_validator("deck_url", "booking_url")(check_url)


class IntakeContext(Strict):
    hiring: HiringContext | None = None
    ecommerce: EcommerceContext | None = None
    services: ServicesContext | None = None


class Intake(Strict):
    # A. Identity
    client_name: Required = Field(
        description="The client's trading name, as it should appear in copy and deliverables."
    )
    website: UrlText = Field(
        default="", description="The client's website (https://…). Required unless no_website is true."
    )
    no_website: bool = Field(
        default=False,
        description="True when the client has no website: links then go to profiles, maps or booking pages.",
    )
    industry: Required = Field(
        description="What the business is (e.g. 'Dental clinic', 'E-commerce', 'B2B software')."
    )
    geography: Required = Field(
        description="Where the client sells or serves: city, region, country (e.g. 'Manchester, UK')."
    )
    timezone: Text = Field(
        default="UTC", description="IANA time zone for posting times (e.g. Europe/London)."
    )
    contact_email: Email | None = Field(default=None, description="The client's contact e-mail.")
    # B. Offer & economics
    primary_offer: Required = Field(description="The product or service this engagement promotes.")
    pricing: Text = Field(
        default="", description="Prices as the client states them (e.g. 'Fixed fees from £350')."
    )
    aov_ltv: Text = Field(
        default="", description="Average order value and/or customer lifetime value, as known."
    )
    differentiators: Required = Field(
        description="Why a customer picks this client over others; one per line or sentence."
    )
    competitors: Items = Field(default_factory=list, description="Named competitors.")
    proof_assets: Items = Field(
        default_factory=list, description="Reviews, awards, case studies, numbers the copy may cite."
    )
    # C. Audience & market
    target_audience: Required = Field(description="Who the campaign is for (roles, life stage, place).")
    pain_points: Required = Field(
        description="What the audience struggles with; one per line or separated by ';'."
    )
    desired_outcomes: Required = Field(description="What the audience wants to achieve.")
    objections: Text = Field(
        default="",
        description="Why people hesitate; answered only by a proof point or differentiator that answers it.",
    )
    # D. Goals & constraints
    objective: Objective = Field(
        description="The engagement's goal: Awareness, Leads, Sales, Hiring, Partnerships or Retention."
    )
    kpi_targets: Text = Field(
        default="",
        description="The client's own targets, the primary KPIs (e.g. '35 consultations per month').",
    )
    start_date: date | None = Field(
        default=None, description="First day of the engagement window (YYYY-MM-DD)."
    )
    duration_weeks: int = Field(
        default=12, ge=1, le=52, description="Length of the engagement window in weeks (1-52)."
    )
    budget_range: Text = Field(
        default="", description="Media budget with its period (e.g. '£4k per month', '€15.000 per month')."
    )
    constraints: Text = Field(
        default="", description="Rules the copy must follow: regulated claims, forbidden topics."
    )
    # E. Brand voice & compliance
    tone_voice: Required = Field(description="How the brand sounds (e.g. 'Calm, precise, approachable').")
    voice_examples: Text = Field(default="", description="Sentences in the brand's voice.")
    banned_words: Items = Field(default_factory=list, description="Words or phrases that must never appear.")
    required_disclaimers: Items = Field(
        default_factory=list, description="Text that must appear on every asset."
    )
    languages: Annotated[list[Item], Field(min_length=1, max_length=10)] = Field(
        default_factory=lambda: ["English"], description="Languages to write in (default English)."
    )
    # F. Assets & access
    brand_kit_url: UrlText = Field(default="", description="Link to the brand kit.")
    content_library_url: UrlText = Field(default="", description="Link to the client's photo/video library.")
    social_handles: dict[Platform, Item] = Field(
        default_factory=dict, description='Handle per platform, e.g. {"instagram": "@brand"}.'
    )
    tracking_status: Text = Field(
        default="", description="What tracking exists today (pixels, analytics, call tracking)."
    )
    ad_account_status: Text = Field(default="", description="Which ad accounts exist and who owns them.")
    brand_colors: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]], Field(max_length=6)
    ] = Field(
        default_factory=list,
        description="Brand palette as #RRGGBB values (up to 6); used in the PDF and deck.",
    )
    # G. Delivery
    required_outputs: Annotated[list[OutputFormat], Field(max_length=3)] = Field(
        default_factory=list, description="Deliverables: PDF, PPTX, ZIP."
    )
    report_frequency: ReportFrequency = Field(
        default=ReportFrequency.MONTHLY, description="One-time, Weekly or Monthly."
    )
    # where the client publishes
    platforms: Annotated[list[Platform], Field(max_length=10)] = Field(
        default_factory=list,
        description="Where the client publishes; a sensible default from industry and objective when empty.",
    )
    context: IntakeContext = Field(
        default_factory=IntakeContext, description="Extra fields by case: hiring, ecommerce, services."
    )

    _urls = field_validator("brand_kit_url", "content_library_url")(check_url)

    @field_validator("platforms", mode="before")
    @classmethod
    def _platform_aliases(cls, value: object) -> object:
        return [platform_name(v) for v in value] if isinstance(value, list) else value

    @field_validator("social_handles", mode="before")
    @classmethod
    def _handle_aliases(cls, value: object) -> object:
        return {platform_name(k): v for k, v in value.items()} if isinstance(value, dict) else value

    @field_validator("website")
    @classmethod
    def _website(cls, value: str) -> str:
        return check_url(value)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        value = value or "UTC"
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # "America" is a folder
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/London)") from exc
        return value

    @model_validator(mode="after")
    def _website_or_flag(self) -> Intake:
        if not self.website and not self.no_website:
            raise ValueError("website is required (or set no_website to true)")
        return self
