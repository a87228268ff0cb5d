"""The channel registry (SPEC §9 "Channels"): every channel a brief may name, with its limits and
conventions, in one place. Generators, gates and exporters read their per-channel numbers from here.

Decisions worth knowing:
- `posts` says whether the channel gets scheduled pieces in the calendar. E-mail gets a sequence
  (scheduled only when it is the only channel) and search ads get ad copy and a budget line, not
  posts.
- `caption_limit` is the hard limit of the rendered piece (hashtags included); SMS counts one
  160-character segment, WhatsApp a template message (1,024), job boards a listing summary.
- `carries_links`: False where a link in the text is not clickable (Instagram, TikTok captions),
  so the link goes to the profile ("link in bio").
- Briefs may name a channel the way people say it ("Indeed", "text messages", "Google Ads"): the
  intake schema resolves those aliases (`PLATFORM_ALIASES`); an unknown name is an error listing
  the known ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from aicmo.domain.schemas.intake import Platform


@dataclass(frozen=True)
class Channel:
    platform: Platform
    name: str
    kind: str  # social, video, owned, messaging, search, local, listings
    role: str
    formats: tuple[str, ...]
    caption_limit: int
    target_length: int
    hashtags: int  # how many the generator writes
    hashtag_soft: int  # recommended maximum (a warning above it)
    hashtag_hard: int | None  # the platform rejects or hides more (an error above it)
    cadence: int  # base posts per week
    paid_weight: int  # share of paid budget when selected (0 = no paid line)
    slots: tuple[tuple[int, time], ...]  # (weekday 0=Monday, local time) in order of preference
    carries_links: bool = True
    posts: bool = True
    image_size: str = ""
    aspect: str = ""
    conventions: str = ""
    tracking: str = ""
    max_messages: int = 0  # most pieces in one engagement (0 = no own cap): people opted in, not a feed


def _t(hour: int, minute: int = 0) -> time:
    return time(hour, minute)


CHANNELS: dict[Platform, Channel] = {
    c.platform: c
    for c in (
        Channel(
            Platform.LINKEDIN,
            "LinkedIn",
            "social",
            "Professional credibility and reach",
            ("Text post", "Document carousel", "Poll", "Short video"),
            3000,
            1300,
            3,
            3,
            None,
            3,
            3,
            ((1, _t(8, 30)), (3, _t(12, 15)), (2, _t(17))),
            image_size="1200x627",
            aspect="1.91:1",
            conventions="First two lines carry the hook (the rest folds); 3 hashtags at most.",
            tracking="LinkedIn Insight Tag with a conversion for the key event.",
        ),
        Channel(
            Platform.INSTAGRAM,
            "Instagram",
            "social",
            "Visual storytelling and community",
            ("Carousel", "Reel", "Single image"),
            2200,
            900,
            12,
            30,
            30,
            3,
            3,
            ((0, _t(18, 30)), (3, _t(12)), (5, _t(10))),
            carries_links=False,
            image_size="1080x1350",
            aspect="4:5",
            conventions="Links are not clickable in captions: point to the link in bio.",
            tracking="Meta Pixel plus Conversions API (covers Facebook and Instagram).",
        ),
        Channel(
            Platform.FACEBOOK,
            "Facebook",
            "social",
            "Community, local reach and retargeting",
            ("Image post", "Short video", "Text post"),
            63206,
            700,
            2,
            3,
            None,
            2,
            2,
            ((1, _t(13)), (3, _t(19, 30)), (5, _t(10, 30))),
            image_size="1200x630",
            aspect="1.91:1",
            tracking="Meta Pixel plus Conversions API (covers Facebook and Instagram).",
        ),
        Channel(
            Platform.X,
            "X",
            "social",
            "Fast conversation and point-of-view",
            ("Short post", "Thread opener"),
            280,
            280,
            2,
            3,
            None,
            3,
            1,
            ((0, _t(9)), (2, _t(12, 30)), (4, _t(16))),
            image_size="1600x900",
            aspect="16:9",
            conventions="280 weighted characters; a URL counts 23.",
            tracking="X Pixel for retargeting and conversion counts.",
        ),
        Channel(
            Platform.TIKTOK,
            "TikTok",
            "video",
            "Short-video discovery",
            ("Short video",),
            2200,
            400,
            5,
            6,
            None,
            3,
            2,
            ((1, _t(19, 30)), (3, _t(20)), (6, _t(18))),
            carries_links=False,
            image_size="1080x1920",
            aspect="9:16",
            conventions="The first second is the hook; captions are short; link in bio.",
            tracking="TikTok Pixel with the same conversion event.",
        ),
        Channel(
            Platform.YOUTUBE,
            "YouTube",
            "video",
            "Searchable explainers and long-form trust",
            ("Explainer video", "Short"),
            5000,
            1500,
            3,
            5,
            15,
            1,
            2,
            ((3, _t(16)), (5, _t(10)), (1, _t(15))),
            image_size="1280x720",
            aspect="16:9",
            tracking="YouTube and Google Ads conversions linked to analytics.",
        ),
        Channel(
            Platform.EMAIL,
            "Email",
            "owned",
            "Owned nurture and conversion",
            ("Newsletter",),
            20000,
            2000,
            0,
            0,
            None,
            0,
            0,
            ((1, _t(10)), (3, _t(10)), (5, _t(10))),
            image_size="600x200",
            aspect="3:1",
            conventions="Subject under 50 characters; one call to action; unsubscribe link.",
            tracking="E-mail platform: click tracking on, UTMs on links, unsubscribes and bounces reported.",
        ),
        Channel(
            Platform.GOOGLE_BUSINESS,
            "Google Business Profile",
            "local",
            "Local search visibility and enquiries",
            ("Update post", "Offer post"),
            1500,
            750,
            0,
            0,
            None,
            1,
            0,
            ((0, _t(9, 30)), (3, _t(9, 30)), (5, _t(9))),
            image_size="1200x900",
            aspect="4:3",
            conventions="No hashtags; one button (Call, Book, Order, Learn more); reply to every review.",
            tracking="Google Business Profile insights (calls, direction requests, website clicks).",
        ),
        Channel(
            Platform.PINTEREST,
            "Pinterest",
            "social",
            "Planning-stage discovery",
            ("Standard pin", "Idea pin"),
            500,
            480,
            3,
            5,
            None,
            2,
            1,
            ((5, _t(20)), (2, _t(21)), (6, _t(19))),
            image_size="1000x1500",
            aspect="2:3",
            tracking="Pinterest Tag with checkout and sign-up events.",
        ),
        Channel(
            Platform.THREADS,
            "Threads",
            "social",
            "Casual conversation and community",
            ("Text post",),
            500,
            480,
            1,
            1,
            None,
            2,
            1,
            ((1, _t(11)), (3, _t(11)), (5, _t(11))),
            image_size="1080x1350",
            aspect="4:5",
        ),
        Channel(
            Platform.SMS,
            "SMS",
            "messaging",
            "Direct reminders and nudges to people who opted in",
            ("Text message",),
            160,
            150,
            0,
            0,
            0,
            1,
            0,
            ((1, _t(12)), (3, _t(17, 30)), (5, _t(10))),
            image_size="",
            aspect="",
            conventions="One 160-character segment; the brand first; opt-out text ('Reply STOP to opt out'); "
            "only to people who opted in; never before 8am or after 9pm local time.",
            tracking="SMS platform: delivered, clicks on a tracked short link, opt-outs.",
            max_messages=12,
        ),
        Channel(
            Platform.WHATSAPP,
            "WhatsApp",
            "messaging",
            "Conversational updates to people who opted in",
            ("Broadcast message",),
            1024,
            500,
            0,
            0,
            0,
            1,
            0,
            ((2, _t(12, 30)), (4, _t(17)), (6, _t(11))),
            image_size="1080x1080",
            aspect="1:1",
            conventions="Approved template messages to opted-in contacts; one quick-reply or link button.",
            tracking="WhatsApp Business: delivered, read, button clicks, replies.",
            max_messages=12,
        ),
        Channel(
            Platform.SEARCH_ADS,
            "Search ads",
            "search",
            "Capture people already searching for the offer",
            ("Responsive search ad",),
            90,
            90,
            0,
            0,
            0,
            0,
            4,
            ((0, _t(9)),),
            posts=False,
            conventions="Headlines of 30 characters, descriptions of 90; intent keywords; a landing page "
            "that matches the ad.",
            tracking="Google Ads conversions imported from analytics for the key event.",
        ),
        Channel(
            Platform.JOB_BOARDS,
            "Job boards (Indeed, Glassdoor)",
            "listings",
            "Where candidates search: listings and sponsored boosts",
            ("Job listing",),
            4000,
            1200,
            0,
            0,
            0,
            1,
            4,
            ((0, _t(7)), (3, _t(7)), (5, _t(8))),
            image_size="1200x628",
            aspect="1.91:1",
            conventions="Job title as people search it; pay range, shift and location up front; how to apply "
            "in one step; the equal-opportunity statement.",
            tracking="ATS source tracking per board; sponsored-job spend per application.",
        ),
    )
}


# Formats that are videos: their visual brief is filmed or edited, not photographed.
VIDEO_FORMATS = frozenset({"Reel", "Short video", "Explainer video", "Short", "Idea pin"})


def channel(platform: Platform | str) -> Channel:
    return CHANNELS[Platform(platform)]


def posting_platforms(platforms: list[Platform] | tuple[Platform, ...]) -> list[Platform]:
    """Selected channels that get scheduled posts, in the brief's order (e-mail and search ads aside)."""
    return [p for p in dict.fromkeys(platforms) if CHANNELS[p].posts and p is not Platform.EMAIL]
