"""The learning loop's rules, no database: pooled estimates with intervals, comparisons that say when
they are noise, at least 10 % of posts exploring (one dimension at a time), and an even layout."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from aicmo.domain.learning import (
    DEFAULT_PRIOR,
    LearnedMix,
    Observation,
    choices,
    exploring_positions,
    insights_record,
    learn,
    pooled_prior,
    spread,
)


def obs(pillar: str, fmt: str, impressions: int, engagements: int, n: int = 1) -> list[Observation]:
    return [
        Observation(f"{pillar}-{fmt}-{i}", pillar, fmt, "instagram", "Tue 18:00", impressions, engagements)
        for i in range(n)
    ]


def test_thin_data_stays_near_the_prior_and_more_data_moves_it() -> None:
    thin = learn(obs("A", "image", 100, 10), prior_mean=0.02).by_dimension["pillar"]["A"]
    thick = learn(obs("A", "image", 400, 40, n=250), prior_mean=0.02).by_dimension["pillar"]["A"]
    assert 0.02 < thin.mean < 0.03  # 10 % on 100 impressions barely moves a 2 % prior worth 2,000
    assert abs(thick.mean - 0.1) < 0.005
    one_big_post = learn(obs("A", "image", 100_000, 10_000), prior_mean=0.02).by_dimension["pillar"]["A"]
    assert one_big_post.mean < 0.04  # one post is one post, however many saw it
    assert thin.high - thin.low > thick.high - thick.low
    assert thin.raw_rate == 0.1


def test_a_clear_winner_is_confident_and_noise_is_said_to_be_noise() -> None:
    clear = learn(obs("A", "image", 3000, 270, 10) + obs("B", "image", 3000, 60, 10), 0.02)
    comparison = clear.comparisons["pillar"]
    assert comparison.best.option == "A" and comparison.confident and 3.0 < comparison.ratio < 5.0
    assert "95 % interval" in comparison.sentence() and "n=20" in comparison.sentence()
    noise = learn(obs("A", "image", 500, 11, 2) + obs("B", "image", 500, 10, 2), 0.02).comparisons["pillar"]
    assert not noise.confident and "low confidence" in noise.sentence()


def test_the_prior_comes_from_the_nearest_level_with_data() -> None:
    assert pooled_prior([("client", []), ("agency", obs("A", "x", 1000, 30))]) == (0.03, "agency")
    assert pooled_prior([("client", obs("A", "x", 1000, 50)), ("agency", obs("A", "x", 1000, 30))]) == (
        0.05,
        "client",
    )
    assert pooled_prior([("client", []), ("agency", [])]) == (DEFAULT_PRIOR, "default")


@settings(deadline=None, max_examples=60)
@given(st.integers(min_value=1, max_value=400))
def test_at_least_ten_percent_of_posts_explore_evenly(posts: int) -> None:
    positions = exploring_positions(posts)
    assert len(positions) >= 0.1 * posts and len(set(positions)) == len(positions)
    assert all(0 <= p < posts for p in positions)


def test_a_winner_takes_the_followed_posts_and_each_dimension_explores_on_its_own_posts() -> None:
    known = learn(obs("A", "carousel", 3000, 270, 10) + obs("B", "image", 3000, 60, 10), 0.02).by_dimension
    pillars = choices(["A", "B", "C"], known["pillar"], 40, lane=0, lanes=2)
    formats = choices(["carousel", "image"], known["format"], 40, lane=1, lanes=2)
    explored = [i for i in range(40) if pillars[i] != "A" or formats[i] != "carousel"]
    assert len(explored) == len(exploring_positions(40))  # exploring posts change one thing each
    assert not any(pillars[i] != "A" and formats[i] != "carousel" for i in range(40))
    assert Counter(pillars)["C"] >= 1  # never measured: it is tried


def test_spread_interleaves_and_keeps_counts() -> None:
    laid = spread({"A": 4, "B": 8})
    assert Counter(laid) == {"A": 4, "B": 8}
    assert all(laid[i : i + 3].count("A") == 1 for i in range(0, 12, 3))


def test_the_record_round_trips_into_the_mix_a_generator_uses() -> None:
    insights = learn(obs("A", "carousel", 3000, 270, 10) + obs("B", "image", 3000, 60, 10), 0.02)
    mixed = LearnedMix.from_record(insights_record(insights))
    assert mixed is not None and mixed.seen == 20
    assert Counter(mixed.pick("pillar", ["A", "B"], 20))["A"] >= 16
    lines = mixed.explain("pillar", {"A": 10, "B": 10}, {"A": 17, "B": 3})
    assert lines[0].startswith("7 more 'A' posts (pillar): pillar 'A' out-performed 'B'")
    assert LearnedMix.from_record({"seen": 0}) is None and LearnedMix.from_record(None) is None


def test_what_an_amendment_took_out_and_the_phrases_kept_out() -> None:
    from aicmo.domain.learning import amended_away, avoid_list, removed_phrases

    before = "Start your day right. Elevate your morning ritual with our single-origin beans today."
    after = "Start your day right. Try our single-origin beans today."
    assert removed_phrases(before, after) == ["elevate your morning ritual with"]
    assert removed_phrases("A whole post " * 5, "Something else entirely") == []  # a rewrite, not a phrase
    changed, phrases = amended_away(
        {"posts": [{"text": before, "id": "x"}]}, {"posts": [{"text": after, "id": "x"}]}
    )
    assert changed == ["posts.0.text"] and phrases == ["elevate your morning ritual with"]
    found = avoid_list([(1, ["elevate your"]), (2, ["elevate your", "beans"]), (3, ["beans"]), (4, ["once"])])
    assert [(a.phrase, a.times, a.events) for a in found] == [
        ("beans", 2, (2, 3)),
        ("elevate your", 2, (1, 2)),
    ]
    assert "amended it away 2 times (learning events #2, #3)" in found[0].sentence()
