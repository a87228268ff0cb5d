"""The channel registry: every platform has its limits and conventions; briefs may name channels
the way people say them, and an unknown channel is an error that lists the known ones."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from tests.unit.domain.conftest import load_sample

from aicmo.domain.channels import CHANNELS, channel
from aicmo.domain.plan import post_platforms
from aicmo.domain.quality import HASHTAG_SOFT_LIMITS, PLATFORM_LIMITS
from aicmo.domain.schemas.intake import Intake, Platform


def test_every_platform_is_in_the_registry_with_usable_numbers() -> None:
    assert set(CHANNELS) == set(Platform)
    for platform, ch in CHANNELS.items():
        assert ch.platform is platform and ch.name and ch.role and ch.formats
        assert 0 < ch.target_length <= ch.caption_limit
        assert ch.hashtags <= ch.hashtag_soft
        assert ch.slots and all(0 <= day <= 6 for day, _ in ch.slots)
        assert PLATFORM_LIMITS[platform] == ch.caption_limit
        assert HASHTAG_SOFT_LIMITS[platform] == ch.hashtag_soft
    assert channel("sms").caption_limit == 160 and channel(Platform.JOB_BOARDS).posts


def brief(platforms: list[Any], **extra: Any) -> Intake:
    return Intake.model_validate({**load_sample("hospital_hiring"), "platforms": platforms, **extra})


def test_briefs_naming_job_boards_sms_whatsapp_or_search_ads_are_accepted_under_common_names() -> None:
    intake = brief(["Indeed", "Text messages", "WhatsApp", "Google Ads", "twitter"])
    assert intake.platforms == [
        Platform.JOB_BOARDS,
        Platform.SMS,
        Platform.WHATSAPP,
        Platform.SEARCH_ADS,
        Platform.X,
    ]
    handles = brief(["facebook"], social_handles={"Twitter": "@x"}).social_handles
    assert handles == {Platform.X: "@x"}


def test_an_unknown_channel_is_an_error_naming_the_field_and_listing_the_known_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        brief(["facebook", "myspace"])
    error = caught.value.errors()[0]
    assert error["loc"] == ("platforms", 1)
    for known in ("job_boards", "sms", "whatsapp", "search_ads", "google_business"):
        assert known in error["msg"]


def test_search_ads_get_no_posts_unless_they_are_the_only_channel() -> None:
    assert post_platforms([Platform.SEARCH_ADS, Platform.FACEBOOK, Platform.EMAIL]) == [Platform.FACEBOOK]
    assert post_platforms([Platform.SEARCH_ADS]) == [Platform.SEARCH_ADS]
    assert post_platforms([Platform.EMAIL, Platform.SEARCH_ADS]) == [Platform.EMAIL]
