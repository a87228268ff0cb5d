"""Validating a brief (SPEC §3): structure errors from pydantic plus judgement rules, never an exception.

`validate_intake` accepts any JSON value. Pydantic's errors become `FieldIssue`s with dotted field
paths and plain messages; the judgement rules (Leads without an audience, Hiring without an EVP,
student audience with high-ticket pricing, a banned word in the brief's own offer text, ...) read
the raw mapping defensively, so the operator sees every problem at once, even when the brief does
not parse yet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError, computed_field

from aicmo.domain.errors import FieldIssue
from aicmo.domain.money import money_values
from aicmo.domain.quality import find_banned, find_placeholders
from aicmo.domain.schemas.intake import Intake, Objective, Platform

_URL_FIELDS = {"website", "brand_kit_url", "content_library_url", "catalog_url", "deck_url", "booking_url"}
_URL_TYPES = {"url_parsing", "url_scheme", "url_syntax_violation", "url_too_long", "url_type"}
_VAGUE_AUDIENCES = {"everyone", "anyone", "all", "general public", "the public", "n/a", "na", "none", "-"}
_STUDENT = re.compile(r"(?i)\b(students?|undergrad\w*|pupils?|graduates?|grads?)\b")
_OFFER_FIELDS = ("primary_offer", "differentiators", "pricing", "voice_examples")
_SERVICE_WORDS = re.compile(r"(?i)\b(services?|consult\w*|agency|legal|law|accounting|clinic|dental|salon)\b")
HIGH_TICKET = 500.0
MAX_SHORT_DISCLAIMERS = 180  # characters of disclaimers that still leave room in a 280-char X post


class IntakeReport(BaseModel):
    """The verdict on one brief: the parsed intake (when it parses) and every issue, by field."""

    intake: Intake | None = None
    errors: list[FieldIssue] = []
    warnings: list[FieldIssue] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return self.intake is not None and not self.errors


# ---- entry points -----------------------------------------------------------------------------
def validate_intake(raw: Any, *, today: date | None = None) -> IntakeReport:
    """Check a brief. Never raises: any JSON value in, a report out.

    `today` is optional so the rules stay pure; when given, a start date in the past is a warning.
    """
    if not isinstance(raw, Mapping):
        issue = FieldIssue("", "the brief must be a JSON object of fields", "type")
        return IntakeReport(errors=[issue])
    data = {str(k): v for k, v in raw.items()}
    rule_errors, warnings = _judgement(data, today)
    intake, structural = _parse(data)
    ruled = {issue.field for issue in rule_errors}
    errors = rule_errors + [issue for issue in structural if issue.field not in ruled]
    if intake is not None:
        warnings += _platform_warnings(intake)
    return IntakeReport(intake=intake if not errors else None, errors=errors, warnings=warnings)


def default_platforms(intake: Intake) -> list[Platform]:
    """Where a client like this should publish when the brief names no platform."""
    return _default_platforms_for(intake.industry, intake.objective)


def normalise_intake(intake: Intake) -> Intake:
    """The brief with defaults that downstream modules rely on (platforms); start_date stays as given."""
    if intake.platforms:
        return intake
    return intake.model_copy(update={"platforms": default_platforms(intake)})


# ---- structure --------------------------------------------------------------------------------
def _parse(data: dict[str, Any]) -> tuple[Intake | None, list[FieldIssue]]:
    issues: list[FieldIssue] = []
    zone_issue = _timezone_issue(data.get("timezone"))
    if zone_issue:
        # ZoneInfo raises OSError (not ValueError) on some names; keep it away from the model.
        issues.append(zone_issue)
        data = {**data, "timezone": "UTC"}
    try:
        intake = Intake.model_validate(data)
    except ValidationError as exc:
        issues += [_issue_from_error(error) for error in exc.errors(include_url=False)]
        return None, _dedupe(issues)
    return (None if issues else intake), issues


def _timezone_issue(value: Any) -> FieldIssue | None:
    if not isinstance(value, str) or not value.strip():
        return None
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(value.strip())
    except Exception:  # ZoneInfoNotFoundError, ValueError, IsADirectoryError, OSError ...
        shown = value.strip()[:60]
        return FieldIssue(
            "timezone",
            f"timezone: unknown time zone {shown!r} (use an IANA name such as Europe/London)",
            "invalid_timezone",
        )
    return None


def _issue_from_error(error: Mapping[str, Any]) -> FieldIssue:
    loc = [str(part) for part in error.get("loc", ()) if part != "[key]"]
    kind = str(error.get("type", "invalid"))
    msg = str(error.get("msg", "invalid value"))
    ctx = error.get("ctx") or {}
    if not loc and "website is required" in msg:
        return FieldIssue("website", "website is required (or set no_website to true)", "missing")
    field = ".".join(loc)
    name = field or "brief"
    if kind == "missing":
        return FieldIssue(field, f"{name} is required", "missing")
    if kind == "extra_forbidden":
        return FieldIssue(field, f"unknown field '{loc[-1] if loc else field}'", "unknown_field")
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return FieldIssue(field, f"{name} is required", "missing")
    if kind in _URL_TYPES or (loc and loc[-1] in _URL_FIELDS and kind == "value_error"):
        return FieldIssue(field, f"{name}: not a valid URL (use http:// or https://)", "invalid_url")
    if loc and loc[-1] == "contact_email":
        return FieldIssue(field, f"{name}: not a valid e-mail address", "invalid_email")
    if loc and loc[-1] == "duration_weeks" and kind in {"greater_than_equal", "less_than_equal"}:
        return FieldIssue(field, f"{name}: must be between 1 and 52 weeks", "out_of_range")
    if kind == "string_too_long":
        return FieldIssue(field, f"{name}: too long (at most {ctx.get('max_length')} characters)", "too_long")
    if kind == "too_long":
        return FieldIssue(field, f"{name}: too many items (at most {ctx.get('max_length')})", "too_long")
    if kind == "too_short":
        return FieldIssue(field, f"{name}: needs at least {ctx.get('min_length')} item(s)", "too_short")
    if kind == "enum":
        got = error.get("input")
        shown = f"{got!r} is not allowed; " if isinstance(got, str) and len(got) <= 40 else ""
        return FieldIssue(field, f"{name}: {shown}must be one of {ctx.get('expected', '')}", "invalid_choice")
    message = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return FieldIssue(field, f"{name}: {message[:200]}", kind)


def _dedupe(issues: list[FieldIssue]) -> list[FieldIssue]:
    return list(dict.fromkeys(issues))


# ---- judgement rules on the raw mapping ---------------------------------------------------------
def _text(data: Mapping[str, Any], *path: str) -> str:
    value: Any = data
    for key in path:
        if not isinstance(value, Mapping):
            return ""
        value = value.get(key)
    return value.strip() if isinstance(value, str) else ""


def _strings(value: Any) -> list[str]:
    return [v.strip() for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []


def _objective(data: Mapping[str, Any]) -> Objective | None:
    value = data.get("objective")
    return Objective(value) if isinstance(value, str) and value in set(Objective) else None


def _judgement(data: Mapping[str, Any], today: date | None) -> tuple[list[FieldIssue], list[FieldIssue]]:
    errors: list[FieldIssue] = []
    warnings: list[FieldIssue] = []
    objective = _objective(data)
    audience = _text(data, "target_audience")
    if objective is Objective.LEADS and (not audience or audience.lower() in _VAGUE_AUDIENCES):
        errors.append(
            FieldIssue(
                "target_audience",
                "a Leads objective needs a specific target audience (who should become a lead?)",
                "leads_without_audience",
            )
        )
    if objective is Objective.HIRING and not _text(data, "context", "hiring", "evp"):
        errors.append(
            FieldIssue(
                "context.hiring.evp",
                "a Hiring objective needs an employee value proposition (context.hiring.evp)",
                "hiring_without_evp",
            )
        )
    errors += _conflict_errors(data)
    warnings += _pricing_warnings(data, audience)
    warnings += _banned_in_brief(data)
    warnings += _placeholder_warnings(data)
    warnings += _context_warnings(data, objective)
    warnings += _goal_warnings(data, objective, today)
    return errors, warnings


def _conflict_errors(data: Mapping[str, Any]) -> list[FieldIssue]:
    """Rules that no output could satisfy: the brand name or a disclaimer contains a banned word."""
    banned = _strings(data.get("banned_words"))
    if not banned:
        return []
    issues = []
    name = _text(data, "client_name")
    if find_banned(name, banned):
        issues.append(
            FieldIssue(
                "banned_words",
                "the brand name contains a banned word; remove it from banned_words",
                "conflict",
            )
        )
    disclaimers = data.get("required_disclaimers")
    for index, disclaimer in enumerate(disclaimers if isinstance(disclaimers, list) else []):
        if isinstance(disclaimer, str) and find_banned(disclaimer, banned):
            issues.append(
                FieldIssue(
                    f"required_disclaimers.{index}",
                    "this disclaimer contains a banned word, so no post could include it and pass",
                    "conflict",
                )
            )
    return issues


def _pricing_warnings(data: Mapping[str, Any], audience: str) -> list[FieldIssue]:
    pricing = _text(data, "pricing")
    if not (pricing and _STUDENT.search(audience)):
        return []
    amounts = money_values(pricing[:500])  # "2026 intake: $199" is $199; "€1.500" is 1,500
    if amounts and max(amounts) >= HIGH_TICKET:
        return [
            FieldIssue(
                "pricing",
                f"a student audience with high-ticket pricing ({pricing[:60]}): expect low conversion "
                "unless there is a payment plan, discount or someone else pays",
                "student_high_ticket",
            )
        ]
    return []


def _banned_in_brief(data: Mapping[str, Any]) -> list[FieldIssue]:
    banned = _strings(data.get("banned_words"))
    if not banned:
        return []
    issues = []
    fields: list[tuple[str, str]] = [(f, _text(data, f)) for f in _OFFER_FIELDS]
    proofs = data.get("proof_assets")
    fields += [(f"proof_assets.{i}", v) for i, v in enumerate(proofs if isinstance(proofs, list) else [])]
    for field, value in fields:
        if not isinstance(value, str):
            continue
        found = find_banned(value, banned)
        if found:
            words = ", ".join(sorted({f"'{w.lower()}'" for w in found}))
            issues.append(
                FieldIssue(
                    field,
                    f"uses banned word(s) {words}: generated content will reword it; consider rewording the "
                    "brief",
                    "banned_word_in_brief",
                )
            )
    return issues


def _placeholder_warnings(data: Mapping[str, Any]) -> list[FieldIssue]:
    issues = []
    for field in (
        "primary_offer",
        "pricing",
        "differentiators",
        "target_audience",
        "kpi_targets",
        "budget_range",
    ):
        value = _text(data, field)
        found = find_placeholders(value) if value else []
        if found:
            issues.append(
                FieldIssue(
                    field,
                    f"looks like a placeholder ({found[0]!r}): it will be ignored until filled in",
                    "placeholder",
                )
            )
    return issues


def _context_warnings(data: Mapping[str, Any], objective: Objective | None) -> list[FieldIssue]:
    issues = []
    industry = _text(data, "industry")
    raw_context = data.get("context")
    context: Mapping[str, Any] = raw_context if isinstance(raw_context, Mapping) else {}
    if re.search(r"(?i)e-?commerce|online (store|shop)|\bd2c\b|\bdtc\b", industry) and not context.get(
        "ecommerce"
    ):
        issues.append(
            FieldIssue(
                "context.ecommerce",
                "E-commerce brief without context.ecommerce: add top SKUs, catalog URL and margins "
                "for product-specific posts",
                "missing_context",
            )
        )
    if _SERVICE_WORDS.search(industry) and not context.get("services"):
        issues.append(
            FieldIssue(
                "context.services",
                "services brief without context.services: add service areas and a booking URL for local "
                "posts",
                "missing_context",
            )
        )
    if objective is Objective.HIRING:
        if not _strings(_nested(context, "hiring", "role_types")):
            issues.append(
                FieldIssue(
                    "context.hiring.role_types",
                    "no role types: posts will speak about roles in general",
                    "thin",
                )
            )
        if not _strings(_nested(context, "hiring", "hiring_locations")):
            issues.append(
                FieldIssue(
                    "context.hiring.hiring_locations",
                    "no hiring locations: the geography field will be used",
                    "thin",
                )
            )
    elif context.get("hiring"):
        issues.append(
            FieldIssue(
                "context.hiring",
                f"hiring context given but the objective is {objective.value if objective else 'not set'}: "
                "it is used only for employer-brand posts",
                "unused_context",
            )
        )
    return issues


def _nested(value: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _goal_warnings(
    data: Mapping[str, Any], objective: Objective | None, today: date | None
) -> list[FieldIssue]:
    issues = []
    if not _text(data, "kpi_targets"):
        issues.append(
            FieldIssue(
                "kpi_targets", "no KPI targets: benchmark targets will be proposed instead", "missing_kpis"
            )
        )
    duration = data.get("duration_weeks")
    if isinstance(duration, int) and not isinstance(duration, bool) and 1 <= duration < 4:
        issues.append(
            FieldIssue(
                "duration_weeks",
                f"{duration} week(s) leaves little time to test, learn and optimise (4+ recommended)",
                "short_engagement",
            )
        )
    start = data.get("start_date")
    if today is not None and isinstance(start, str):
        try:
            if date.fromisoformat(start) < today:
                issues.append(FieldIssue("start_date", "start_date is in the past", "past_start"))
        except ValueError:
            pass
    if objective in {Objective.LEADS, Objective.SALES} and not _text(data, "tracking_status"):
        issues.append(
            FieldIssue(
                "tracking_status",
                "tracking status not stated: confirm conversion tracking before paid spend starts",
                "tracking_unknown",
            )
        )
    languages = _strings(data.get("languages"))
    if any(lang.lower() not in {"english", "en"} for lang in languages):
        issues.append(
            FieldIssue(
                "languages",
                "the offline planner writes English only: other languages need an LLM provider or "
                "translation",
                "language",
            )
        )
    disclaimers = "".join(_strings(data.get("required_disclaimers")))
    platforms = _strings(data.get("platforms"))
    if "x" in platforms and len(disclaimers) > MAX_SHORT_DISCLAIMERS:
        issues.append(
            FieldIssue(
                "required_disclaimers",
                f"disclaimers total {len(disclaimers)} characters: X posts (280) will have little room left",
                "long_disclaimers",
            )
        )
    return issues


def _platform_warnings(intake: Intake) -> list[FieldIssue]:
    if intake.platforms:
        return []
    names = ", ".join(p.value for p in default_platforms(intake))
    return [
        FieldIssue("platforms", f"no platforms selected: defaults will be used ({names})", "defaults_used")
    ]


# ---- default platforms ---------------------------------------------------------------------------
_KINDS: list[tuple[str, re.Pattern[str], list[Platform]]] = [
    (
        "ecommerce",
        re.compile(
            r"(?i)e-?commerce|retail|fashion|apparel|beauty|cosmetic|food|beverage|coffee|d2c|dtc|consumer"
        ),
        [Platform.INSTAGRAM, Platform.FACEBOOK, Platform.TIKTOK, Platform.EMAIL],
    ),
    (
        "professional",
        re.compile(r"(?i)legal|\blaw\b|solicitor|attorney|accounting|accountan|notary|architect|surveyor"),
        [Platform.GOOGLE_BUSINESS, Platform.LINKEDIN, Platform.FACEBOOK, Platform.EMAIL],
    ),
    (
        "local",
        re.compile(
            r"(?i)restaurant|cafe|hospitality|hotel|salon|\bspa\b|fitness|gym|dental|clinic|real estate|"
            r"plumb|"
            r"construction|trades|home services|veterinar"
        ),
        [Platform.GOOGLE_BUSINESS, Platform.FACEBOOK, Platform.INSTAGRAM, Platform.EMAIL],
    ),
    (
        "b2b",
        re.compile(
            r"(?i)saas|software|technology|tech|b2b|consult|finance|fintech|insurance|manufactur|logistics|"
            r"professional|industrial|cyber|data|\bai\b|marketing|agency"
        ),
        [Platform.LINKEDIN, Platform.EMAIL, Platform.YOUTUBE],
    ),
    (
        "care",
        re.compile(r"(?i)health|hospital|care|medical|pharma|education|school|university|nonprofit|charity"),
        [Platform.FACEBOOK, Platform.LINKEDIN, Platform.INSTAGRAM, Platform.EMAIL],
    ),
]
_BY_OBJECTIVE: dict[Objective, list[Platform]] = {
    Objective.HIRING: [Platform.LINKEDIN, Platform.FACEBOOK, Platform.INSTAGRAM],
    Objective.PARTNERSHIPS: [Platform.LINKEDIN, Platform.EMAIL],
    Objective.RETENTION: [Platform.EMAIL],
}


_GENERAL = [Platform.LINKEDIN, Platform.FACEBOOK, Platform.INSTAGRAM, Platform.EMAIL]


def industry_kind(industry: str) -> str:
    """A coarse market type for an industry label: ecommerce, professional, local, b2b, care or general."""
    return next((kind for kind, pattern, _ in _KINDS if pattern.search(industry or "")), "general")


def _default_platforms_for(industry: str, objective: Objective | None) -> list[Platform]:
    kind = industry_kind(industry)
    base = next((platforms for name, _, platforms in _KINDS if name == kind), _GENERAL)
    lead = _BY_OBJECTIVE.get(objective) if objective else None
    if objective is Objective.AWARENESS:
        base = [*base, Platform.YOUTUBE if Platform.LINKEDIN in base else Platform.TIKTOK]
    chosen = list(dict.fromkeys([*(lead or []), *base]))
    if objective is Objective.HIRING:
        chosen = [p for p in chosen if p not in {Platform.EMAIL, Platform.GOOGLE_BUSINESS, Platform.TIKTOK}]
    return chosen[:4]
