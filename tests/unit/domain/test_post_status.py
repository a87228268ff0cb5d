"""A post an operator rejects is left out of what the client receives; the rest stay as they are."""

from __future__ import annotations

from aicmo.domain.schemas.execution import Execution, PostStatus


def plan(*statuses: PostStatus) -> Execution:
    posts = [
        {
            "id": f"p{i}",
            "platform": "linkedin",
            "scheduled_at": f"2027-03-0{i + 1}T09:00:00+00:00",
            "text": f"Post number {i}",
            "pillar": "Proof",
            "format": "Text post",
            "cta": "Book a call",
            "status": status.value,
        }
        for i, status in enumerate(statuses)
    ]
    calendar = [
        {"date": p["scheduled_at"][:10], "platform": "linkedin", "pillar": "Proof", "format": "Text post",
         "post_id": p["id"], "title": p["text"]}
        for p in posts
    ]  # fmt: skip
    return Execution.model_validate(
        {
            "brand": "Calder & Finch",
            "timezone": "Europe/London",
            "window_start": "2027-03-01",
            "window_end": "2027-03-31",
            "calendar": calendar,
            "posts": posts,
        }
    )


def test_rejected_posts_and_their_calendar_entries_are_left_out() -> None:
    full = plan(PostStatus.APPROVED, PostStatus.REJECTED, PostStatus.DRAFT)
    delivered = full.without_rejected()
    assert [p.id for p in delivered.posts] == ["p0", "p2"]
    assert [c.post_id for c in delivered.calendar] == ["p0", "p2"]
    assert len(full.posts) == 3  # the artifact itself keeps every post


def test_a_plan_without_rejections_is_delivered_whole_and_posts_default_to_draft() -> None:
    full = plan(PostStatus.DRAFT, PostStatus.APPROVED)
    assert full.without_rejected() is full
    legacy = full.model_dump(mode="json")
    for post in legacy["posts"]:
        del post["status"]
    assert {p.status for p in Execution.model_validate(legacy).posts} == {PostStatus.DRAFT}
