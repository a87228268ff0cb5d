"""The learning loop end to end on real services (SPEC §7 Kaizen): measured posts are imported, a
clear winner changes the next calendar's mix, and the execution plan says why, citing the numbers."""

from __future__ import annotations

import re
from collections import Counter

from aicmo.bootstrap import App
from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.generation import GenerateRequest
from aicmo.domain.schemas.metrics import MetricImport
from aicmo.services import generation, learning, performance
from tests.integration.delivery.builders import OPERATOR, approved_delivery, load_brief


def _execution(app: App, engagement_id: str) -> dict:
    with app.uow() as uow:
        return uow.artifacts.by_engagement(engagement_id)[Module.EXECUTION.value].content


def test_a_clear_winner_changes_the_next_mix_and_the_plan_cites_the_numbers(app: App) -> None:
    delivered = approved_delivery(app, load_brief("coffee_ecommerce"), through=Module.EXECUTION)
    engagement_id = delivered.engagement_id
    before = _execution(app, engagement_id)
    pillars_before = Counter(p["pillar"] for p in before["posts"])
    winner = sorted(pillars_before)[0]
    lines = ["date,platform,post,impressions,engagements"]
    for post in before["posts"][:24]:
        rate = 0.09 if post["pillar"] == winner else 0.02
        lines.append(f"{post['scheduled_at'][:10]},{post['platform']},{post['id']},3000,{int(3000 * rate)}")
    with app.uow() as uow:
        imported = performance.import_metrics(
            uow, OPERATOR, MetricImport(engagement_id=engagement_id, csv="\n".join(lines), filename="m.csv")
        )

    with app.uow() as uow:
        report = learning.learning_report(uow, OPERATOR, engagement_id)
    assert report.measured_posts == 24 and report.prior_source == "default"
    pillar = next(c for c in report.comparisons if c.dimension == "pillar")
    assert pillar.best == winner and pillar.confident and pillar.low > 1.0
    assert pillar.low < pillar.ratio < pillar.high and 3.0 < pillar.ratio < 6.0  # 9 % against 2 %
    assert sorted(r for p in report.posts for r in p.source_rows) == list(range(2, 26))  # the CSV's lines
    assert {i for p in report.posts for i in p.source_imports} == {imported.id}
    assert report.no_data["slot"] and "No data yet (not zero)" in report.note  # untried times: no data
    assert not any(e.option in report.no_data.get(e.dimension, []) for e in report.estimates)
    winner_estimate = next(e for e in report.estimates if e.dimension == "pillar" and e.option == winner)
    assert winner_estimate.posts == len(winner_estimate.posts_measured) > 0

    with app.uow() as uow:
        outcome = generation.generate(
            uow, app.provider, OPERATOR, Module.EXECUTION, GenerateRequest(engagement_id=engagement_id)
        )
    assert outcome.artifact is not None
    after = outcome.artifact.content
    pillars_after = Counter(p["pillar"] for p in after["posts"])
    assert pillars_after[winner] > pillars_before[winner]
    assert pillars_after[winner] >= 0.6 * len(after["posts"])

    # the artifact says why, citing the numbers: "N more '<winner>' posts (pillar): pillar '<winner>'
    # out-performed '<other>' R×, 95 % interval L–H, n=K."
    explanation = next(n for n in after["notes"] if f"more '{winner}' posts (pillar)" in n)
    cited = re.search(
        r"^(\d+) more .* out-performed '(.+)' ([\d.]+)×, 95 % interval ([\d.]+)–([\d.]+), n=(\d+)\.$",
        explanation,
    )
    assert cited is not None, explanation
    more, other, ratio, low, high, n = cited.groups()
    assert int(more) == pillars_after[winner] - pillars_before[winner]
    measured = Counter(p["pillar"] for p in before["posts"][:24])
    assert int(n) == measured[winner] + measured[other]  # the posts behind the comparison
    assert float(low) > 1.0 and float(low) <= float(ratio) <= float(high) and float(ratio) >= 3.0
    assert "low confidence" not in explanation

    # at least 10 % of the posts still explore, and the plan says so
    exploring = next(n for n in after["notes"] if " posts (" in n and "explore" in n)
    counted = re.match(r"(\d+) of (\d+) posts", exploring)
    assert counted is not None and int(counted.group(1)) >= 0.1 * int(counted.group(2))


def test_the_learn_module_reports_measured_insights_and_decisions(app: App) -> None:
    delivered = approved_delivery(app, load_brief("saas_hr_leads"), through=Module.EXECUTION)
    engagement_id = delivered.engagement_id
    posts = _execution(app, engagement_id)["posts"]
    best_format = posts[0]["format"]
    lines = ["date,platform,post,impressions,engagements"]
    for post in posts[:20]:
        rate = 0.08 if post["format"] == best_format else 0.02
        lines.append(f"{post['scheduled_at'][:10]},{post['platform']},{post['id']},2500,{int(2500 * rate)}")
    with app.uow() as uow:
        performance.import_metrics(
            uow, OPERATOR, MetricImport(engagement_id=engagement_id, csv="\n".join(lines))
        )
    with app.uow() as uow:
        outcome = generation.generate(
            uow, app.provider, OPERATOR, Module.LEARN, GenerateRequest(engagement_id=engagement_id)
        )
    assert outcome.artifact is not None
    content = outcome.artifact.content
    assert content["status"] == "insights" and "20 measured post(s)" in content["status_note"]
    fmt = next(i for i in content["insights"] if i["dimension"] == "format")
    assert fmt["title"] == f"Best format: {best_format}" and "95 % interval" in fmt["evidence"]
    assert content["events_seen"] > 20  # the approvals of the brief and the modules are learning events too
