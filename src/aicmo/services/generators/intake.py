"""Intake generator: the brief itself, normalised (default platforms applied) and rendered for review."""

from __future__ import annotations

from typing import ClassVar

from aicmo.domain.artifacts import Module
from aicmo.domain.intake_rules import normalise_intake, validate_intake
from aicmo.domain.schemas.intake import Intake
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, table
from aicmo.services.generators.base import GenerationInputs


def _value(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(getattr(v, "value", v)) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{getattr(k, 'value', k)}: {v}" for k, v in value.items()) or "—"
    text = str(getattr(value, "value", value)) if value is not None else ""
    return text or "—"


SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "identity",
        "A. Identity",
        ("client_name", "website", "no_website", "industry", "geography", "timezone", "contact_email"),
    ),
    (
        "offer",
        "B. Offer and economics",
        ("primary_offer", "pricing", "aov_ltv", "differentiators", "competitors", "proof_assets"),
    ),
    (
        "audience",
        "C. Audience and market",
        ("target_audience", "pain_points", "desired_outcomes", "objections"),
    ),
    (
        "goals",
        "D. Goals and constraints",
        ("objective", "kpi_targets", "start_date", "duration_weeks", "budget_range", "constraints"),
    ),
    (
        "voice",
        "E. Brand voice and compliance",
        ("tone_voice", "voice_examples", "banned_words", "required_disclaimers", "languages"),
    ),
    (
        "assets",
        "F. Assets and access",
        (
            "brand_kit_url",
            "content_library_url",
            "social_handles",
            "tracking_status",
            "ad_account_status",
            "brand_colors",
        ),
    ),
    ("delivery", "G. Delivery and platforms", ("required_outputs", "report_frequency", "platforms")),
]


class IntakeGenerator(SectionedGenerator[Intake]):
    module: ClassVar[Module] = Module.INTAKE
    output_type: ClassVar[type[Intake]] = Intake
    uses_llm: ClassVar[bool] = False  # the brief is the operator's; nothing to write

    def plan_offline(self, inputs: GenerationInputs) -> Intake:
        return normalise_intake(inputs.intake)

    def title(self, content: Intake) -> str:
        return f"Client brief: {content.client_name}"

    def sections(self, content: Intake) -> list[Section]:
        data = content.model_dump(mode="json")
        sections = [
            Section(
                key,
                title,
                table(["Field", "Value"], [[name, _value(getattr(content, name))] for name in names]),
                {name: data[name] for name in names},
            )
            for key, title, names in SECTIONS
        ]
        context = content.context
        rows = []
        if context.hiring:
            rows += [[f"hiring.{k}", _value(v)] for k, v in context.hiring.model_dump().items()]
        if context.ecommerce:
            rows += [[f"ecommerce.{k}", _value(v)] for k, v in context.ecommerce.model_dump().items()]
        if context.services:
            rows += [[f"services.{k}", _value(v)] for k, v in context.services.model_dump().items()]
        if rows:
            sections.append(
                Section("context", "Context", table(["Field", "Value"], rows), {"context": data["context"]})
            )
        report = validate_intake(data)
        checks = (
            bullets(f"**{w.field}**: {w.message}" for w in report.warnings)
            or "No warnings: the brief is complete."
        )
        sections.append(
            Section("validation", "Validation", checks, {"warnings": [w.as_dict() for w in report.warnings]})
        )
        return sections
