"""Markdown → safe HTML, and the per-artifact Markdown and JSON exports."""

from __future__ import annotations

import json

from aicmo.adapters.exporters.markdown import (
    artifact_json,
    artifact_markdown,
    content_to_markdown,
    markdown_to_html,
)
from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.schemas.export import ExportArtifact, ExportPackage


def test_raw_html_is_escaped_not_rendered() -> None:
    html = markdown_to_html("Hello <b onclick='x()'>there</b>\n\n<script>alert(1)</script>")
    assert "<b" not in html and "<script" not in html
    assert "&lt;script&gt;" in html


def test_dangerous_links_are_dropped_and_safe_ones_kept() -> None:
    html = markdown_to_html("[bad](javascript:alert(1)) [good](https://example.com/a) [mail](mailto:a@b.co)")
    assert 'href="javascript:' not in html and '<a href="java' not in html
    assert 'href="https://example.com/a"' in html and 'href="mailto:a@b.co"' in html
    assert 'rel="noopener noreferrer"' in html


def test_tables_and_alignment_survive_sanitising() -> None:
    html = markdown_to_html("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in html and "<td" in html
    assert 'style="text-align:right"' in html


def test_headings_shift_to_nest_inside_a_section() -> None:
    assert markdown_to_html("# Top\n\n## Sub", heading_offset=2).startswith("<h3>Top</h3>")
    assert "<h6>" in markdown_to_html("##### Deep", heading_offset=3)


def test_artifact_markdown_prefers_the_operators_text(package: ExportPackage) -> None:
    monitoring = package.artifact(Module.MONITORING)
    text = artifact_markdown(monitoring, client_name="Kestrel Cargo Bikes")
    assert text.startswith("# Monitoring — Kestrel Cargo Bikes\n")
    assert "- **Version:** 1" in text and "- **Status:** approved" in text
    assert monitoring.content_markdown.strip() in text


def test_artifact_markdown_falls_back_to_the_structured_content(package: ExportPackage) -> None:
    strategy = package.artifact(Module.STRATEGY)
    text = artifact_markdown(strategy)
    assert "## Icp" in text or "## ICP" in text.upper()
    assert package.strategy().positioning_statement in text
    assert "None" not in text


def test_content_to_markdown_handles_nested_lists_and_empties() -> None:
    text = content_to_markdown(
        {"title": "Plan", "empty": "", "items": [{"name": "A", "tags": ["x", "y"]}, "B"]}
    )
    assert "- **Title:** Plan" in text and "Empty" not in text
    assert "- Name: A" in text and "  - x" in text and "- B" in text


def test_unapproved_artifact_says_so() -> None:
    draft = ExportArtifact(type=Module.STRATEGY, id="a1", version=3, status=ArtifactStatus.FLAGGED_FOR_REVIEW)
    text = artifact_markdown(draft)
    assert "- **Status:** flagged for review" in text and "- **Approved:** not approved" in text


def test_artifact_json_round_trips(package: ExportPackage) -> None:
    artifact = package.artifact(Module.EXECUTION)
    data = artifact_json(artifact)
    assert data.endswith(b"\n")
    assert ExportArtifact.model_validate(json.loads(data)) == artifact
    assert artifact_json(artifact) == data
