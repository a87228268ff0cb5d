"""The e-mail sequence: a welcome, three pillar e-mails and a closing call to action.

Sends are triggered (day 0 = sign-up or enquiry), not calendar-scheduled, so they sit outside the
content calendar. No merge tags: the copy reads well with a plain greeting.
"""

from __future__ import annotations

from aicmo.domain.playbooks import BusinessModel
from aicmo.domain.schemas.execution import Email
from aicmo.domain.schemas.intake import Objective, Platform
from aicmo.domain.schemas.strategy import ContentPillar
from aicmo.services.generators._copy import aud, ctas, model_of, quoted
from aicmo.services.generators._facts import Facts
from aicmo.services.generators._phrases import noun_phrase, second_person
from aicmo.services.generators._pillars import Blueprint
from aicmo.services.generators._posts import cta_line
from aicmo.services.generators._text import human_list, pick, short_phrase, strip_end

DAYS = (0, 2, 5, 9, 14)
WELCOME_SUBJECT = {
    Objective.LEADS: "Your next step with {brand}",
    Objective.SALES: "Welcome to {brand}",
    Objective.HIRING: "Thanks for your interest in {brand}",
    Objective.AWARENESS: "Welcome to {brand}",
    Objective.PARTNERSHIPS: "Partnering with {brand}",
    Objective.RETENTION: "Getting the most from {brand}",
}
CLOSE_SUBJECT = {
    Objective.LEADS: "Ready when you are",
    Objective.SALES: "Your first order, your way",
    Objective.HIRING: "Applications are open",
    Objective.AWARENESS: "One more thing before you go",
    Objective.PARTNERSHIPS: "Shall we compare notes?",
    Objective.RETENTION: "Tell us what you want next",
}


def email_sequence(f: Facts, pairs: list[tuple[ContentPillar, Blueprint]]) -> list[Email]:
    actions = ctas(f)
    emails = [_welcome(f, actions[0])]
    used: set[str] = set()
    for n, (_, blueprint) in enumerate(pairs[:3], start=1):
        # each e-mail a different story: skip drafts an earlier e-mail already told
        drafts = (blueprint.draft(f, c, 3) for c in [*blueprint.combos[1:], *blueprint.combos[:1]])
        draft = next((d for d in drafts if d.hook not in used), None)
        if draft is None:
            continue
        used.add(draft.hook)
        cta = pick(actions, n)
        body = _body(f, [draft.hook, *draft.points], cta)
        emails.append(
            Email(
                day=DAYS[n],
                subject=short_phrase(draft.title, 9)[:70],
                preview=short_phrase(strip_end(draft.hook), 14)[:110],
                body=body,
                cta=cta,
            )
        )
    emails.append(_close(f, actions[0]))
    return emails


def _welcome(f: Facts, cta: str) -> Email:
    # pains may be clauses ("Managers forget steps"): quoted, they read as what people say
    topics = human_list([quoted(f.lc(strip_end(p))) for p in f.pains[:2]])
    # the e-mail is written to the reader: "the way to a routine you keep", not "they keep"
    outcome = second_person(f.lc(strip_end(f.outcomes[0]))) if f.outcomes else ""
    about = f"what {aud(f)} tell us ({topics})" if topics else f.lc(strip_end(f.offer))
    greeting = (
        f"Welcome to {f.brand}, and thank you for joining."
        if model_of(f) is BusinessModel.RETENTION
        else f"Thanks for your interest in {f.brand}."
    )
    paragraphs = [
        greeting,
        f"Over the next two weeks we will send a few short e-mails about {about}"
        + (f", and the way to {outcome}." if outcome else "."),
        f"What we offer: {f.lc(strip_end(f.offer))}.",
    ]
    return Email(
        day=DAYS[0],
        subject=WELCOME_SUBJECT[f.objective].format(brand=f.short_brand),
        preview=f"What to expect from {f.short_brand}, and one thing to do today",
        body=_body(f, paragraphs, cta),
        cta=cta,
    )


def _close(f: Facts, cta: str) -> Email:
    paragraphs = [
        f"Here is the next step towards {second_person(noun_phrase(f.lc(strip_end(f.outcomes[0]))))}."
        if f.outcomes
        else f"Here is the next step with {f.short_brand}."
    ]
    if f.diffs:
        paragraphs.append("What you get: " + "; ".join(f.lc(strip_end(d)) for d in f.diffs[:3]) + ".")
    if f.pricing:
        paragraphs.append(f"Pricing: {strip_end(f.pricing)}.")
    if f.roles:
        paragraphs.append(f"Open roles: {human_list([f.lc(r) for r in f.roles])} in {f.area}.")
    return Email(
        day=DAYS[-1],
        subject=CLOSE_SUBJECT[f.objective],
        preview=f"{strip_end(cta)} with {f.short_brand}",
        body=_body(f, paragraphs, cta),
        cta=cta,
    )


def _body(f: Facts, paragraphs: list[str], cta: str) -> str:
    parts = [
        "Hi there,",
        *paragraphs,
        cta_line(f, cta, Platform.EMAIL),
        f"The {f.brand} team",
        *f.disclaimers,
    ]
    return "\n\n".join(p for p in parts if p)
