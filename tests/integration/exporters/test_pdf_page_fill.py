"""The PDF's sample posts leave no half-empty pages (issue 15): a post card that does not fit the
rest of a page continues on the next one instead of moving there whole. Checked on the rendered
pages (pdftoppm): every page of the posts chapter but its last is inked down to near its foot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from aicmo.adapters.exporters.pdf import render_pdf
from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.export import ExportPackage

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")

LONG = (
    "\n\nWhat a test ride looks like: forty-five minutes on the Bristol hills with a mechanic beside you, "
    "a child seat fitted if you bring your own child, and the route you would ride on a school morning."
    "\n\nWhat people ask first: whether it fits in a terraced hallway (the Haul does, with the stand "
    "folded), how far a charge goes (about fifty miles with a full load), and who fixes it (we do, "
    "in the same week, with a loan bike while yours is in the shop)."
    "\n\nBook a slot this week and bring the questions you have; the bike will answer most of them."
)


def with_long_posts(package: ExportPackage) -> ExportPackage:
    artifacts = []
    for artifact in package.artifacts:
        if artifact.type is Module.EXECUTION:
            content = dict(artifact.content)
            content["posts"] = [p | {"text": p["text"] + LONG} for p in content["posts"]]
            artifact = artifact.model_copy(update={"content": content})
        artifacts.append(artifact)
    return package.model_copy(update={"artifacts": artifacts})


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return text.stdout.split("\f")


def inked_to(png: Path) -> float:
    """How far down the page's body (between the running header and the footer) ink reaches, 0..1."""
    page = Image.open(png).convert("L")
    width, height = page.size
    top, bottom = int(height * 0.08), int(height * 0.92)  # the running header and the footer
    last = top
    for y in range(top, bottom):
        if min(page.getpixel((x, y)) for x in range(0, width, 2)) < 200:
            last = y
    return (last - top) / (bottom - top)


def test_no_half_empty_page_among_the_sample_posts(package: ExportPackage, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(with_long_posts(package)))
    texts = page_texts(pdf)
    posts_pages = [n for n, text in enumerate(texts, start=1) if "SAMPLE POSTS" in text.upper()[:200]]
    assert len(posts_pages) >= 3, posts_pages  # long posts: the chapter runs over several pages
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    fill = {n: round(inked_to(pngs[n - 1]), 2) for n in posts_pages[:-1]}  # the chapter's last may end early
    assert all(f >= 0.85 for f in fill.values()), fill
