"""Learning events per client (SPEC §7 Kaizen) on real services: generation, approval, rejection with
its reason, amendment with what changed, publication and measured outcome are all queryable; a phrase
operators keep amending away is avoided by the next generation, which says why."""

from __future__ import annotations

import re
from collections import Counter

from aicmo.bootstrap import App
from aicmo.domain.artifacts import Action, Module
from aicmo.domain.schemas.generation import GenerateRequest
from aicmo.domain.schemas.metrics import MetricImport
from aicmo.domain.schemas.resources import ArtifactAmend
from aicmo.services import artifacts, generation, learning, performance
from tests.integration.delivery.builders import OPERATOR, approved_delivery, load_brief


def _common_phrase(posts: list[dict], keep: list[str]) -> str:
    """A three-word phrase the generator wrote in several posts' own words (not a CTA, the brand's name
    or a required disclaimer, which are not the writer's to drop)."""
    fixed = " ".join([*(p["cta"] for p in posts), *keep]).lower()
    grams: Counter[str] = Counter()
    for post in posts:
        words = re.findall(r"[a-z]+", post["text"].lower())
        grams.update({" ".join(words[i : i + 3]) for i in range(len(words) - 2)})
    ranked = sorted(grams.items(), key=lambda kv: (-kv[1], kv[0]))
    return next(g for g, n in ranked if n >= 3 and not any(w in fixed for w in g.split()))


def test_events_are_queryable_per_client_and_amended_phrases_are_avoided(app: App) -> None:
    delivered = approved_delivery(app, load_brief("coffee_ecommerce"), through=Module.EXECUTION)
    execution_id = delivered.artifact_ids["execution"]
    with app.uow() as uow:
        row = uow.artifacts.get(execution_id)
        posts, version, brand = list(row.content["posts"]), row.version, row.content["brand"]
    phrase = _common_phrase(posts, [brand, *delivered.brief.get("required_disclaimers", [])])
    having = [n for n, p in enumerate(posts) if phrase in re.sub(r"[^a-z]+", " ", p["text"].lower())]
    for n in having[:2]:  # two amendments, each taking the phrase out of one post
        post = posts[n]
        pattern = re.compile(r"\W+".join(map(re.escape, phrase.split())), re.IGNORECASE)
        posts[n] = post | {"text": pattern.sub("", post["text"], count=1)}
        with app.uow() as uow:
            amended = artifacts.amend_artifact(
                uow, OPERATOR, execution_id, ArtifactAmend(expected_version=version, content={"posts": posts})
            )
        version = amended.version
    with app.uow() as uow:
        artifacts.decide(uow, OPERATOR, execution_id, Action.REJECT, comment="too many discount posts")
        learning.record_event(
            uow,
            OPERATOR,
            "publication",
            client_id=delivered.client_id,
            engagement_id=delivered.engagement_id,
            subject=f"post {posts[0]['id']}",
            data={"platform": posts[0]["platform"], "url": "https://instagram.com/p/abc"},
        )
        uow.commit()
    lines = ["date,platform,post,impressions,engagements"]
    lines += [f"{p['scheduled_at'][:10]},{p['platform']},{p['id']},2000,60" for p in posts[:6]]
    with app.uow() as uow:
        performance.import_metrics(
            uow, OPERATOR, MetricImport(engagement_id=delivered.engagement_id, csv="\n".join(lines))
        )

    with app.uow() as uow:
        report = learning.learning_events(uow, OPERATOR, delivered.client_id)
    counts = report.counts
    assert counts["generation"] >= 3 and counts["approval"] >= 3  # the brief and each module
    assert counts["amendment"] == 2 and counts["rejection"] == 1
    assert counts["publication"] == 1 and counts["outcome"] == 1
    kinds = {e.kind: e for e in report.events}  # newest first: the last of each kind
    assert (
        kinds["rejection"].reason == "too many discount posts" and kinds["rejection"].subject == "execution"
    )
    amendment = kinds["amendment"]
    assert amendment.changed and all(c.startswith("posts.") for c in amendment.changed)
    assert phrase in amendment.removed_phrases
    assert kinds["publication"].data["url"] == "https://instagram.com/p/abc"
    assert kinds["outcome"].data["rows"] == 6
    avoided = next(a for a in report.avoid if a.phrase == phrase)
    assert avoided.times == 2 and "amended it away 2 times" in avoided.sentence

    with app.uow() as uow:
        only = learning.learning_events(uow, OPERATOR, delivered.client_id, kind="rejection")
    assert only.count == 1 and only.events[0].kind == "rejection"

    with app.uow() as uow:
        outcome = generation.generate(
            uow,
            app.provider,
            OPERATOR,
            Module.EXECUTION,
            GenerateRequest(engagement_id=delivered.engagement_id),
        )
    assert outcome.artifact is not None
    after = outcome.artifact.content
    assert not [p["id"] for p in after["posts"] if phrase in re.sub(r"[^a-z]+", " ", p["text"].lower())]
    assert any(f"'{phrase}' avoided: operators amended it away 2 times" in n for n in after["notes"])
