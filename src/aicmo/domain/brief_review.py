"""Turning an LLM's review of a brief into warnings (SPEC §3). Pure.

A model may name fields loosely, repeat itself, restate what the rules already said, or slip a
placeholder into a remark. Only what names a real field of the brief (else the brief as a whole),
says something, and is new becomes a warning; a review never becomes an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from aicmo.domain.errors import FieldIssue
from aicmo.domain.quality import find_placeholders
from aicmo.domain.schemas.generation import ReviewRemark
from aicmo.domain.schemas.intake import Intake

REVIEW_CODE = "llm_review"
MAX_REMARKS = 8
MAX_MESSAGE = 300
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*")


def remark_field(name: str) -> str:
    """`name` when its first segment is a field of the brief (`context.saas.trial_days` too),
    else "" (the brief as a whole)."""
    path = name.strip().strip("`'\"").replace("[", ".").replace("]", "")
    if not _PATH.fullmatch(path):
        return ""
    return path if path.split(".", 1)[0] in Intake.model_fields else ""


def review_warnings(remarks: Iterable[ReviewRemark], known: Sequence[FieldIssue] = ()) -> list[FieldIssue]:
    """The remarks worth showing, as warnings: at most `MAX_REMARKS`, in the model's order."""
    seen = {(issue.field, _norm(issue.message)) for issue in known}
    out: list[FieldIssue] = []
    for remark in remarks:
        message = " ".join(remark.message.split())[:MAX_MESSAGE]
        if len(message) < 8 or find_placeholders(message):
            continue
        issue = FieldIssue(remark_field(remark.field), message, REVIEW_CODE)
        if (issue.field, _norm(message)) in seen:
            continue
        seen.add((issue.field, _norm(message)))
        out.append(issue)
        if len(out) == MAX_REMARKS:
            break
    return out


def _norm(message: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", message.lower()).strip()
