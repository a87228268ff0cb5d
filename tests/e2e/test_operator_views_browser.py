"""Monitoring, Learn, Campaigns and Projects in Chromium over the real stack (issues 19 and 20).

Imported performance data shows as KPIs with their row counts and a weekly trend, goal progress
against the brief's targets, and per-campaign KPIs; imported mentions show sentiment over time and
topics; the Projects view lists the engagement at its stage, and its PM view, dashboard and
engagement view show tasks, timeline, capacity, headline metrics and module states; a campaign's
review queue shows its posts. Screenshots in test-output/screenshots/: monitoring-kpis.png,
monitoring-goals.png, monitoring-listening.png, learn-insights.png, campaigns-queue.png,
projects.png, pm-view.png, pm-capacity.png, dashboard.png, engagement-overview.png.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.console.conftest import sample_brief
from tests.e2e.conftest import Stack
from tests.e2e.console_page import ConsolePage

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_monitoring_learning_campaigns_and_projects_in_the_browser(
    stack: Stack, page: Any, screenshots: Path
) -> None:
    brief = sample_brief("coffee_ecommerce")
    client = stack.call("POST", "/clients", {"name": brief["client_name"]}, expect=201)
    eid = stack.call("POST", "/engagements", {"client_id": client["id"], "name": "Spring"}, 201)["id"]
    for module, body in (
        ("intake", {"intake": brief}),
        ("strategy", {}),
        ("creatives", {}),
        ("execution", {}),
    ):
        stack.call("POST", f"/{module}/generate", {"engagement_id": eid, "auto_approve": True, **body})
    execution = stack.artifact(eid, "execution")
    assert execution is not None
    lines = ["date,platform,post,impressions,reach,engagements,clicks,conversions,spend"]
    for n, post in enumerate(execution["content"]["posts"][:24]):
        lines.append(
            f"{post['scheduled_at'][:10]},{post['platform']},{post['id']},{1500 + 40 * n},{1100 + 30 * n},"
            f"{60 + (90 if n % 4 == 0 else 0)},{20 + n},{n % 3},{12.5 + n}"
        )
    stack.call("POST", "/metrics/import", {"engagement_id": eid, "csv": "\n".join(lines)}, expect=201)
    start = date.fromisoformat(brief["start_date"])
    campaign = stack.call(
        "POST",
        "/campaigns",
        {
            "engagement_id": eid,
            "name": "Launch fortnight",
            "objective": "First orders",
            "platforms": ["instagram"],
            "start_date": str(start),
            "end_date": str(start + timedelta(days=13)),
            "mode": "manual",
        },
        201,
    )
    items = stack.call("POST", f"/campaigns/{campaign['id']}/generate")
    linked = ["date,platform,post,impressions,reach,engagements,clicks,conversions,spend"]
    for n, item in enumerate(items[:6]):
        linked.append(
            f"{item['scheduled_at'][:10]},instagram,{item['id']},{2000 + 100 * n},1500,{90 + n},30,2,15"
        )
    stack.call("POST", "/metrics/import", {"engagement_id": eid, "csv": "\n".join(linked)}, expect=201)
    mentions = ["date,platform,author,text,reach"]
    says = [
        "Best oat latte in town, the beans are incredible",
        "Delivery was late again and the bag arrived torn. Disappointed.",
        "Loving the new espresso beans subscription",
        "Is the subscription easy to cancel?",
        "Terrible customer service on the subscription, no reply in a week",
        "The espresso beans smell amazing, great roast",
    ]
    for n in range(36):
        day = start + timedelta(days=n)
        mentions.append(
            f'{day},{("instagram", "x", "facebook")[n % 3]},@fan{n},"{says[n % len(says)]}",{200 + 25 * n}'
        )
    stack.call("POST", "/listening/import", {"engagement_id": eid, "csv": "\n".join(mentions)}, expect=201)

    ui = ConsolePage(page, stack.ui_url, screenshots)
    ui.open(f"?client={client['id']}&engagement={eid}&tab=Monitoring")
    ui.see(f"{len(lines) - 1 + len(linked) - 1} rows from 2 import(s)")
    ui.charts()
    ui.assert_clean()
    ui.shot("monitoring-kpis")
    ui.scroll_to("Goal progress")
    ui.see("By campaign")
    ui.shot("monitoring-goals")
    ui.scroll_to("Social listening")
    ui.see("36 mentions from 1 import(s)")
    ui.charts()
    ui.shot("monitoring-listening")

    ui.tab("Learn", expect="What the measured posts teach")
    ui.see(f"{len(lines) - 1} measured posts")
    ui.assert_clean()
    ui.shot("learn-insights")

    ui.tab("Campaigns", expect="Review queue")
    ui.see("Launch fortnight")
    ui.assert_clean()
    ui.shot("campaigns-queue")

    ui.tab("Projects", expect="Every engagement at a glance")
    ui.see("Monitoring: not started")
    ui.assert_clean()
    ui.shot("projects")

    ui.subtab("PM view")
    ui.see("Timeline: phases and task due dates")
    ui.charts()
    ui.assert_clean()
    ui.shot("pm-view")
    ui.scroll_to("Team capacity")
    ui.shot("pm-capacity")

    ui.subtab("Dashboard")
    ui.see("CPL / CPA")
    ui.charts()
    ui.assert_clean()
    ui.shot("dashboard")

    ui.subtab("Engagement")
    ui.see("stage:")
    ui.assert_clean()
    ui.shot("engagement-overview")
