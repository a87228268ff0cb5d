"""The asset ZIP: every approved artifact as Markdown and JSON, the calendar for schedulers and
calendar apps, per-platform post sheets, creative briefs, the PDF and deck when given, and a
manifest with the SHA-256 of every file.

The archive is deterministic: the same package (and the same PDF/PPTX bytes) gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from aicmo.adapters.exporters.calendar_files import calendar_csv, calendar_ics, platform_csvs
from aicmo.adapters.exporters.markdown import artifact_json, artifact_markdown
from aicmo.adapters.exporters.text import module_label, platform_label
from aicmo.adapters.exporters.view import ReportView
from aicmo.domain.schemas.creatives import Creatives
from aicmo.domain.schemas.execution import ReelScript
from aicmo.domain.schemas.export import ExportManifest, ExportPackage, ManifestFile

PDF_NAME = "report.pdf"
PPTX_NAME = "deck.pptx"
MANIFEST_NAME = "manifest.json"


# ---- creative briefs -------------------------------------------------------------------------------
def image_prompts_markdown(view: ReportView, creatives: Creatives | None) -> str:
    lines = [f"# Image prompts — {view.client}", ""]
    if creatives:
        for n, p in enumerate(creatives.image_prompts, start=1):
            lines += [f"## {n}. {p.pillar} ({p.aspect_ratio})", "", p.prompt, ""]
            if p.negative_prompt:
                lines += [f"**Avoid:** {p.negative_prompt}", ""]
    per_post = [post for post in (view.execution.posts if view.execution else []) if post.image_prompt]
    if per_post:
        lines += ["## Per-post prompts", ""]
        for post in per_post:
            lines += [
                f"- **{post.id}** ({platform_label(post.platform)}, {post.format}): {post.image_prompt}"
            ]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def video_scripts_markdown(view: ReportView, creatives: Creatives | None) -> str:
    lines = [f"# Video scripts — {view.client}", ""]
    reels = view.execution.reel_scripts if view.execution else []
    scripts = [*(creatives.video_scripts if creatives else []), *reels]
    for script in scripts:
        lines += [
            f"## {script.title}",
            "",
            *([f"- **For post:** {script.post_id}"] if isinstance(script, ReelScript) else []),
            f"- **Platform:** {platform_label(script.platform)}",
            f"- **Length:** {script.duration_s} seconds",
            f"- **Hook:** {script.hook}",
            "",
            "### Beats",
            "",
            *(f"{n}. {beat}" for n, beat in enumerate(script.beats, start=1)),
            "",
        ]
        if script.on_screen_text:
            lines += ["### On-screen text", "", *(f"- {line}" for line in script.on_screen_text), ""]
        lines += [f"**Call to action:** {script.cta}", ""]
    return "\n".join(lines).rstrip() + "\n"


def readme_markdown(view: ReportView, names: list[str]) -> str:
    described = {
        PDF_NAME: "the client report",
        PPTX_NAME: "the presentation deck with speaker notes",
        "calendar.csv": "every post with local date and time, for bulk schedulers",
        "calendar.ics": "every post as a calendar event (times in UTC), for calendar apps",
        MANIFEST_NAME: "artifact versions and the SHA-256 of every file",
    }
    lines = [
        f"# {view.client} — {view.engagement}",
        "",
        f"Campaign period {view.period}. Local times are in {view.package.timezone}. "
        f"Prepared {view.prepared}" + (f" by {view.prepared_by}." if view.prepared_by else "."),
        "",
        "## Contents",
        "",
    ]
    for name in sorted(names):
        folder = name.split("/")[0]
        if name in described:
            note = described[name]
        elif name.startswith("posts/"):
            note = "ready-to-paste captions for one platform"
        elif name.startswith("creatives/"):
            note = "production brief"
        else:
            note = f"{module_label(folder).lower()} (approved version)"
        lines.append(f"- `{name}`: {note}")
    return "\n".join(lines) + "\n"


# ---- assembly --------------------------------------------------------------------------------------
def bundle_files(package: ExportPackage, *, pdf: bytes | None, pptx: bytes | None) -> dict[str, bytes]:
    """Every file of the bundle except the manifest, by archive path."""
    view = ReportView(package)
    files: dict[str, bytes] = {}
    for module in dict.fromkeys(a.type for a in package.artifacts):
        artifact = package.artifact(module)
        if artifact is None:
            continue
        folder = module.value
        files[f"{folder}/{folder}.md"] = artifact_markdown(artifact, client_name=package.client_name).encode()
        files[f"{folder}/{folder}.json"] = artifact_json(artifact)
    if view.execution:
        files["calendar.csv"] = calendar_csv(view)
        files["calendar.ics"] = calendar_ics(view)
        for platform, data in platform_csvs(view).items():
            files[f"posts/{platform}.csv"] = data
    creatives = view.creatives
    if creatives or (view.execution and any(p.image_prompt for p in view.execution.posts)):
        files["creatives/image_prompts.md"] = image_prompts_markdown(view, creatives).encode()
    if creatives or (view.execution and view.execution.reel_scripts):
        files["creatives/video_scripts.md"] = video_scripts_markdown(view, creatives).encode()
    if pdf is not None:
        files[PDF_NAME] = pdf
    if pptx is not None:
        files[PPTX_NAME] = pptx
    files["README.md"] = readme_markdown(view, [*files, MANIFEST_NAME]).encode()
    return files


def _zip_time(value: datetime) -> tuple[int, int, int, int, int, int]:
    t = value.replace(tzinfo=None)
    return (max(1980, t.year), t.month, t.day, t.hour, t.minute, t.second - t.second % 2)


def render_zip(
    package: ExportPackage, *, pdf: bytes | None = None, pptx: bytes | None = None
) -> tuple[bytes, ExportManifest]:
    """The asset bundle as ZIP bytes, and the manifest written into it as manifest.json."""
    files = bundle_files(package, pdf=pdf, pptx=pptx)
    manifest = ExportManifest.build(
        package, [ManifestFile.of(name, data) for name, data in sorted(files.items())]
    )
    files[MANIFEST_NAME] = (manifest.model_dump_json(indent=2) + "\n").encode()
    when = package.generated_at
    stamp = _zip_time(when.astimezone(package.tz) if when.tzinfo else when)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name in (PDF_NAME, PPTX_NAME) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue(), manifest
