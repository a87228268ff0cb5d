"""Quality gates: each one fires on a crafted bad input and stays quiet on a good one."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from aicmo.domain.artifacts import Module
from aicmo.domain.quality import (
    Finding,
    brand_names,
    check_quality,
    find_banned,
    find_placeholders,
    near_duplicate_pairs,
    render_caption,
)
from aicmo.domain.schemas.execution import CalendarEntry, Email, Execution, Post
from aicmo.domain.schemas.intake import Intake, Platform
from aicmo.domain.schemas.leadgen import LeadGen

START, END = date(2027, 1, 4), date(2027, 3, 28)
TZ = ZoneInfo("Europe/London")
DISCLAIMER = "This is general information, not legal advice."
TEXTS = [
    "Fixed fees agreed upfront mean you know the cost of employment advice before we start.",
    "Tribunal claims worry owners of small firms; a clear contract review lowers that risk.",
    "Replies within one working day: ask Calder & Finch Solicitors about a dismissal today.",
]


@pytest.fixture
def intake() -> Intake:
    return Intake.model_validate(
        {
            "client_name": "Calder & Finch Solicitors",
            "website": "https://calderfinch.example",
            "industry": "Legal Services",
            "geography": "Manchester, UK",
            "timezone": "Europe/London",
            "primary_offer": "Fixed-fee employment law advice",
            "differentiators": "Fixed fees; fast replies",
            "target_audience": "Owners of businesses with 5-50 staff",
            "pain_points": "Fear of tribunal claims",
            "desired_outcomes": "Predictable costs",
            "objective": "Leads",
            "tone_voice": "Calm",
            "banned_words": ["guarantee", "win your case", "world-class"],
            "required_disclaimers": [DISCLAIMER],
            "platforms": ["linkedin", "x", "instagram"],
        }
    )


def post(n: int, text: str, platform: Platform = Platform.LINKEDIN, **kw: Any) -> Post:
    when = kw.pop("when", datetime(2027, 1, 5 + n, 9, 0, tzinfo=TZ))
    return Post(
        id=f"p{n}",
        platform=platform,
        scheduled_at=when,
        text=text,
        hashtags=kw.pop("hashtags", ["#EmploymentLaw"]),
        pillar="Pillar",
        format="Text post",
        cta="Book a consultation",
        **kw,
    )


def execution(
    posts: list[Post], emails: list[Email] | None = None, calendar: list[CalendarEntry] | None = None
) -> Execution:
    entries = calendar or [
        CalendarEntry(
            date=p.scheduled_at.date().isoformat(),
            platform=p.platform,
            pillar=p.pillar,
            format=p.format,
            post_id=p.id,
            title="Title",
        )
        for p in posts
    ]
    return Execution(
        brand="Calder & Finch Solicitors",
        timezone="Europe/London",
        window_start=START.isoformat(),
        window_end=END.isoformat(),
        calendar=entries,
        posts=posts,
        email_sequence=emails or [],
    )


def good_posts() -> list[Post]:
    return [post(n, f"{text}\n\n{DISCLAIMER}") for n, text in enumerate(TEXTS)]


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# These tests hold the form gates on a handful of posts; coverage of the whole window (a gate of
# its own, tests/unit/domain/test_quality_sense.py) would flag every one of them.
COVERAGE = {"calendar_gap", "platform_missing"}


def check(content: Any, intake: Intake, module: Module = Module.EXECUTION) -> list[Finding]:
    return [f for f in check_quality(module, content, intake, START, END) if f.code not in COVERAGE]


# ---- quiet on good content -----------------------------------------------------------------------
def test_good_execution_has_no_findings(intake: Intake) -> None:
    assert check(execution(good_posts()), intake) == []


# ---- placeholders --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad",
    [
        "Lorem ipsum dolor sit amet.",
        "Pricing TBD.",
        "todo: fix",
        "Hi [insert name],",
        "Hi {{first_name}}",
        "XXX marks the spot",
    ],
)
def test_placeholder_is_found_when_present(intake: Intake, bad: str) -> None:
    posts = good_posts()
    posts[1] = posts[1].model_copy(update={"text": f"{bad} {posts[1].text}"})
    findings = check(execution(posts), intake)
    assert ("placeholder", "posts.1.text") in [(f.code, f.field) for f in findings]


@pytest.mark.parametrize("fine", ["XXL sizes", "Todos Santos", "a TBDX code", "xxxl", "{ braces }"])
def test_placeholder_check_is_quiet_on_lookalikes(fine: str) -> None:
    assert find_placeholders(fine) == []


def test_placeholders_in_a_brief_are_warnings(intake: Intake) -> None:
    brief = intake.model_copy(update={"pricing": "TBD"})
    findings = check(brief, intake, Module.INTAKE)
    assert [(f.code, f.field, f.severity) for f in findings] == [("placeholder", "pricing", "warning")]


# ---- banned words --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["We GUARANTEE it.", "Two guarantees.", "Help to win  your case.", "A world-class team.", "#guarantee"],
)
def test_banned_word_is_found_whole_word_any_case(intake: Intake, text: str) -> None:
    assert find_banned(text, intake.banned_words)


@pytest.mark.parametrize("text", ["Guaranteed? No.", "guaranteeing", "to win your cases-ish", "worldclass"])
def test_banned_word_check_is_quiet_on_other_words(intake: Intake, text: str) -> None:
    assert find_banned(text, ["guarantee", "world-class"]) == []


def test_banned_word_finding_names_the_field(intake: Intake) -> None:
    posts = good_posts()
    posts[2] = posts[2].model_copy(update={"cta": "We guarantee a reply"})
    findings = check(execution(posts), intake)
    # a legal brief: 'guarantee' is banned by the brief and a forbidden claim of the legal pack
    assert [(f.code, f.field) for f in findings] == [
        ("banned_word", "posts.2.cta"),
        ("forbidden_claim", "posts.2.cta"),
    ]
    assert "'guarantee'" in findings[0].message


# ---- brand ---------------------------------------------------------------------------------------
def test_brand_missing_is_found_when_only_in_brand_field(intake: Intake) -> None:
    posts = [
        p.model_copy(update={"text": p.text.replace("Calder & Finch Solicitors", "us")}) for p in good_posts()
    ]
    assert "brand_missing" in codes(check(execution(posts), intake))


def test_brand_may_be_named_without_legal_suffix() -> None:
    assert brand_names("Acme Widgets Ltd") == ["Acme Widgets Ltd", "Acme Widgets"]


def test_brand_check_applies_to_every_module(intake: Intake) -> None:
    leadgen = LeadGen.model_validate(
        {
            "brand": intake.client_name,
            "icp_summary": "Owners of small firms.",
            "sources": [{"name": "Web", "channel": "web", "why": "x", "how": "y"}],
            "scoring": {
                "criteria": [
                    {"kind": "fit", "name": "a", "signal": "b", "points": 10, "rationale": "c"},
                    {"kind": "engagement", "name": "d", "signal": "e", "points": 5, "rationale": "f"},
                ],
                "qualified_at": 60,
                "nurture_below": 30,
                "explanation": "Sum of points.",
            },
            "outreach": [{"step": 1, "day": 0, "channel": "email", "message": "Hello", "cta": "Reply"}],
            "guardrails": ["Consent first."],
            "routing": "To sales.",
        }
    )
    assert codes(check(leadgen, intake, Module.LEADGEN)) == ["brand_missing"]


# ---- disclaimers ---------------------------------------------------------------------------------
def test_missing_disclaimer_is_found_in_that_post(intake: Intake) -> None:
    posts = good_posts()
    posts[1] = posts[1].model_copy(update={"text": TEXTS[1]})
    findings = check(execution(posts), intake)
    assert [(f.code, f.field) for f in findings] == [("disclaimer_missing", "posts.1.text")]


def test_missing_disclaimer_is_found_in_an_email(intake: Intake) -> None:
    emails = [
        Email(
            day=0,
            subject="Hi",
            preview="p",
            body="Calder & Finch Solicitors says hello, and thanks you for the question you sent us.",
            cta="Book",
        )
    ]
    findings = check(execution(good_posts(), emails), intake)
    assert [(f.code, f.field) for f in findings] == [("disclaimer_missing", "email_sequence.0.body")]


# ---- platform limits -----------------------------------------------------------------------------
def test_caption_counts_hashtags_after_a_blank_line() -> None:
    assert render_caption("Hello", ["#a", "#b"]) == "Hello\n\n#a #b"
    assert render_caption("Hello", []) == "Hello"


def test_x_limit_counts_hashtags(intake: Intake) -> None:
    tags = ["#Law"]
    room = 280 - len(render_caption("", tags)) - len(DISCLAIMER) - 2
    fits = (
        "Calder & Finch Solicitors " + "a" * (room - len("Calder & Finch Solicitors ")) + "\n\n" + DISCLAIMER
    )
    posts = [post(0, fits, Platform.X, hashtags=tags)]
    assert len(render_caption(fits, tags)) == 280
    assert check(execution(posts), intake) == []
    posts = [post(0, "b" + fits, Platform.X, hashtags=tags)]
    assert [(f.code, f.field) for f in check(execution(posts), intake)] == [("too_long", "posts.0.text")]


def test_instagram_allows_at_most_30_hashtags(intake: Intake) -> None:
    text = f"{TEXTS[2]}\n\n{DISCLAIMER}"
    ok = [post(0, text, Platform.INSTAGRAM, hashtags=[f"#tag{i}" for i in range(30)])]
    assert check(execution(ok), intake) == []
    bad = [post(0, text, Platform.INSTAGRAM, hashtags=[f"#tag{i}" for i in range(31)])]
    findings = check(execution(bad), intake)
    assert [(f.code, f.severity) for f in findings] == [("too_many_hashtags", "error")]


def test_many_linkedin_hashtags_are_a_warning(intake: Intake) -> None:
    posts = [post(0, f"{TEXTS[2]}\n\n{DISCLAIMER}", hashtags=["#a", "#b", "#c", "#d"])]
    assert [(f.code, f.severity) for f in check(execution(posts), intake)] == [
        ("too_many_hashtags", "warning")
    ]


def test_malformed_hashtag_is_found(intake: Intake) -> None:
    posts = [post(0, f"{TEXTS[2]}\n\n{DISCLAIMER}", hashtags=["#two words"])]
    assert [(f.code, f.field) for f in check(execution(posts), intake)] == [
        ("hashtag_format", "posts.0.hashtags.0")
    ]


# ---- dates ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "when", [datetime(2027, 1, 3, 23, 0, tzinfo=TZ), datetime(2027, 3, 29, 0, 30, tzinfo=TZ)]
)
def test_post_outside_window_is_found(intake: Intake, when: datetime) -> None:
    posts = [post(0, f"{TEXTS[2]}\n\n{DISCLAIMER}", when=when)]
    assert ("outside_window", "posts.0.scheduled_at") in [
        (f.code, f.field) for f in check(execution(posts), intake)
    ]


def test_window_edges_are_inside(intake: Intake) -> None:
    first = datetime(2027, 1, 4, 0, 0, tzinfo=TZ)
    last = datetime(2027, 3, 28, 23, 59, tzinfo=TZ)
    posts = [
        post(0, f"{TEXTS[0]}\n\n{DISCLAIMER}", when=first),
        post(1, f"{TEXTS[2]}\n\n{DISCLAIMER}", when=last),
    ]
    assert check(execution(posts), intake) == []


def test_naive_time_is_found(intake: Intake) -> None:
    posts = [post(0, f"{TEXTS[2]}\n\n{DISCLAIMER}", when=datetime(2027, 1, 5, 9, 0))]
    assert "timezone_missing" in codes(check(execution(posts), intake))


def test_calendar_entry_for_unknown_post_or_outside_window_is_found(intake: Intake) -> None:
    posts = good_posts()
    calendar = [
        CalendarEntry(
            date="2027-01-05", platform=Platform.LINKEDIN, pillar="P", format="F", post_id="nope", title="T"
        ),
        CalendarEntry(
            date="2027-05-01", platform=Platform.LINKEDIN, pillar="P", format="F", post_id="p0", title="T"
        ),
    ]
    found = [(f.code, f.field) for f in check(execution(posts, calendar=calendar), intake)]
    assert ("calendar_orphan", "calendar.0.post_id") in found
    assert ("outside_window", "calendar.1.date") in found


# ---- duplicates ----------------------------------------------------------------------------------
def test_identical_posts_are_duplicates(intake: Intake) -> None:
    posts = good_posts()
    posts.append(post(5, posts[0].text, Platform.X, when=posts[0].scheduled_at + timedelta(days=7)))
    findings = check(execution(posts), intake)
    assert [(f.code, f.field) for f in findings] == [("duplicate_post", "posts.3.text")]


def test_near_duplicate_with_one_word_changed_is_found() -> None:
    a = "Fixed fees agreed upfront mean you know the cost of employment advice before we start work on it."
    b = a.replace("know", "see")
    assert near_duplicate_pairs([a, b, TEXTS[1]]) == [(0, 1)]


def test_shared_disclaimer_and_hashtags_do_not_make_duplicates() -> None:
    texts = [f"{t}\n\n{DISCLAIMER} #Law https://x.example" for t in TEXTS]
    assert near_duplicate_pairs(texts, [DISCLAIMER]) == []


def test_finding_as_dict_names_everything() -> None:
    finding = Finding("too_long", "posts.1.text", "x caption is 300 characters")
    assert finding.as_dict() == {
        "code": "too_long",
        "field": "posts.1.text",
        "message": "x caption is 300 characters",
        "severity": "error",
    }
