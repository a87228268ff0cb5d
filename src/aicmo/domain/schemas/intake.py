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
    EmailStr,
    Field,
    StringConstraints,
    TypeAdapter,
    field_validator,
    model_validator,
)

from aicmo.domain.schemas.common import Strict

Text = Annotated[str, StringConstraints(max_length=4_000, strip_whitespace=True)]
Required = Annotated[str, StringConstraints(min_length=1, max_length=4_000, strip_whitespace=True)]
Item = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
Items = Annotated[list[Item], Field(max_length=50)]
UrlText = Annotated[str, StringConstraints(max_length=2_000, strip_whitespace=True)]

_URL = TypeAdapter(AnyHttpUrl)


def _check_url(value: str) -> str:
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

    _url = field_validator("catalog_url")(_check_url)


class ServicesContext(Strict):
    deck_url: UrlText = ""
    service_areas: Items = Field(default_factory=list)
    booking_url: UrlText = ""

    _urls = field_validator("deck_url", "booking_url")(_check_url)


class IntakeContext(Strict):
    hiring: HiringContext | None = None
    ecommerce: EcommerceContext | None = None
    services: ServicesContext | None = None


class Intake(Strict):
    # A. Identity
    client_name: Required
    website: UrlText = ""
    no_website: bool = False
    industry: Required
    geography: Required
    timezone: Text = "UTC"
    contact_email: EmailStr | None = None
    # B. Offer & economics
    primary_offer: Required
    pricing: Text = ""
    aov_ltv: Text = ""
    differentiators: Required
    competitors: Items = Field(default_factory=list)
    proof_assets: Items = Field(default_factory=list)
    # C. Audience & market
    target_audience: Required
    pain_points: Required
    desired_outcomes: Required
    objections: Text = ""
    # D. Goals & constraints
    objective: Objective
    kpi_targets: Text = ""
    start_date: date | None = None
    duration_weeks: int = Field(default=12, ge=1, le=52)
    budget_range: Text = ""
    constraints: Text = ""
    # E. Brand voice & compliance
    tone_voice: Required
    voice_examples: Text = ""
    banned_words: Items = Field(default_factory=list)
    required_disclaimers: Items = Field(default_factory=list)
    languages: Annotated[list[Item], Field(min_length=1, max_length=10)] = Field(
        default_factory=lambda: ["English"]
    )
    # F. Assets & access
    brand_kit_url: UrlText = ""
    content_library_url: UrlText = ""
    social_handles: dict[Platform, Item] = Field(default_factory=dict)
    tracking_status: Text = ""
    ad_account_status: Text = ""
    brand_colors: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]], Field(max_length=6)
    ] = Field(default_factory=list)
    # G. Delivery
    required_outputs: Annotated[list[OutputFormat], Field(max_length=3)] = Field(default_factory=list)
    report_frequency: ReportFrequency = ReportFrequency.MONTHLY
    # where the client publishes
    platforms: Annotated[list[Platform], Field(max_length=10)] = Field(default_factory=list)
    context: IntakeContext = Field(default_factory=IntakeContext)

    _urls = field_validator("brand_kit_url", "content_library_url")(_check_url)

    @field_validator("website")
    @classmethod
    def _website(cls, value: str) -> str:
        return _check_url(value)

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
