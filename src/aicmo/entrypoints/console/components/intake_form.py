"""The brief form (SPEC §3, sections A–G and the context by case), with inline errors and warnings.

Widget values live in session state under keys scoped to the engagement, so a failed save never
loses the operator's input; the saved brief (the intake artifact's content) loads back into the
form whenever it changes and the form has no unsaved edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from zoneinfo import available_timezones

import streamlit as st

from aicmo.domain.schemas.generation import IntakeIssue
from aicmo.domain.schemas.intake import Objective, OutputFormat, Platform, ReportFrequency
from aicmo.entrypoints.console.components.common import lines_to_list, list_to_lines

Kind = Literal[
    "text",
    "area",
    "lines",
    "bool",
    "date",
    "int",
    "objective",
    "platforms",
    "outputs",
    "frequency",
    "timezone",
    "handles",
    "colours",
]


@dataclass(frozen=True)
class Field:
    name: str  # dotted path in the intake, e.g. "context.hiring.evp"
    label: str
    kind: Kind = "text"
    required: bool = False
    help: str = ""
    placeholder: str = ""


SECTIONS: list[tuple[str, list[Field]]] = [
    (
        "A. Identity",
        [
            Field("client_name", "Client name", required=True),
            Field(
                "website",
                "Website",
                required=True,
                placeholder="https://…",
                help="Required unless the client has no website (tick the box)",
            ),
            Field("no_website", "The client has no website", "bool"),
            Field(
                "industry",
                "Industry",
                required=True,
                placeholder="e.g. E-commerce, Legal Services, Healthcare",
            ),
            Field("geography", "Geography", required=True, placeholder="Where the client sells or hires"),
            Field("timezone", "Time zone", "timezone"),
            Field("contact_email", "Contact e-mail"),
        ],
    ),
    (
        "B. Offer & economics",
        [
            Field("primary_offer", "Primary offer", "area", required=True),
            Field("pricing", "Pricing"),
            Field("aov_ltv", "AOV / LTV"),
            Field("differentiators", "Differentiators", "area", required=True),
            Field("competitors", "Competitors", "lines", help="One per line"),
            Field(
                "proof_assets", "Proof assets", "lines", help="Awards, case studies, reviews — one per line"
            ),
        ],
    ),
    (
        "C. Audience & market",
        [
            Field("target_audience", "Target audience", "area", required=True),
            Field("pain_points", "Pain points", "area", required=True),
            Field("desired_outcomes", "Desired outcomes", "area", required=True),
            Field("objections", "Objections", "area"),
        ],
    ),
    (
        "D. Goals & constraints",
        [
            Field("objective", "Objective", "objective", required=True),
            Field("kpi_targets", "KPI targets", placeholder="e.g. 35 consultations per month"),
            Field("start_date", "Start date", "date"),
            Field("duration_weeks", "Duration (weeks)", "int"),
            Field("budget_range", "Budget range"),
            Field("constraints", "Constraints", "area", help="Regulated claims, forbidden topics"),
        ],
    ),
    (
        "E. Brand voice & compliance",
        [
            Field("tone_voice", "Tone of voice", required=True),
            Field("voice_examples", "Voice examples", "area"),
            Field("banned_words", "Banned words", "lines", help="One per line"),
            Field("required_disclaimers", "Required disclaimers", "lines", help="One per line"),
            Field("languages", "Languages", "lines", required=True, help="One per line (default English)"),
        ],
    ),
    (
        "F. Assets & access",
        [
            Field("brand_kit_url", "Brand kit URL"),
            Field("content_library_url", "Content library URL"),
            Field("social_handles", "Social handles", "handles", help="One per line as `platform: handle`"),
            Field("brand_colors", "Brand colours", "colours", placeholder="#0A3D62, #F6B93B"),
            Field("tracking_status", "Tracking status", placeholder="e.g. GA4 installed, no conversions yet"),
            Field("ad_account_status", "Ad account status"),
        ],
    ),
    (
        "G. Delivery & platforms",
        [
            Field("required_outputs", "Required outputs", "outputs"),
            Field("report_frequency", "Report frequency", "frequency"),
            Field(
                "platforms",
                "Platforms",
                "platforms",
                help="Where the client publishes; left empty, AICMO picks from industry and objective",
            ),
        ],
    ),
]

CONTEXTS: dict[str, tuple[str, list[Field]]] = {
    "hiring": (
        "Hiring context (objective Hiring)",
        [
            Field("context.hiring.evp", "Employee value proposition (EVP)", "area", required=True),
            Field("context.hiring.role_types", "Role types", "lines", help="One per line"),
            Field("context.hiring.hiring_locations", "Hiring locations", "lines", help="One per line"),
            Field("context.hiring.employer_brand_notes", "Employer-brand notes", "area"),
        ],
    ),
    "ecommerce": (
        "E-commerce context (industry E-commerce)",
        [
            Field("context.ecommerce.catalog_url", "Catalogue URL"),
            Field("context.ecommerce.top_skus", "Top SKUs", "lines", help="One per line"),
            Field("context.ecommerce.margins", "Margins"),
        ],
    ),
    "services": (
        "Services context (a services business)",
        [
            Field("context.services.deck_url", "Services deck URL"),
            Field("context.services.service_areas", "Service areas", "lines", help="One per line"),
            Field("context.services.booking_url", "Booking URL"),
        ],
    ),
}
ALL_FIELDS = [f for _, fields in SECTIONS for f in fields] + [f for _, fs in CONTEXTS.values() for f in fs]
RELOAD = "__reload__"
_TIMEZONES = sorted(available_timezones())
_ECOMMERCE = re.compile(r"(?i)e-?commerce|online (shop|store|retail)|d2c|dtc")
_SERVICES = re.compile(r"(?i)\bservices?\b|consult|agency|legal|law|accounting|clinic|salon")


# ---- keys and values ------------------------------------------------------------------------------
class BriefForm:
    """The form for one engagement: keys, loading, collecting, rendering."""

    def __init__(self, engagement_id: str) -> None:
        self.prefix = f"brief:{engagement_id}:"

    def key(self, name: str) -> str:
        return self.prefix + name

    @property
    def loaded_key(self) -> str:
        return self.prefix + "_loaded"

    @property
    def snapshot_key(self) -> str:
        return self.prefix + "_snapshot"

    @property
    def issues_key(self) -> str:
        return self.prefix + "_issues"

    # ---- load --------------------------------------------------------------------------------
    def load(self, brief: dict[str, Any], marker: Any) -> None:
        """Put a brief into the widgets (before they render)."""
        for field in ALL_FIELDS:
            st.session_state[self.key(field.name)] = _to_widget(field, _get(brief, field.name))
        st.session_state[self.loaded_key] = marker
        st.session_state[self.snapshot_key] = self.collect()

    def ensure_loaded(self, brief: dict[str, Any] | None, marker: Any, defaults: dict[str, Any]) -> None:
        """Load the saved brief when it changed and the operator has no unsaved edits."""
        current = st.session_state.get(self.loaded_key)
        if current == marker:
            return
        if current not in (None, RELOAD) and self.dirty():
            return
        self.load(brief if brief is not None else defaults, marker)

    def dirty(self) -> bool:
        return self.collect() != st.session_state.get(self.snapshot_key)

    # ---- collect -----------------------------------------------------------------------------
    def collect(self) -> dict[str, Any]:
        """The brief as the API expects it; blank optional values are left out."""
        brief: dict[str, Any] = {}
        for field in SECTIONS_FIELDS:
            value = _from_widget(field, st.session_state.get(self.key(field.name)))
            if value is not None:
                brief[field.name] = value
        context: dict[str, Any] = {}
        for case in self.active_contexts():
            part: dict[str, Any] = {}
            for field in CONTEXTS[case][1]:
                value = _from_widget(field, st.session_state.get(self.key(field.name)))
                if value is not None:
                    part[field.name.rsplit(".", 1)[-1]] = value
            if part or case == "hiring":
                context[case] = part
        if context:
            brief["context"] = context
        return brief

    def active_contexts(self) -> list[str]:
        """Context sections that apply: by objective and industry, or because they hold values."""
        objective = st.session_state.get(self.key("objective"))
        industry = str(st.session_state.get(self.key("industry")) or "")
        cases = []
        if objective == Objective.HIRING.value or self._has_values("hiring"):
            cases.append("hiring")
        if _ECOMMERCE.search(industry) or self._has_values("ecommerce"):
            cases.append("ecommerce")
        if (_SERVICES.search(industry) and not _ECOMMERCE.search(industry)) or self._has_values("services"):
            cases.append("services")
        return cases

    def _has_values(self, case: str) -> bool:
        return any(
            _from_widget(f, st.session_state.get(self.key(f.name))) not in (None, "", [])
            for f in CONTEXTS[case][1]
        )

    # ---- issues ------------------------------------------------------------------------------
    def set_issues(self, errors: list[IntakeIssue], warnings: list[IntakeIssue]) -> None:
        st.session_state[self.issues_key] = (errors, warnings)

    def issues(self) -> tuple[list[IntakeIssue], list[IntakeIssue]]:
        return st.session_state.get(self.issues_key, ([], []))

    # ---- render ------------------------------------------------------------------------------
    def render(self) -> None:
        errors, warnings = self.issues()
        shown: set[str] = set()
        for title, fields in SECTIONS:
            self._section(title, fields, errors, warnings, shown)
            if title.startswith("D."):
                for case in self.active_contexts():
                    context_title, context_fields = CONTEXTS[case]
                    self._section(context_title, context_fields, errors, warnings, shown)
        leftover = [i for i in errors + warnings if (i.field, i.message) not in shown]
        if leftover:
            st.markdown("**Other notes on the brief**")
            for issue in leftover:
                _issue_line(issue, error=issue in errors)

    def _section(
        self,
        title: str,
        fields: list[Field],
        errors: list[IntakeIssue],
        warnings: list[IntakeIssue],
        shown: set,
    ) -> None:
        count = sum(1 for i in errors if any(_matches(i.field, f.name) for f in fields))
        heading = f"**{title}**" + (f" &nbsp; :red-badge[{count} to fix]" if count else "")
        with st.container(border=True):
            st.markdown(heading)
            for start in range(0, len(fields), 2):
                for column, field in zip(st.columns(2), fields[start : start + 2], strict=False):
                    with column:
                        self._widget(field)
                        for issue in errors:
                            if _matches(issue.field, field.name):
                                _issue_line(issue, error=True)
                                shown.add((issue.field, issue.message))
                        for issue in warnings:
                            if _matches(issue.field, field.name):
                                _issue_line(issue, error=False)
                                shown.add((issue.field, issue.message))

    def _widget(self, field: Field) -> None:
        key = self.key(field.name)
        label = field.label + (" *" if field.required else "")
        common: dict[str, Any] = {"key": key, "help": field.help or None, "persist_state": "session"}
        kind = field.kind
        if kind == "text":
            st.text_input(label, placeholder=field.placeholder or None, **common)
        elif kind == "area" or kind in ("lines", "handles"):
            st.text_area(label, height=90, placeholder=field.placeholder or None, **common)
        elif kind == "colours":
            st.text_input(label, placeholder=field.placeholder or None, **common)
        elif kind == "bool":
            st.checkbox(label, **common)
        elif kind == "date":
            st.date_input(label, format="YYYY-MM-DD", **common)
        elif kind == "int":
            st.number_input(label, min_value=1, max_value=52, step=1, **common)
        elif kind == "objective":
            st.selectbox(
                label, [o.value for o in Objective], placeholder="Choose the main objective", **common
            )
        elif kind == "frequency":
            st.selectbox(label, [f.value for f in ReportFrequency], **common)
        elif kind == "timezone":
            st.selectbox(label, _TIMEZONES, **common)
        elif kind == "platforms":
            st.multiselect(label, [p.value for p in Platform], placeholder="Pick platforms", **common)
        elif kind == "outputs":
            st.multiselect(label, [o.value for o in OutputFormat], placeholder="PDF, PPTX, ZIP", **common)


SECTIONS_FIELDS = [f for _, fields in SECTIONS for f in fields]


def _matches(issue_field: str, field_name: str) -> bool:
    if issue_field == field_name:
        return True
    if issue_field.startswith(field_name + "."):
        return True
    return field_name == "context.hiring.evp" and issue_field in ("context.hiring", "context")


def _issue_line(issue: IntakeIssue, *, error: bool) -> None:
    icon, colour = (":material/error:", "red") if error else (":material/warning:", "orange")
    message = issue.message.replace("[", "(").replace("]", ")")
    st.markdown(f":{colour}[{icon} {message}]")


def _get(brief: dict[str, Any], path: str) -> Any:
    value: Any = brief
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _to_widget(field: Field, value: Any) -> Any:
    kind = field.kind
    if kind == "lines":
        return list_to_lines(value if isinstance(value, list) else [])
    if kind == "handles":
        return "\n".join(f"{k}: {v}" for k, v in (value or {}).items()) if isinstance(value, dict) else ""
    if kind == "colours":
        return ", ".join(value) if isinstance(value, list) else ""
    if kind == "bool":
        return bool(value)
    if kind == "date":
        try:
            return date.fromisoformat(value) if isinstance(value, str) and value else None
        except ValueError:
            return None
    if kind == "int":
        return int(value) if isinstance(value, int) and 1 <= value <= 52 else 12
    if kind == "objective":
        return value if value in {o.value for o in Objective} else None
    if kind == "frequency":
        return value if value in {f.value for f in ReportFrequency} else ReportFrequency.MONTHLY.value
    if kind == "timezone":
        return value if value in _TIMEZONES else "UTC"
    if kind == "platforms":
        return [v for v in (value or []) if v in {p.value for p in Platform}]
    if kind == "outputs":
        return [v for v in (value or []) if v in {o.value for o in OutputFormat}]
    return value if isinstance(value, str) else ""


def _from_widget(field: Field, value: Any) -> Any:
    kind = field.kind
    if kind == "lines":
        items = lines_to_list(value)
        return items or None
    if kind == "handles":
        handles = {}
        for line in lines_to_list(value):
            platform, _, handle = line.partition(":")
            handles[platform.strip().lower()] = handle.strip()
        return handles or None
    if kind == "colours":
        colours = [c for c in re.split(r"[,\s]+", value or "") if c]
        return colours or None
    if kind == "bool":
        return True if value else None
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else None
    if kind == "int":
        return int(value) if value is not None else None
    if kind in ("platforms", "outputs"):
        return list(value) if value else None
    if kind in ("objective", "frequency", "timezone"):
        return value or None
    text = (value or "").strip() if isinstance(value, str) else ""
    return text or None
