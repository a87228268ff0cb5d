"""Creatives generator: brand-kit suggestions, carousel and reel-cover templates, image prompts,
video scripts and thumbnail specs, one per pillar or platform of the approved strategy."""

from __future__ import annotations

from typing import ClassVar

from aicmo.domain.artifacts import Module
from aicmo.domain.channels import CHANNELS, VIDEO_FORMATS, channel
from aicmo.domain.plan import VIDEO_PLATFORMS, post_platforms
from aicmo.domain.quality import find_banned
from aicmo.domain.schemas.creatives import (
    BrandKit,
    CarouselTemplate,
    Creatives,
    ImagePrompt,
    ReelCover,
    ThumbnailSpec,
    VideoScript,
)
from aicmo.domain.schemas.intake import Platform
from aicmo.domain.schemas.strategy import ContentPillar
from aicmo.services.generators._copy import Draft, aud, ctas, fix_for
from aicmo.services.generators._facts import Facts, facts_for
from aicmo.services.generators._phrases import noun_phrase, whole_phrase
from aicmo.services.generators._pillars import Blueprint, pillar_blueprints
from aicmo.services.generators._posts import cta_line
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, numbered, table
from aicmo.services.generators._repair import ensure_brand, scrub_model, with_disclaimers, with_disclosure
from aicmo.services.generators._text import pick, short_phrase, strip_end
from aicmo.services.generators._upstream import strategy_of
from aicmo.services.generators._vocab import sector_for
from aicmo.services.generators.base import GenerationInputs

PALETTES = {
    "b2b": ["#1F3A5F", "#3FA7D6", "#F4F6F8", "#FFB000"],
    "ecommerce": ["#4B2E2A", "#C8A27A", "#F5EFE6", "#2F5D50"],
    "professional": ["#14213D", "#8C6D46", "#F7F5F0", "#2E6F6A"],
    "local": ["#2D4739", "#E07A5F", "#F4F1DE", "#3D405B"],
    "care": ["#0B6E77", "#8FD3C8", "#FFFFFF", "#F2A65A"],
    "general": ["#263238", "#00897B", "#FAFAFA", "#FFB74D"],
}
SIZES = {p: c.image_size or "1200x628" for p, c in CHANNELS.items()}
ASPECTS = {p: c.aspect or "1.91:1" for p, c in CHANNELS.items()}
VIDEO_SECONDS = {Platform.TIKTOK: 30, Platform.INSTAGRAM: 30, Platform.FACEBOOK: 45, Platform.YOUTUBE: 90}
NEGATIVE = "text, watermark, logos, distorted hands, stock-photo smiles, clutter"


def palette(f: Facts) -> list[str]:
    base = PALETTES.get(f.kind, PALETTES["general"])
    given = list(dict.fromkeys(c.upper() for c in f.intake.brand_colors))
    return (given + [c for c in base if c not in given])[: max(4, len(given))]


def typography(f: Facts) -> list[str]:
    if f.tone.formal:
        return ["Source Serif 4 for headlines", "Inter for body copy and captions"]
    if f.tone.playful:
        return ["Poppins SemiBold for headlines", "Inter for body copy and captions"]
    if f.tone.warm:
        return ["Fraunces for headlines", "Nunito Sans for body copy and captions"]
    return ["Inter SemiBold for headlines", "Inter for body copy and captions"]


def scene(f: Facts) -> str:
    """The client's own setting and people (sector vocabulary), with the offer and the audience."""
    sector = sector_for(f.industry, f.offer)
    city = f.locations[0] if f.locations else (f.geography.split(",")[0] if "," in f.geography else "")
    where = f" in {city}" if city else ""
    offer = whole_phrase(_offer_text(f), 10)
    if sector:
        return f"{sector.people}; {sector.setting}{where}; the offer in view: {f.lc(offer)}"
    return f"{aud(f)} with {f.short_brand}'s {f.lc(offer)}{where}, a real moment of use"


def _offer_text(f: Facts) -> str:
    label, colon, tail = f.offer.partition(": ")
    return tail if colon and len(label.split()) <= 3 else f.offer


SUBJECTS: dict[str, str] = {
    "product": "{item} up close, styled the way {audience} actually use it",
    "how_it_works": "{item_lc}, shown in action (hands and real equipment, not a diagram)",
    "behind_scenes": "behind the scenes: {item_lc}",
    "proof": "the moment behind '{item}', documentary style",
    "people": "the team behind '{item}'",
    "role": "a {item_lc} at work, mid-task, with a colleague",
    "evp": "what '{item_lc}' looks like on an ordinary day",
    "local": "a recognisable street corner in {item}, with the {brand} storefront or team",
    "outcome": "{audience} enjoying {item_noun}",
    "segment": "{item_lc}, in their everyday setting",
    "partner": "two teams around one table: {brand} and a partner",
    "price": "{offer} laid out clearly, nothing hidden",
}
PAIN_ANGLES = frozenset(
    {"pain_cost", "myth", "checklist", "poll", "pain_fix", "pov", "before_after", "question", "objection"}
)


def post_image_prompt(f: Facts, angle: str, item: str, platform: Platform, fmt: str) -> str:
    """An image prompt for one post: what this post is about, in the client's setting, at the
    platform's aspect ratio."""
    item = strip_end(item)
    values = {
        "item": item,
        "item_lc": f.lc(item),
        "item_noun": noun_phrase(
            f.lc(item)
        ),  # "enjoying investing with a plan", not "enjoying start investing"
        "audience": aud(f),
        "brand": f.short_brand,
        "offer": f.lc(whole_phrase(_offer_text(f), 10)),
    }
    answer = fix_for(f, item) if angle in PAIN_ANGLES else None
    if answer:
        subject = f"{f.lc(answer)}, shown in a real moment with {aud(f)}"
    elif angle in PAIN_ANGLES and item in {strip_end(p) for p in f.pains}:
        subject = f"{aud(f)} in a candid, everyday moment that shows '{f.lc(item)}'"
    elif angle in PAIN_ANGLES:
        subject = f"{aud(f)} with {f.short_brand}, a real moment of use"
    else:
        subject = SUBJECTS.get(angle, "{item_lc}, shown in a real moment").format(**values)
    aspect = ASPECTS.get(platform, "4:5")
    video = "Vertical video frame" if aspect in {"9:16", "4:5", "2:3"} else "Video frame"
    kind = video if fmt in VIDEO_FORMATS else "Photograph"
    return (
        f"{kind} for {f.brand} ({aspect}): {subject}. Setting: {scene(f)}. "
        f"Natural light, candid; leave the top third calm for a headline."
    )


def visual_style(f: Facts) -> str:
    styles = {
        "b2b": "Clean product-UI crops and real workplace moments; flat colour blocks from the palette; "
        "one idea per frame",
        "ecommerce": "Close, natural-light product photography in real homes; hands, textures and steam "
        "over studio gloss",
        "professional": "Calm editorial photography with generous white space; no gavels, scales or "
        "stock handshakes",
        "care": "Real staff in real settings (with consent), warm natural light and mixed teams; no "
        "posed hero shots",
        "local": "Recognisable local places and real customers; bright, friendly, unfussy",
        "general": "Real people and real settings, natural light, simple layouts",
    }
    mood = (
        "playful"
        if f.tone.playful
        else ("calm" if f.tone.formal else ("warm" if f.tone.warm else "confident"))
    )
    return (
        f"{styles.get(f.kind, styles['general'])}. Overall mood: {mood}, matching the tone "
        f"'{f.intake.tone_voice}'."
    )


def safe(f: Facts, text: str) -> str:
    """`text` when it holds none of the brief's banned words, else empty (never quote a banned word)."""
    return "" if find_banned(text, f.banned) else text


class CreativesGenerator(SectionedGenerator[Creatives]):
    module: ClassVar[Module] = Module.CREATIVES
    output_type: ClassVar[type[Creatives]] = Creatives

    def plan_offline(self, inputs: GenerationInputs) -> Creatives:
        f = facts_for(inputs.intake)
        strategy = strategy_of(inputs)
        pairs = pillar_blueprints(f, strategy)
        colours = palette(f)
        fonts = typography(f)
        creatives = Creatives(
            brand=f.brand,
            brand_kit=BrandKit(
                palette=colours,
                typography=fonts,
                visual_style=visual_style(f),
                logo_usage=_logo_usage(f),
                voice_summary=_voice_summary(f),
            ),
            carousels=[_carousel(f, p, b) for p, b in pairs],
            reel_covers=[_reel_cover(f, p, b, colours, fonts) for p, b in pairs],
            image_prompts=[_image_prompt(f, p, b, colours, n) for n, (p, b) in enumerate(pairs)],
            video_scripts=_video_scripts(f, pairs),
            thumbnails=[
                _thumbnail(f, platform, pairs[n % len(pairs)]) for n, platform in enumerate(f.platforms)
            ],
        )
        return self.repair(creatives, inputs)

    def repair(self, content: Creatives, inputs: GenerationInputs) -> Creatives:
        """Banned words, forbidden claims, the brand named; the required disclaimers on every
        carousel (its last slide) and every video script (its on-screen text)."""
        content = ensure_brand(scrub_model(content, inputs.intake), inputs.intake, "brand_kit.voice_summary")
        disclaimers = list(inputs.intake.required_disclaimers)
        if not disclaimers:
            return content
        carousels = [
            c.model_copy(update={"slides": [*c.slides[:-1], with_disclaimers(c.slides[-1], disclaimers)]})
            for c in content.carousels
        ]
        scripts = [
            v.model_copy(update={"on_screen_text": with_disclosure(v.on_screen_text, disclaimers)})
            for v in content.video_scripts
        ]
        return content.model_copy(update={"carousels": carousels, "video_scripts": scripts})

    def title(self, content: Creatives) -> str:
        return f"Creatives: {content.brand}"

    def sections(self, content: Creatives) -> list[Section]:
        c = content
        kit = c.brand_kit
        brand_kit = "\n\n".join(
            [
                "**Palette:** " + ", ".join(f"`{colour}`" for colour in kit.palette),
                "**Typography**\n\n" + bullets(kit.typography),
                f"**Visual style:** {kit.visual_style}",
                f"**Logo usage:** {kit.logo_usage}",
                f"**Voice:** {kit.voice_summary}",
            ]
        )
        carousels = "\n\n".join(
            f"### {t.title}\n\n_Pillar: {t.pillar}_\n\n{numbered(t.slides)}\n\n**CTA:** {t.cta}"
            for t in c.carousels
        )
        covers = table(
            ["Title", "Headline", "Layout"], [[r.title, r.headline, r.layout] for r in c.reel_covers]
        )
        prompts = "\n\n".join(
            f"### {p.pillar}\n\n{p.prompt}\n\n**Aspect ratio:** {p.aspect_ratio} · **Avoid:** "
            f"{p.negative_prompt}"
            for p in c.image_prompts
        )
        scripts = "\n\n".join(
            f"### {s.title} ({channel(s.platform).name}, {s.duration_s}s)\n\n**Hook:** "
            f"{s.hook}\n\n{numbered(s.beats)}\n\n**On screen:** {' / '.join(s.on_screen_text)}\n\n**CTA:** "
            f"{s.cta}"
            for s in c.video_scripts
        )
        thumbs = table(
            ["Name", "Platform", "Size (px)", "Headline", "Notes"],
            [[t.name, channel(t.platform).name, t.size_px, t.headline, t.notes] for t in c.thumbnails],
        )
        dump = c.model_dump(mode="json")
        return [
            Section("brand_kit", "Brand-kit suggestions", brand_kit, {"brand_kit": dump["brand_kit"]}),
            Section("carousels", "Carousel templates", carousels, {"carousels": dump["carousels"]}),
            Section("reel_covers", "Reel cover templates", covers, {"reel_covers": dump["reel_covers"]}),
            Section("image_prompts", "Image-pack prompts", prompts, {"image_prompts": dump["image_prompts"]}),
            Section(
                "video_scripts", "Video and reel scripts", scripts, {"video_scripts": dump["video_scripts"]}
            ),
            Section("thumbnails", "Thumbnails and banners", thumbs, {"thumbnails": dump["thumbnails"]}),
        ]


def _first_draft(f: Facts, blueprint: Blueprint, offset: int = 0) -> Draft:
    combo = blueprint.combos[offset % len(blueprint.combos)]
    return blueprint.draft(f, combo)


def _logo_usage(f: Facts) -> str:
    source = f"the files at {f.intake.brand_kit_url}" if f.intake.brand_kit_url else "the master logo files"
    return (
        f"Use the {f.brand} logo from {source}: on the light palette colour with clear space equal to the "
        "logo height, never over busy photography, at least 120 px wide on social and bottom-right on "
        "video end cards."
    )


def _voice_summary(f: Facts) -> str:
    parts = [f"{strip_end(f.intake.tone_voice)}."]
    if f.voice_lines:
        parts.append(f"Sounds like: “{strip_end(f.voice_lines[0])}.”")
    parts.append(
        "Plain words, short sentences, one idea per post; avoid every word on the brief's banned list."
    )
    constraints = safe(f, "; ".join(f.constraints))
    if constraints:
        parts.append(f"Compliance: {strip_end(constraints)}.")
    elif f.constraints:
        parts.append("Compliance: follow the regulatory constraints stated in the brief.")
    if f.disclaimers:
        parts.append("Every post carries the required disclaimer verbatim.")
    return " ".join(parts)


def _carousel(f: Facts, pillar: ContentPillar, blueprint: Blueprint) -> CarouselTemplate:
    draft = _first_draft(f, blueprint)
    cta = ctas(f)[0]
    slides = [
        f"Cover: {draft.hook}",
        *(p for p in draft.points),
        f"Close: {cta_line(f, cta, Platform.LINKEDIN)}",
    ]
    if len(slides) < 4:
        told = " ".join(slides).lower()
        fresh = [d for d in f.diffs if strip_end(d).lower() not in told]
        if fresh:
            slides.insert(-1, f"Why {f.short_brand}: {f.lc(strip_end(fresh[0]))}.")
    return CarouselTemplate(title=draft.title, pillar=pillar.name, slides=slides, cta=cta)


def _reel_cover(
    f: Facts, pillar: ContentPillar, blueprint: Blueprint, colours: list[str], fonts: list[str]
) -> ReelCover:
    draft = _first_draft(f, blueprint, 1)
    return ReelCover(
        title=pillar.name,
        headline=short_phrase(draft.title, 6),
        layout=(
            f"9:16; headline in {fonts[0].split(' for ')[0]} across the top third; a {colours[0]} band at "
            f"the bottom with the {f.short_brand} logo; subject photo behind a 30% {colours[0]} overlay."
        ),
    )


def _image_prompt(
    f: Facts, pillar: ContentPillar, blueprint: Blueprint, colours: list[str], n: int
) -> ImagePrompt:
    platforms = post_platforms(f.platforms) or [Platform.LINKEDIN]
    platform = platforms[n % len(platforms)]
    topic = _first_draft(f, blueprint).title
    return ImagePrompt(
        pillar=pillar.name,
        prompt=(
            f"Photograph for {f.brand}: {scene(f)}, illustrating "
            f"'{strip_end(topic).replace('“', '').replace('”', '')}'. Setting: {f.geography}. Colour "
            f"accents {', '.join(colours[:3])}. Natural light, candid, documentary style; space for a "
            "headline in the top third."
        ),
        aspect_ratio=ASPECTS[platform],
        negative_prompt=NEGATIVE,
    )


def _video_scripts(f: Facts, pairs: list[tuple[ContentPillar, Blueprint]]) -> list[VideoScript]:
    video = [p for p in f.platforms if p in VIDEO_PLATFORMS] or [
        p for p in f.platforms if p is Platform.LINKEDIN
    ]
    video = video or [Platform.YOUTUBE]
    scripts = []
    for n, (pillar, blueprint) in enumerate(pairs[:3]):
        platform = video[n % len(video)]
        draft = _first_draft(f, blueprint, 2)
        cta = pick(ctas(f), n)
        seconds = VIDEO_SECONDS.get(platform, 60)
        beats = [f"0-3s: {draft.hook}"]
        step = max(4, (seconds - 8) // max(1, len(draft.points)))
        at = 3
        for point in draft.points:
            beats.append(f"{at}-{at + step}s: {point}")
            at += step
        beats.append(f"{at}-{max(seconds, at + 4)}s: {cta}. Logo end card.")
        scripts.append(
            VideoScript(
                title=f"{draft.title} ({pillar.name.split(':')[0]})",
                platform=platform,
                duration_s=max(seconds, at + 4),
                hook=draft.hook,
                beats=beats,
                cta=cta,
                on_screen_text=[short_phrase(draft.title, 6), cta],
            )
        )
    return scripts


def _thumbnail(f: Facts, platform: Platform, pair: tuple[ContentPillar, Blueprint]) -> ThumbnailSpec:
    pillar, blueprint = pair
    draft = _first_draft(f, blueprint)
    kind = (
        "E-mail header"
        if platform is Platform.EMAIL
        else ("Cover" if platform in VIDEO_PLATFORMS else "Banner")
    )
    return ThumbnailSpec(
        name=f"{kind}: {short_phrase(pillar.name, 6)}",
        platform=platform,
        size_px=SIZES[platform],
        headline=short_phrase(draft.title, 6),
        notes=f"Headline at most 6 words; {f.short_brand} logo bottom-right; keep faces and text clear of "
        "the platform's crop areas.",
    )
