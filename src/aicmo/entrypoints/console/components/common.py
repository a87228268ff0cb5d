"""Small presentation helpers shared by the tabs: badges, dates, API error panels, file names."""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from pydantic import ValidationError

from aicmo.domain import modules, names
from aicmo.domain.compliance import sectors_for
from aicmo.domain.schemas.intake import Intake
from aicmo.domain.schemas.resources import ArtifactPublic
from aicmo.entrypoints.console.client import ApiError

STATUS_COLOURS = {
    "draft": "blue",
    "revised": "violet",
    "approved": "green",
    "flagged_for_review": "orange",
    "archived": "gray",
}
STATUS_LABELS = {"flagged_for_review": "flagged for review"}
MODULE_TITLES: dict[str, str] = {m.value: title for m, title in modules.MODULE_TITLES.items()}
REVIEW = modules.Module.COMPLIANCE.value


def reviewed(artifacts: dict[str, ArtifactPublic]) -> bool:
    """The engagement's content gets a compliance review: its brief falls under a regulated sector
    (`domain.compliance`), or a review was made. Elsewhere the review is not shown at all."""
    if REVIEW in artifacts:
        return True
    intake = artifacts.get(modules.Module.INTAKE.value)
    try:
        return intake is not None and bool(sectors_for(Intake.model_validate(intake.content)))
    except ValidationError:
        return False


def badge(text: str, colour: str = "gray", icon: str = "") -> str:
    """Markdown for a small coloured badge."""
    icon_part = f":material/{icon}: " if icon else ""
    safe = text.replace("[", "(").replace("]", ")")
    return f":{colour}-badge[{icon_part}{safe}]"


def status_badge(status: str) -> str:
    icons = {"approved": "check_circle", "flagged_for_review": "warning", "draft": "edit_note"}
    return badge(STATUS_LABELS.get(status, status), STATUS_COLOURS.get(status, "gray"), icons.get(status, ""))


def fmt_dt(value: datetime | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d %b %Y %H:%M UTC") if value.tzinfo else value.strftime("%d %b %Y %H:%M")


def show_api_error(exc: ApiError, *, what: str = "") -> None:
    """A friendly panel for an API refusal: the message, each named reason, the trace id."""
    headline = {
        "GATING_ERROR": "Blocked by gating",
        "VALIDATION_ERROR": "Some input needs fixing",
        "CONFLICT": "Someone changed this in the meantime",
        "INVALID_TRANSITION": "That step is not allowed right now",
        "PROVIDER_ERROR": "The generator's provider failed",
        "UNAUTHORIZED": "The API refused the console's token",
        "FORBIDDEN": "Your token's role may not do this",
        "NOT_FOUND": "Not found",
        "TIMEOUT": "The API did not answer in time",
    }.get(exc.type, "The API refused the request")
    lines = [f"**{headline}**" + (f" — {what}" if what else "") + f": {exc.message}"]
    lines += [f"- {reason}" for reason in exc.reasons()[:12]]
    if exc.type == "UNAUTHORIZED":
        lines.append("Set `AICMO_API_TOKEN` for the console (`aicmo serve` sets it for you).")
    st.error("\n".join(lines))
    if exc.trace_id:
        st.caption(f"trace id `{exc.trace_id}`")


def slug(text: str) -> str:
    """File names for downloads: the domain's one slug rule ('Müller' -> 'muller')."""
    return names.slug(text, fallback="aicmo")


def lines_to_list(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def list_to_lines(items: list[str] | None) -> str:
    return "\n".join(items or [])


def intro(text: str) -> None:
    """One line under the tab bar saying what the operator does here."""
    st.caption(text)


def not_built(what: str, items: list[str]) -> None:
    """A plain statement of what this tab cannot do yet (never sample data in its place)."""
    bullets = "\n".join(f"- {item}" for item in items)
    st.info(f"**Not built yet — {what}:**\n{bullets}", icon=":material/construction:")


def needs_engagement() -> None:
    st.info(
        "Choose a client and engagement in the sidebar, or create them in **Client Intake**.",
        icon=":material/arrow_back:",
    )
