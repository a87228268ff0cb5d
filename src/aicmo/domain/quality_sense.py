"""Quality gates for sense, fit and coverage (SPEC §9, issue 15), whichever generator wrote the
content: form checks (`domain.quality`) passed schema-valid word salad and a one-post calendar.

- Prose: fields meant to be read as sentences are sentences (enough words, the small words that
  hold English together, not a field echoing its own name); word salad is an error naming the field.
- Fit: calls to action fit the business model's conversion path (`domain.playbooks`); forbidden
  claims of the brief's regulated sector and constraints never appear (`domain.compliance`); the
  required disclosure is on every asset (posts, carousels, video and reel scripts, e-mails).
- Coverage: every posting channel has posts in every two weeks of the window; the strategy's KPIs
  carry numeric targets and the brief's own targets are among them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from aicmo.domain.channels import channel
from aicmo.domain.compliance import rules_for
from aicmo.domain.modules import Module
from aicmo.domain.plan_steps import POST_BATCH_WEEKS, REVIEWABLE_POSTS, post_platforms
from aicmo.domain.playbooks import business_model, forbidden_ctas_in, playbook
from aicmo.domain.schemas.intake import Intake

Found = tuple[str, str, str]  # code, field, message (always an error)

# Words that hold English sentences together; real marketing prose runs at 30-50% of these.
_GLUE = frozenset(
    re.findall(
        r"[a-z]+",
        """a an the and or but so of to in on at for with from by as into about over than then that this
        these those it its is are was were be been being has have had do does can will would should could
        may might we our us you your they their them he she his her i my me not no who what when where
        which why how there here if because while after before more most all every each just only also
        very per via up out off under through within without until since around near across""",
    )
)
_MIN_GLUE = 0.08
_MIN_WORDS = 6


def _paths(pattern: str, data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    head, _, rest = pattern.partition(".")
    items: list[tuple[str, Any]]
    if head == "*":
        items = [(str(i), v) for i, v in enumerate(data)] if isinstance(data, list) else []
    else:
        items = [(head, data.get(head))] if isinstance(data, dict) and head in data else []
    for key, value in items:
        path = f"{prefix}.{key}" if prefix else key
        if rest:
            yield from _paths(rest, value, path)
        elif isinstance(value, str):
            yield path, value


def word_salad(text: str, field: str = "") -> str:
    """Why `text` is not prose (empty when it is): too thin, echoing its field name, or words
    without the small words that make sentences."""
    bare = re.sub(r"https?://\S+|www\.\S+|\S+@\S+|#\w+", " ", text)  # links and tags are not words
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", bare)
    name = field.rsplit(".", 1)[-1].replace("_", " ").lower()
    cleaned = " ".join(w.lower() for w in words)
    if name and cleaned in {name, name.rstrip("s"), f"{name} {name}"}:
        return f"it only repeats its own field name ({text.strip()!r})"
    if len(words) < _MIN_WORDS:
        return f"{len(words)} words is not a sentence a reader can use"
    glue = sum(1 for w in words if w.lower() in _GLUE) / len(words)
    if glue < _MIN_GLUE:
        return f"reads as a list of words, not sentences ({glue:.0%} connecting words, prose has 30-50%)"
    return ""


def prose_findings(prose_fields: tuple[str, ...], data: dict[str, Any]) -> list[Found]:
    """Word salad in the fields a content model marks as prose (its PROSE_FIELDS: dotted paths,
    '*' for any list index)."""
    found = []
    for pattern in prose_fields:
        for path, text in _paths(pattern, data):
            reason = word_salad(text, path)
            if reason:
                found.append(("incoherent", path, f"{path} is not prose: {reason}"))
    return found


def _assets(module: Module, data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(path, the asset's whole text, its call to action) for every asset a client publishes."""
    if module is Module.EXECUTION:
        for i, post in enumerate(data.get("posts") or []):
            yield f"posts.{i}", str(post.get("text", "")), str(post.get("cta", ""))
        for i, email in enumerate(data.get("email_sequence") or []):
            yield f"email_sequence.{i}", str(email.get("body", "")), str(email.get("cta", ""))
        for i, script in enumerate(data.get("reel_scripts") or []):
            yield f"reel_scripts.{i}", _joined(script), str(script.get("cta", ""))
    elif module is Module.CREATIVES:
        for i, carousel in enumerate(data.get("carousels") or []):
            yield f"carousels.{i}", _joined(carousel), str(carousel.get("cta", ""))
        for i, script in enumerate(data.get("video_scripts") or []):
            yield f"video_scripts.{i}", _joined(script), str(script.get("cta", ""))


def _joined(item: dict[str, Any]) -> str:
    parts: list[str] = []
    for value in item.values():
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts += [v for v in value if isinstance(v, str)]
    return "\n".join(parts)


def fit_findings(
    module: Module, data: dict[str, Any], strings: list[tuple[str, str]], intake: Intake
) -> list[Found]:
    """Forbidden claims anywhere; calls to action that do not fit; disclosures missing on assets."""
    rules = rules_for(intake)
    found: list[Found] = []
    for path, text in strings:
        for name, words in rules.violations(text):
            found.append(("forbidden_claim", path, f"forbidden claim ({name}): {words!r}"))
    model = business_model(intake)
    book = playbook(model)
    for path, text, cta in _assets(module, data):
        misfits = sorted({m.lower() for m in forbidden_ctas_in(f"{cta}\n{text}", model)})
        if misfits:
            found.append(
                (
                    "cta_misfit",
                    f"{path}.cta",
                    f"call to action {', '.join(repr(m) for m in misfits)} does not fit {book.who}, "
                    f"which converts on {book.conversion_action}",
                )
            )
        if module is not Module.EXECUTION or path.startswith("reel_scripts"):
            for disclosure in rules.disclosures:
                if disclosure not in text:
                    found.append(("disclaimer_missing", path, f"required disclaimer missing: {disclosure!r}"))
    return found


def coverage_span(weeks: int, channels: int) -> int:
    """Weeks in which each posting channel needs at least one post: two, or longer when the window
    and the channels would take more than a reviewable number of posts (REVIEWABLE_POSTS)."""
    return max(POST_BATCH_WEEKS, -(-weeks * channels // REVIEWABLE_POSTS) + 1)


def _spans(weeks: int, span: int) -> list[tuple[int, int]]:
    """Weeks 1..weeks in runs of `span` (1-based, inclusive); a short tail joins the run before."""
    spans = [(first, min(first + span - 1, weeks)) for first in range(1, weeks + 1, span)]
    if len(spans) > 1 and spans[-1][1] - spans[-1][0] + 1 < span:
        spans[-2:] = [(spans[-2][0], spans[-1][1])]
    return spans


def coverage_findings(
    data: dict[str, Any], intake: Intake, window_start: date, window_end: date
) -> list[Found]:
    """Every posting channel has posts in every span of the window (two weeks for most plans)."""
    weeks = max(1, ((window_end - window_start).days + 1 + 6) // 7)
    channels = [p for p in post_platforms(intake.platforms) if channel(p).posts]
    span = coverage_span(weeks, len(channels))
    spans = _spans(weeks, span)
    seen: dict[str, set[int]] = {}
    for post in data.get("posts") or []:
        try:
            day = datetime.fromisoformat(str(post.get("scheduled_at"))).date()
        except ValueError:
            continue
        seen.setdefault(str(post.get("platform")), set()).add((day - window_start).days // 7 + 1)
    found: list[Found] = []
    for platform in channels:
        have = seen.get(platform.value, set())
        own = channel(platform).max_messages
        # a capped channel (SMS): one message in every few weeks is enough
        wanted = _spans(weeks, max(span, -(-weeks // own) + 1)) if own and weeks > own else spans
        if not have:
            found.append(
                ("platform_missing", "posts", f"no posts for {platform.value} in a {weeks}-week window")
            )
            continue
        gaps = [(a, b) for a, b in wanted if not have & set(range(a, b + 1))]
        if gaps:
            said = ", ".join(f"week {a}" if a == b else f"weeks {a}-{b}" for a, b in gaps)
            found.append(("calendar_gap", "posts", f"no {platform.value} posts in {said} of the window"))
    return found


def kpi_findings(data: dict[str, Any], intake: Intake) -> list[Found]:
    measurement = data.get("measurement") or {}
    kpis = measurement.get("kpis") or []
    found: list[Found] = []
    for i, kpi in enumerate(kpis):
        if not re.search(r"\d", str(kpi.get("target", ""))):
            found.append(
                ("kpi_target_missing", f"measurement.kpis.{i}.target", "the KPI has no numeric target")
            )
    if re.search(r"\d", intake.kpi_targets) and not any(k.get("source") == "brief" for k in kpis):
        found.append(
            (
                "brief_targets_missing",
                "measurement.kpis",
                "none of the brief's own KPI targets is in the plan",
            )
        )
    return found
