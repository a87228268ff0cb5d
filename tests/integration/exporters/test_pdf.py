"""The PDF report: renders, has real pages, says the right things, and stays safe and fast."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from aicmo.adapters.exporters.pdf import render_html, render_pdf
from aicmo.adapters.exporters.theme import DEFAULT_PALETTE
from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.schemas.export import ExportPackage

poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def squash(text: str) -> str:
    return " ".join(text.split())


def with_artifact(package: ExportPackage, module: Module, **changes: object) -> ExportPackage:
    artifacts = [a.model_copy(update=changes) if a.type is module else a for a in package.artifacts]
    return package.model_copy(update={"artifacts": artifacts})


def test_pdf_is_a_pdf(pdf_bytes: bytes) -> None:
    assert pdf_bytes.startswith(b"%PDF-")
    assert len(pdf_bytes) > 50_000


@poppler
def test_pages_render_to_png_and_there_are_at_least_eight(pdf_bytes: bytes, output_dir: Path) -> None:
    pdf = output_dir / "report.pdf"
    pages_dir = output_dir / "pages"
    shutil.rmtree(pages_dir, ignore_errors=True)
    pages_dir.mkdir()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(pages_dir / "page")], check=True)
    pngs = sorted(pages_dir.glob("page-*.png"))
    assert len(pngs) == page_count(pdf) >= 8
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)


@poppler
def test_text_names_the_client_and_carries_post_copy(pdf_bytes: bytes, output_dir: Path, package) -> None:
    text = squash(pdf_text(output_dir / "report.pdf"))
    assert package.client_name in text
    assert package.engagement_name in text
    first_post = package.execution().posts[0]
    assert squash(first_post.text)[:80] in text
    assert "Ideal customer profile" in text and "Measurement plan" in text
    assert "Appendix: provenance" in text and package.artifacts[1].inputs_hash in text.replace(" ", "")


@poppler
def test_footer_says_page_x_of_y_with_the_client_name(pdf_bytes: bytes, output_dir: Path) -> None:
    pdf = output_dir / "report.pdf"
    total = page_count(pdf)
    page_three = squash(pdf_text(pdf, 3))
    assert f"Page 3 of {total}" in page_three
    assert "Kestrel Cargo Bikes · Spring test-ride campaign 2026" in page_three
    assert "Page 1 of" not in squash(pdf_text(pdf, 1)), "the cover has no footer"


@poppler
def test_contents_page_numbers_point_at_the_right_pages(pdf_bytes: bytes, output_dir: Path) -> None:
    pdf = output_dir / "report.pdf"
    contents = pdf_text(pdf, 2)
    assert "Contents" in contents
    for title, marker in (("Strategy", "Ideal customer profile"), ("Content calendar", "Week 1"),
                          ("Appendix: provenance", "Inputs hash")):  # fmt: skip
        page = int(re.search(rf"{re.escape(title)}\s+(\d+)\s*$", contents, re.M).group(1))
        assert marker in pdf_text(pdf, page), f"{title} is not on page {page}"


def test_brand_colours_drive_the_theme_and_empty_means_default(package: ExportPackage) -> None:
    assert "#0B4F6C" in render_html(package)
    plain = package.model_copy(update={"brand_colors": []})
    plain = with_artifact(
        plain, Module.INTAKE, content={**package.artifact(Module.INTAKE).content, "brand_colors": []}
    )
    assert DEFAULT_PALETTE[0] in render_html(plain)


def test_markdown_from_artifacts_cannot_inject_html(package: ExportPackage) -> None:
    hostile = (
        "## Notes\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    html = render_html(with_artifact(package, Module.MONITORING, content_markdown=hostile))
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html and '<a href="java' not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_unapproved_artifacts_are_called_out_as_a_draft(package: ExportPackage) -> None:
    draft = with_artifact(
        package, Module.STRATEGY, status=ArtifactStatus.REVISED, approved_by=None, approved_at=None
    )
    html = render_html(draft)
    assert "Draft for review — not yet approved: Strategy (v2, revised)" in html


def test_a_package_with_only_a_strategy_still_renders(package: ExportPackage) -> None:
    lean = package.model_copy(
        update={"artifacts": [package.artifact(Module.STRATEGY)], "metrics": [], "brand_colors": []}
    )
    html = render_html(lean)
    assert "Ideal customer profile" in html
    assert "Sample posts" not in html and "Performance" not in html
    assert render_pdf(lean).startswith(b"%PDF-")


def test_no_placeholder_text_reaches_the_report(package: ExportPackage) -> None:
    html = render_html(package).lower()
    for marker in ("lorem", "tbd", "[insert", "todo", "none</"):
        assert marker not in html, marker


def test_the_same_package_renders_to_the_same_bytes(package: ExportPackage, pdf_bytes: bytes) -> None:
    """Rendering is deterministic (the manifest's content hash depends on it); its speed is measured
    by bench/export_times.py, not asserted here."""
    assert render_pdf(package) == pdf_bytes


def test_delivery_summary_leads_and_its_next_steps_close(package: ExportPackage) -> None:
    html = render_html(package)
    delivery = package.delivery()
    assert delivery.executive_summary.replace("'", "&#39;") in html
    assert all(h in html for h in delivery.highlights)
    assert "Kestrel and Northlight · Monday 6 April" in html
    assert "Reel scripts" in html and "post post-05" in html


def test_without_a_delivery_summary_next_steps_are_read_off_the_plan(package: ExportPackage) -> None:
    plain = package.model_copy(
        update={"artifacts": [a for a in package.artifacts if a.type is not Module.DELIVERY]}
    )
    html = render_html(plain)
    assert "Set up tracking" in html and "Schedule the calendar" in html
    assert "Load 20 posts into the scheduler" in html
    assert package.strategy().executive_summary.replace("'", "&#39;") in html


def test_performance_tiles_match_the_console_kpis_and_say_no_data(package: ExportPackage) -> None:
    """The PDF's KPI tiles are the domain's KPIs (the console's and the API's): a figure no row carries
    is "no data" (ROAS without revenue), never 0, and each tile names its row count."""
    from aicmo.adapters.exporters.text import percent
    from aicmo.adapters.exporters.view import ReportView

    rows = package.metrics
    sentiment = [r | {"sentiment": s, "revenue": 900.0} for r, s in zip(rows[:2], (0.5, -0.25), strict=True)]
    measured = package.model_copy(update={"metrics": sentiment + rows[2:]})
    tiles = {t.label: (t.value, t.note) for t in ReportView(measured).metric_tiles}
    impressions = sum(r["impressions"] for r in rows)
    assert tiles["Impressions"][1] == f"{len(rows)} rows"
    rate = sum(r["engagements"] for r in rows) / impressions
    assert tiles["Engagement rate"][0] == percent(rate, locale=ReportView(measured).locale)
    assert tiles["ROAS"] == (f"{1800 / (rows[0]['spend'] + rows[1]['spend']):.2f}x", "2 rows")
    assert tiles["Sentiment (-1 to 1)"] == ("+0.12", "2 rows")
    bare = {t.label: t.value for t in ReportView(package).metric_tiles}
    assert bare["ROAS"] == "no data" and bare["Sentiment (-1 to 1)"] == "no data"
    html = render_html(package)
    assert "no data" in html and "ROAS" in html
