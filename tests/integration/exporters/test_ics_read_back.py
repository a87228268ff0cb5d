"""The hand-written .ics is correct (issue 22): `icalendar`, a maintained RFC 5545 parser, reads it
back to exactly the posts it was written from, hostile text and non-ASCII included."""

from __future__ import annotations

from datetime import UTC, timedelta

from icalendar import Calendar

from aicmo.adapters.exporters.calendar_files import POST_MINUTES, calendar_ics
from aicmo.adapters.exporters.text import hashtags_text, platform_label
from aicmo.adapters.exporters.view import ReportView
from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.execution import Execution
from aicmo.domain.schemas.export import ExportPackage

HOSTILE = (
    "Café Crème, Zürich; “quoted” \\ back-slashed\nsecond line with emoji 👩🏽‍🍳 and 東京 — "
    + "a long line of ütf-8 letters " * 6
)


def _with_hostile_first_post(package: ExportPackage) -> ExportPackage:
    artifact = package.artifact(Module.EXECUTION)
    execution = Execution.model_validate(artifact.content)
    posts = list(execution.posts)
    posts[0] = posts[0].model_copy(update={"text": HOSTILE, "pillar": "Proof; trust, care"})
    content = execution.model_copy(update={"posts": posts}).model_dump(mode="json")
    artifacts = [a.model_copy(update={"content": content}) if a is artifact else a for a in package.artifacts]
    return package.model_copy(update={"artifacts": artifacts})


def test_icalendar_reads_back_every_post_as_written(package: ExportPackage) -> None:
    package = _with_hostile_first_post(package)
    view = ReportView(package)
    assert view.execution is not None
    posts = {post.id: post for post in view.execution.posts}

    calendar = Calendar.from_ical(calendar_ics(view))

    assert str(calendar["VERSION"]) == "2.0"
    events = calendar.walk("VEVENT")
    assert len(events) == len(posts)
    assert len({str(e["UID"]) for e in events}) == len(events)
    read = {}
    for event in events:
        description = str(event["DESCRIPTION"])
        post_id = description.rsplit("Post id: ", 1)[1]
        read[post_id] = event
        post = posts[post_id]
        local = (
            post.scheduled_at if post.scheduled_at.tzinfo else post.scheduled_at.replace(tzinfo=package.tz)
        )
        assert event.decoded("DTSTART") == local.astimezone(UTC)
        assert event.decoded("DURATION") == timedelta(minutes=POST_MINUTES)
        assert description.startswith(post.text + "\n" + hashtags_text(post.hashtags))
        assert f"Call to action: {post.cta}" in description
        assert str(event["SUMMARY"]).startswith(f"[{platform_label(post.platform)}] ")
        categories = [str(c) for c in event["CATEGORIES"].cats]
        assert categories == [platform_label(post.platform), post.pillar, post.format]
    assert set(read) == set(posts)
    hostile = read[view.execution.posts[0].id]
    assert str(hostile["DESCRIPTION"]).startswith(HOSTILE)
