"""Compliance review generator (issue 15): the approved strategy, creatives and execution plan of a
regulated client read against the brief's compliance rules (`domain.compliance_review`).

Computed, never written by a model: a review that an LLM could talk into "no findings" would be
no review. What the operator sees: the verdict, the sign-off sheet (each check with the assets it
covered), every finding with the asset's path, the words as written and what to do, and what the
sector's compliance officer checks by hand. Blocking findings are error findings of this module
(`domain.quality`), so autonomy never approves the review and the delivery waits for a person.
"""

from __future__ import annotations

from typing import ClassVar

from aicmo.domain.artifacts import Module
from aicmo.domain.compliance_review import REVIEWED, review
from aicmo.domain.schemas.compliance import ComplianceReview
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, table
from aicmo.services.generators.base import GenerationInputs


class ComplianceGenerator(SectionedGenerator[ComplianceReview]):
    module: ClassVar[Module] = Module.COMPLIANCE
    output_type: ClassVar[type[ComplianceReview]] = ComplianceReview
    uses_llm: ClassVar[bool] = False  # the rules are applied, not interpreted by a model
    prompt_version: ClassVar[str] = "compliance-review-v1"

    def plan_offline(self, inputs: GenerationInputs) -> ComplianceReview:
        contents = {
            name: inputs.upstream[Module(name)].model_dump(mode="json")
            for name in REVIEWED
            if Module(name) in inputs.upstream
        }
        return review(inputs.intake, contents)

    def title(self, content: ComplianceReview) -> str:
        return f"Compliance review: {content.brand}"

    def sections(self, content: ComplianceReview) -> list[Section]:
        dump = content.model_dump(mode="json")
        sectors = ", ".join(content.sectors) or "no regulated sector"
        sections = [
            Section(
                "verdict",
                "Verdict",
                f"{content.verdict}\n\nSectors: {sectors}. Assets reviewed: {content.assets_reviewed}.",
                {"verdict": content.verdict, "sectors": dump["sectors"], "assets": content.assets_reviewed},
            ),
            Section(
                "checks",
                "Sign-off sheet",
                table(
                    ["Check", "Assets", "Result", "Detail"],
                    [(c.check, c.assets, "pass" if c.passed else "FAIL", c.detail) for c in content.checks],
                ),
                {"checks": dump["checks"]},
            ),
        ]
        groups = (
            ("blocking", "Blocking findings", "Rule"),
            ("advisory", "For the reviewer", "Point"),
        )
        for severity, title, rule in groups:
            found = [f for f in content.findings if f.severity == severity]
            if found:
                rows = [(f.asset, f.rule, f.excerpt, f.action) for f in found]
                sections.append(
                    Section(
                        severity,
                        title,
                        table(["Asset", rule, "As written", "Action"], rows),
                        {"findings": [f.model_dump(mode="json") for f in found]},
                    )
                )
        if content.reviewer_notes:
            sections.append(
                Section(
                    "notes",
                    "What the compliance officer checks",
                    bullets(content.reviewer_notes),
                    {"reviewer_notes": dump["reviewer_notes"]},
                )
            )
        return sections
