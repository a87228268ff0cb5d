"""Delivery generator: the client-facing summary of the approved work, what is included and what
happens next. It opens the PDF report, the deck and the asset bundle."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from aicmo.domain.artifacts import Module
from aicmo.domain.channels import channel
from aicmo.domain.plan import required_exports
from aicmo.domain.schemas.delivery import DeliverySummary, IncludedItem, NextStep
from aicmo.domain.schemas.intake import ReportFrequency
from aicmo.services.generators._calendar import engagement_window
from aicmo.services.generators._facts import facts_for
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, table
from aicmo.services.generators._repair import ensure_brand, scrub_model
from aicmo.services.generators._text import human_list, strip_end
from aicmo.services.generators._upstream import creatives_of, execution_of, strategy_of, with_upstream
from aicmo.services.generators.base import GenerationInputs

FIRST_REPORT_DAYS = {ReportFrequency.WEEKLY: 7, ReportFrequency.MONTHLY: 30}


class DeliveryGenerator(SectionedGenerator[DeliverySummary]):
    module: ClassVar[Module] = Module.DELIVERY
    output_type: ClassVar[type[DeliverySummary]] = DeliverySummary

    def plan_offline(self, inputs: GenerationInputs) -> DeliverySummary:
        f = facts_for(inputs.intake)
        strategy = strategy_of(inputs)
        inputs = with_upstream(inputs, Module.STRATEGY, strategy)
        creatives = creatives_of(inputs)
        execution = execution_of(with_upstream(inputs, Module.CREATIVES, creatives))
        start, end = engagement_window(inputs)
        primary = strategy.measurement.kpis[0]
        platforms = human_list(sorted({channel(p.platform).name for p in execution.posts}))
        highlights = [
            f"Positioning: {strategy.positioning_statement}",
            f"Content pillars: {'; '.join(p.name for p in strategy.pillars)}.",
            f"{len(execution.posts)} ready-to-post pieces across {platforms}, {start.isoformat()} to "
            f"{end.isoformat()}.",
            f"Success measure: {primary.name} (target {primary.target}).",
        ]
        if execution.email_sequence:
            highlights.append(f"A {len(execution.email_sequence)}-email sequence for new contacts.")
        included = [
            IncludedItem(
                module="strategy",
                title="Strategy",
                summary="ICP, positioning, messaging, pillars, platform and media plan, measurement.",
                items=len(strategy.pillars),
            ),
            IncludedItem(
                module="creatives",
                title="Creatives",
                summary=f"Brand-kit suggestions, {len(creatives.carousels)} carousel templates, "
                f"{len(creatives.image_prompts)} image prompts, {len(creatives.video_scripts)} video "
                "scripts.",
                items=len(creatives.carousels) + len(creatives.image_prompts) + len(creatives.video_scripts),
            ),
            IncludedItem(
                module="execution",
                title="Content calendar and posts",
                summary=f"{len(execution.posts)} posts with hashtags and image prompts"
                + (f", {len(execution.reel_scripts)} reel scripts" if execution.reel_scripts else "")
                + (f", {len(execution.email_sequence)} e-mails" if execution.email_sequence else "")
                + ".",
                items=len(execution.posts),
            ),
        ]
        first_report = start + timedelta(
            days=FIRST_REPORT_DAYS.get(f.intake.report_frequency, (end - start).days)
        )
        tracking = strategy.measurement.tracking_requirements
        steps = [
            NextStep(
                step="Review and approve this plan and the first two weeks of posts",
                owner=f"{f.brand} ({f.intake.contact_email or 'client lead'})",
                when=f"before {start.isoformat()}",
            ),
            NextStep(
                step=f"Confirm tracking: {strip_end(tracking[1] if len(tracking) > 1 else tracking[0])}",
                owner="Client web team with the agency analytics lead",
                when="week 1",
            ),
            NextStep(
                step="Schedule approved posts in each platform and record live URLs",
                owner="Agency social team",
                when="week 1 onwards",
            ),
            NextStep(
                step=f"First {f.intake.report_frequency.value.lower()} report against {primary.name}",
                owner="Agency account lead",
                when=first_report.isoformat(),
            ),
        ]
        summary = DeliverySummary(
            brand=f.brand,
            title=f"{f.brand}: marketing plan and content pack",
            executive_summary=strategy.executive_summary,
            highlights=highlights,
            included=included,
            exports=[e.value for e in required_exports(f.intake)],
            next_steps=steps,
            reporting=strategy.measurement.reporting,
        )
        return self.repair(summary, inputs)

    def repair(self, content: DeliverySummary, inputs: GenerationInputs) -> DeliverySummary:
        return ensure_brand(scrub_model(content, inputs.intake), inputs.intake, "executive_summary")

    def title(self, content: DeliverySummary) -> str:
        return content.title

    def sections(self, content: DeliverySummary) -> list[Section]:
        c = content
        dump = c.model_dump(mode="json")
        included = table(
            ["Part", "What it contains", "Items"], [[i.title, i.summary, i.items] for i in c.included]
        )
        steps = table(["Next step", "Owner", "When"], [[s.step, s.owner, s.when] for s in c.next_steps])
        return [
            Section(
                "summary",
                "Executive summary",
                f"{c.executive_summary}\n\n{bullets(c.highlights)}",
                {"executive_summary": c.executive_summary, "highlights": c.highlights},
            ),
            Section(
                "included",
                "What's included",
                f"{included}\n\n**Formats:** {', '.join(c.exports)}",
                {"included": dump["included"], "exports": c.exports},
            ),
            Section(
                "next_steps",
                "Next steps",
                f"{steps}\n\n**Reporting:** {c.reporting}",
                {"next_steps": dump["next_steps"], "reporting": c.reporting},
            ),
        ]
