"""How much copy different clients share: template openings and sentences reused across briefs.

A post that opens with the same two words as posts of several unrelated clients is a skeleton,
not copy written for its brief; a sentence of six or more words found in three clients' posts is
boilerplate. Both are measured on the post text without its disclaimers, links and hashtags.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_LINK_OR_TAG = re.compile(r"https?://\S+|#\w+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_NON_WORD = re.compile(r"[^\w\s']")

OPENING_WORDS = 2
OPENING_OTHER_CLIENTS = 3  # an opening shared with this many other clients is a template
SENTENCE_MIN_WORDS = 6
SENTENCE_CLIENTS = 3  # a sentence found in this many clients' posts is boilerplate


@dataclass(frozen=True)
class ClientPosts:
    """One client's post texts and the disclaimers to leave out of the comparison."""

    texts: Sequence[str]
    disclaimers: Sequence[str] = ()


@dataclass(frozen=True)
class Variety:
    posts: int
    template_posts: int
    shared_sentences: tuple[str, ...]
    shared_openings: tuple[str, ...]

    @property
    def template_share(self) -> float:
        return self.template_posts / self.posts if self.posts else 0.0


def _body(text: str, disclaimers: Sequence[str]) -> str:
    for disclaimer in disclaimers:
        text = text.replace(disclaimer, " ")
    return _LINK_OR_TAG.sub(" ", text)


def _words(text: str) -> list[str]:
    return _NON_WORD.sub(" ", text.lower().replace("’", "'")).split()


def opening(text: str, disclaimers: Sequence[str] = ()) -> str:
    """The first two words of a post, lower-cased, punctuation removed."""
    return " ".join(_words(_body(text, disclaimers))[:OPENING_WORDS])


def sentences(text: str, disclaimers: Sequence[str] = ()) -> list[str]:
    """Normalised sentences of at least six words (disclaimers, links and hashtags left out)."""
    found = []
    for part in _SENTENCE.split(_body(text, disclaimers)):
        tokens = _words(part)
        if len(tokens) >= SENTENCE_MIN_WORDS:
            found.append(" ".join(tokens))
    return found


def measure(clients: Mapping[str, ClientPosts]) -> Variety:
    """Template openings and shared sentences across `clients` (name -> posts)."""
    opened_by: dict[str, set[str]] = defaultdict(set)
    said_by: dict[str, set[str]] = defaultdict(set)
    for name, posts in clients.items():
        for text in posts.texts:
            opened_by[opening(text, posts.disclaimers)].add(name)
            for sentence in sentences(text, posts.disclaimers):
                said_by[sentence].add(name)
    total = template = 0
    for name, posts in clients.items():
        for text in posts.texts:
            total += 1
            others = opened_by[opening(text, posts.disclaimers)] - {name}
            template += len(others) >= OPENING_OTHER_CLIENTS
    shared = tuple(sorted(s for s, who in said_by.items() if len(who) >= SENTENCE_CLIENTS))
    openings = tuple(sorted(o for o, who in opened_by.items() if o and len(who) > OPENING_OTHER_CLIENTS))
    return Variety(total, template, shared, openings)
