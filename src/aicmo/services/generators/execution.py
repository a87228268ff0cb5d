"""Execution generator: the content calendar, ready-to-post copy per platform, reel scripts,
hashtag sets and the e-mail sequence, all inside the engagement window and the client's time zone."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import ClassVar

from aicmo.domain.artifacts import Module
from aicmo.domain.channels import VIDEO_FORMATS, channel
from aicmo.domain.learning import LearnedMix
from aicmo.domain.plan import VIDEO_PLATFORMS, post_platforms
from aicmo.domain.playbooks import business_model
from aicmo.domain.quality import comparable, is_near_duplicate, near_duplicate_pairs
from aicmo.domain.schemas.execution import CalendarEntry, Execution, HashtagSet, Post, ReelScript
from aicmo.domain.schemas.intake import Platform
from aicmo.domain.schemas.strategy import Strategy
from aicmo.services.generators._calendar import MAX_POSTS, engagement_window, move_into_window, slots
from aicmo.services.generators._copy import Draft
from aicmo.services.generators._emails import email_sequence
from aicmo.services.generators._facts import Facts, facts_for
from aicmo.services.generators._observances import observance_notes, observances
from aicmo.services.generators._posts import HASHTAG_COUNTS, hashtags_for, pillar_tags
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, numbered, quote, table
from aicmo.services.generators._repair import (
    cap_hashtags,
    overflow,
    scrub_model,
    shorten,
    with_disclaimers,
    with_disclosure,
)
from aicmo.services.generators._text import human_list, short_phrase
from aicmo.services.generators._upstream import creatives_of, strategy_of, with_upstream
from aicmo.services.generators._writer import MAX_REWORDS, PostWriter, Written, pillar_items
from aicmo.services.generators.base import GenerationInputs

MAX_REEL_SCRIPTS = 12
REEL_SECONDS = {Platform.TIKTOK: 30, Platform.INSTAGRAM: 30, Platform.FACEBOOK: 45, Platform.YOUTUBE: 60}


def label(platform: Platform) -> str:
    """The platform as people write it ("LinkedIn", "Google Business Profile")."""
    return channel(platform).name


def cadence_from(strategy: Strategy, platforms: list[Platform]) -> dict[Platform, int]:
    plans = {p.platform: p.posts_per_week for p in strategy.platforms}
    return {p: max(1, min(plans.get(p, 1), 3)) for p in platforms}


class ExecutionGenerator(SectionedGenerator[Execution]):
    module: ClassVar[Module] = Module.EXECUTION
    output_type: ClassVar[type[Execution]] = Execution

    def plan_offline(self, inputs: GenerationInputs) -> Execution:
        f = facts_for(inputs.intake)
        strategy = strategy_of(inputs)
        creatives = creatives_of(with_upstream(inputs, Module.STRATEGY, strategy))
        start, end = engagement_window(inputs)
        posting = post_platforms(f.platforms)
        cadence = cadence_from(strategy, posting)
        planned = slots(cadence, start, end, f.timezone)
        writer = PostWriter(
            f,
            strategy,
            creatives,
            LearnedMix.from_record(inputs.extra.get("learned")),
            avoid=inputs.extra.get("avoid"),
        )
        written = writer.write(planned, (start, end))
        posts = [w.post for w in written]
        execution = Execution(
            brand=f.brand,
            timezone=f.timezone,
            window_start=start.isoformat(),
            window_end=end.isoformat(),
            calendar=[_entry(w) for w in written],
            posts=posts,
            hashtag_sets=_hashtag_sets(f, writer),
            email_sequence=email_sequence(f, writer.pairs) if Platform.EMAIL in f.platforms else [],
            reel_scripts=_reel_scripts(written),
            notes=[*_notes(f, start, end, cadence, posts), *writer.learning_notes],
        )
        return self.repair(execution, inputs)

    # ---- repair --------------------------------------------------------------------------------------
    def repair(self, content: Execution, inputs: GenerationInputs) -> Execution:
        """Fix what the gates flag: banned words, hashtags, disclaimers, length, dates, duplicates."""
        f = facts_for(inputs.intake)
        start, end = engagement_window(inputs)
        content = scrub_model(content, inputs.intake)
        posts = [_repair_post(f, post, start, end) for post in _unique_ids(content.posts)]
        posts = _dedupe(f, inputs, posts)
        by_id = {p.id: p for p in posts}
        calendar = [
            entry.model_copy(update={"date": by_id[entry.post_id].scheduled_at.date().isoformat()})
            for entry in content.calendar
            if entry.post_id in by_id
        ]
        listed = {entry.post_id for entry in calendar}
        calendar += [
            CalendarEntry(
                date=p.scheduled_at.date().isoformat(),
                platform=p.platform,
                pillar=p.pillar,
                format=p.format,
                post_id=p.id,
                title=short_phrase(p.text.split("\n", 1)[0], 10),
            )
            for p in posts
            if p.id not in listed
        ]
        emails = [
            e.model_copy(update={"body": with_disclaimers(e.body, f.disclaimers)})
            for e in content.email_sequence
        ]
        reel_scripts = [
            r.model_copy(update={"on_screen_text": with_disclosure(r.on_screen_text, f.disclaimers)})
            for r in content.reel_scripts
        ]
        notes = list(content.notes)
        if not any(f.brand.lower() in n.lower() for n in notes):
            notes.insert(0, f"Content plan for {f.brand}.")
        return content.model_copy(
            update={
                "posts": posts,
                "calendar": sorted(calendar, key=lambda e: (e.date, e.platform.value, e.post_id)),
                "email_sequence": emails,
                "reel_scripts": reel_scripts,
                "window_start": start.isoformat(),
                "window_end": end.isoformat(),
                "notes": notes,
            }
        )

    # ---- rendering ------------------------------------------------------------------------------------
    def title(self, content: Execution) -> str:
        return f"Execution: {content.brand}"

    def sections(self, content: Execution) -> list[Section]:
        c = content
        overview = "\n\n".join(
            [
                f"Window: {c.window_start} to {c.window_end} ({c.timezone}). {len(c.posts)} posts across "
                f"{human_list(sorted({label(p.platform) for p in c.posts}))}.",
                bullets(c.notes),
            ]
        )
        calendar = table(
            ["Date", "Platform", "Pillar", "Format", "Post", "Title"],
            [[e.date, label(e.platform), e.pillar, e.format, e.post_id, e.title] for e in c.calendar],
        )
        posts = "\n\n".join(_post_markdown(p) for p in c.posts)
        dump = c.model_dump(mode="json")
        sections = [
            Section(
                "overview", "Overview", overview, {"window": [c.window_start, c.window_end], "notes": c.notes}
            ),
            Section("calendar", "Content calendar", calendar, {"calendar": dump["calendar"]}),
            Section("posts", "Posts", posts, {"posts": dump["posts"]}),
        ]
        if c.reel_scripts:
            scripts = "\n\n".join(
                f"### {s.title} ({label(s.platform)}, {s.duration_s}s, post {s.post_id})\n\n**Hook:** "
                f"{s.hook}\n\n{numbered(s.beats)}\n\n**On screen:** "
                f"{' / '.join(s.on_screen_text)}\n\n**CTA:** {s.cta}"
                for s in c.reel_scripts
            )
            sections.append(
                Section("reel_scripts", "Reel scripts", scripts, {"reel_scripts": dump["reel_scripts"]})
            )
        if c.hashtag_sets:
            tags = table(
                ["Set", "Platform", "Hashtags"],
                [
                    [h.name, label(h.platform) if h.platform else "any", " ".join(h.hashtags)]
                    for h in c.hashtag_sets
                ],
            )
            sections.append(
                Section("hashtag_sets", "Hashtag sets", tags, {"hashtag_sets": dump["hashtag_sets"]})
            )
        if c.email_sequence:
            emails = "\n\n".join(
                f"### Day {e.day}: {e.subject}\n\n_Preview: {e.preview}_\n\n{quote(e.body)}\n\n**CTA:** "
                f"{e.cta}"
                for e in c.email_sequence
            )
            sections.append(
                Section(
                    "email_sequence", "E-mail sequence", emails, {"email_sequence": dump["email_sequence"]}
                )
            )
        return sections


# ---- building blocks ------------------------------------------------------------------------------
def _entry(w: Written) -> CalendarEntry:
    post = w.post
    return CalendarEntry(
        date=post.scheduled_at.date().isoformat(),
        platform=post.platform,
        pillar=post.pillar,
        format=post.format,
        post_id=post.id,
        title=w.draft.title,
    )


def _hashtag_sets(f: Facts, writer: PostWriter) -> list[HashtagSet]:
    sets = []
    for platform in post_platforms(f.platforms):
        count = HASHTAG_COUNTS[platform]
        if count:
            tags = hashtags_for(platform, writer.pool, [], 0)
            if tags:
                sets.append(HashtagSet(name=f"{label(platform)} core", platform=platform, hashtags=tags))
    for pillar, blueprint in writer.pairs:
        tags = list(
            dict.fromkeys([*writer.pool[:1], *pillar_tags(pillar_items(blueprint), f), *writer.pool[1:3]])
        )[:8]
        if tags:
            sets.append(HashtagSet(name=f"Pillar: {pillar.name}", hashtags=tags))
    return sets


def _reel_scripts(written: list[Written]) -> list[ReelScript]:
    scripts = []
    for w in written:
        post = w.post
        if post.platform not in VIDEO_PLATFORMS or post.format not in VIDEO_FORMATS:
            continue
        seconds = 90 if post.format == "Explainer video" else REEL_SECONDS.get(post.platform, 30)
        points = list(w.draft.points) or [w.draft.hook]
        step = max(3, (seconds - 6) // len(points))
        beats = [f"0-3s: {w.draft.hook}"]
        at = 3
        for point in points:
            beats.append(f"{at}-{min(at + step, seconds - 3)}s: {point}")
            at = min(at + step, seconds - 3)
        beats.append(f"{at}-{seconds}s: {post.cta}; logo end card.")
        scripts.append(
            ReelScript(
                post_id=post.id,
                platform=post.platform,
                title=w.draft.title,
                duration_s=seconds,
                hook=w.draft.hook,
                beats=beats,
                on_screen_text=[short_phrase(w.draft.title, 6), post.cta],
                cta=post.cta,
            )
        )
        if len(scripts) == MAX_REEL_SCRIPTS:
            break
    return scripts


def _notes(f: Facts, start: date, end: date, cadence: dict[Platform, int], posts: list[Post]) -> list[str]:
    counts = {p: sum(1 for post in posts if post.platform is p) for p in cadence}
    weeks = max(1, -(-((end - start).days + 1) // 7))
    notes = [
        f"Content plan for {f.brand}: {len(posts)} posts from {start.isoformat()} to {end.isoformat()}, "
        f"scheduled in {f.timezone} at local posting times.",
        "Cadence from the strategy's platform plan: "
        + ", ".join(f"{label(p)} {n}/week ({counts[p]} posts)" for p, n in cadence.items())
        + ".",
    ]
    if sum(cadence.values()) * weeks > MAX_POSTS:
        notes.append(
            f"The calendar is spaced out to stay within {MAX_POSTS} posts while covering every week."
        )
    if f.disclaimers:
        notes.append("Every post and e-mail carries the required disclaimer verbatim.")
    if Platform.EMAIL in f.platforms and post_platforms(f.platforms) != [Platform.EMAIL]:
        notes.append(
            "The e-mail sequence is triggered (day 0 = sign-up or enquiry), so it is not in the calendar."
        )
    if f.intake.no_website and not f.intake.website:
        notes.append(
            "No website: links go to the profile, the Google Maps listing, a delivery app or a link-in-bio "
            "page."
        )
    dates = observances(f.geography, f.timezone, start, end, business_model(f.intake))
    notes += observance_notes(dates, start)
    return notes


def _post_markdown(post: Post) -> str:
    when = post.scheduled_at.isoformat()
    tags = f"\n\n**Hashtags:** {' '.join(post.hashtags)}" if post.hashtags else ""
    return (
        f"### {post.id} · {label(post.platform)} · {when}\n\n_Pillar: {post.pillar} · Format: {post.format} "
        f"· CTA: {post.cta}_\n\n{quote(post.text)}{tags}\n\n**Image prompt:** {post.image_prompt}"
    )


def _unique_ids(posts: list[Post]) -> list[Post]:
    """Posts with distinct ids (a repeated id gets a numeric suffix), so the calendar can point at each."""
    seen: Counter[str] = Counter()
    unique = []
    for post in posts:
        seen[post.id] += 1
        unique.append(
            post if seen[post.id] == 1 else post.model_copy(update={"id": f"{post.id}-{seen[post.id]}"})
        )
    return unique


def _repair_post(f: Facts, post: Post, start: date, end: date) -> Post:
    platform = post.platform
    tags = cap_hashtags(platform, post.hashtags)
    text = with_disclaimers(post.text, f.disclaimers) if post.text.strip() else ""
    if overflow(platform, text, tags) > 0:  # counted the platform's way (X weighs links, emoji, CJK)
        text, tags = shorten(platform, text, tags, post.cta, f.disclaimers)
    when = move_into_window(post.scheduled_at, start, end, f.timezone)
    return post.model_copy(update={"text": text, "hashtags": tags, "scheduled_at": when})


def _dedupe(f: Facts, inputs: GenerationInputs, posts: list[Post]) -> list[Post]:
    """Reword posts that are empty or near-duplicates of an earlier post, with a different angle."""
    texts = [p.text for p in posts]
    to_fix = {j for _, j in near_duplicate_pairs(texts, f.disclaimers)} | {
        n
        for n, p in enumerate(posts)
        if not p.text.replace("\n", "").strip(" ") or p.text.strip() in f.disclaimers
    }
    if not to_fix:
        return posts
    strategy = strategy_of(inputs)
    writer = PostWriter(f, strategy)
    for _ in range(4):
        for j in sorted(to_fix):
            post = posts[j]
            item = Written(
                post,
                Draft("existing", post.pillar, post.text.split("\n", 1)[0], ()),
                writer.pillar_index(post.pillar),
            )
            new = writer.reword(item, attempt=j + 1).post
            posts[j] = post.model_copy(update={"text": new.text, "hashtags": new.hashtags, "cta": new.cta})
        to_fix = {j for _, j in near_duplicate_pairs([p.text for p in posts], f.disclaimers)}
        if not to_fix:
            return posts
    # Still duplicated after rewording: drop those posts (the earlier twin stays); keep at least one.
    kept = [p for n, p in enumerate(posts) if n not in to_fix]
    return kept or posts[:1]


def campaign_posts(
    inputs: GenerationInputs, cadence: dict[Platform, int], start: date, end: date
) -> list[Post]:
    """Posts for a campaign (SPEC §6): the same writer, pillars, learned mix and repairs as the execution
    plan, for the campaign's platforms, cadence and dates."""
    f, writer = _campaign_writer(inputs)
    posts = [w.post for w in writer.write(slots(cadence, start, end, f.timezone), (start, end))]
    return [_repair_post(f, post, start, end) for post in posts]


def _campaign_writer(inputs: GenerationInputs) -> tuple[Facts, PostWriter]:
    f = facts_for(inputs.intake)
    strategy = strategy_of(inputs)
    creatives = creatives_of(with_upstream(inputs, Module.STRATEGY, strategy))
    writer = PostWriter(
        f,
        strategy,
        creatives,
        LearnedMix.from_record(inputs.extra.get("learned")),
        avoid=inputs.extra.get("avoid"),
    )
    return f, writer


def campaign_post_again(
    inputs: GenerationInputs,
    cadence: dict[Platform, int],
    start: date,
    end: date,
    rejected: Post,
    others: list[str],
    round_no: int = 1,
) -> Post | None:
    """A new version of one campaign post (a rejected item) by the same writer, for the same slot:
    a fresh angle (the next pillar when its own is used up), unlike the rejected text and the
    campaign's other posts, repaired like every post. `round_no` counts regenerations of this item,
    so each one is different. None when every attempt stays a near-duplicate."""
    f, writer = _campaign_writer(inputs)
    written = writer.write(slots(cadence, start, end, f.timezone), (start, end))  # as first run
    same_slot = [
        w
        for w in written
        if w.post.platform == rejected.platform and w.post.scheduled_at == rejected.scheduled_at
    ]
    if not same_slot:
        return None
    base = same_slot[0]
    base = Written(
        base.post.model_copy(update={"text": rejected.text}), base.draft, writer.pillar_index(rejected.pillar)
    )
    taken = [comparable(t, f.disclaimers) for t in [rejected.text, *others]]
    for attempt in range(round_no, round_no + 3 * MAX_REWORDS):
        post = _repair_post(f, writer.reword(base, attempt).post, start, end)
        mine = comparable(post.text, f.disclaimers)
        if not any(is_near_duplicate(t, mine) for t in taken):
            return post
    return None
