"""Issue 15, must show 1: eight unseen briefs through `aicmo pipeline` offline, each checked against the
expectations table written before the code (`tests/fixtures/briefs/expected/<name>.json`):
the business model, the primary KPI, calls to action that fit and that must never appear, forbidden
claims, the disclosure on every asset, the compliance review job, links for clients without a
website, observances in the window; plus 0 dangling phrases and 0 chopped hashtags everywhere.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from aicmo.domain.playbooks import business_model, forbidden_phrases_in, playbook
from aicmo.domain.quality import iter_strings
from aicmo.domain.schemas.intake import Intake
from tests.cli.test_pipeline import run

pytestmark = pytest.mark.slow  # runs `aicmo` subprocesses: started first in CI (tests/conftest.py)

BRIEFS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "briefs"
NAMES = sorted(p.stem for p in BRIEFS_DIR.glob("*.json"))
MODULES = ("strategy", "creatives", "execution")
# A sentence ending on a word that needs something after it ("families and."); a stranded
# preposition ("Who is it for?", "people you would work with.") is English, not a cut.
DANGLING = re.compile(r"\b(and|or|but|nor|the|a|an|your|our|their|its)[.!?:;,](?=\s|$)")
CHOPPED = re.compile(r"#\w*?(And|With|Or|Of|The|For|To|At|From|By|In|Your|Our)$")
SITE_LINK = re.compile(
    r"https?://(?!(?:www\.)?(?:google\.[a-z.]+/maps|maps\.|instagram|facebook|doordash|ubereats)\S*)\S+"
)
# The one part still to build (issue 15); strict=False: unregulated briefs already pass it.
GENCOPY = pytest.mark.xfail(
    reason="issue 15, copy half (gencopy): CTAs and realisation in posts", strict=False
)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("fixture_briefs")
    found: dict[str, dict[str, Any]] = {}
    for name in NAMES:
        out = root / name
        manifest = run(BRIEFS_DIR / f"{name}.json", out)
        found[name] = {
            "manifest": manifest,
            **{m: json.loads((out / f"{m}.json").read_text()) for m in MODULES},
            **{m: json.loads(p.read_text()) for m in ("compliance",) if (p := out / f"{m}.json").exists()},
            "markdown": "\n".join((out / f"{m}.md").read_text() for m in MODULES),
        }
    return found


def expect(name: str) -> dict[str, Any]:
    return json.loads((BRIEFS_DIR / "expected" / f"{name}.json").read_text())


def intake(name: str) -> Intake:
    return Intake.model_validate_json((BRIEFS_DIR / f"{name}.json").read_text())


def texts(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f"{m}.{path}", text) for m in MODULES for path, text in iter_strings(result[m])]


def test_there_are_at_least_eight_briefs_each_with_an_expectations_table() -> None:
    assert len(NAMES) >= 8
    for name in NAMES:
        table = expect(name)
        assert {"business_model", "primary_kpi", "ctas_fit", "ctas_never", "claims_never"} <= set(table), name


@pytest.mark.parametrize("name", NAMES)
def test_the_business_model_is_the_one_a_strategist_expects(name: str) -> None:
    assert business_model(intake(name)).value == expect(name)["business_model"]


@pytest.mark.parametrize("name", NAMES)
def test_every_module_is_approved_with_no_error_finding(outputs: dict, name: str) -> None:
    manifest = outputs[name]["manifest"]
    statuses = {a["type"]: a["status"] for a in manifest["artifacts"]}
    assert {statuses[m] for m in MODULES} == {"approved"}, (name, statuses)


@pytest.mark.parametrize("name", NAMES)
def test_the_primary_kpi_is_the_briefs_own_target(outputs: dict, name: str) -> None:
    table = expect(name)
    measurement = outputs[name]["strategy"]["measurement"]
    line = f"{measurement['primary_kpi']} {measurement['kpis'][0]['target']}".lower()
    for part in table["primary_kpi"]:
        assert part.lower() in line, (name, line)
    for part in table.get("primary_kpi_never", []):
        assert part.lower() not in line, (name, line)
    assert measurement["kpis"][0]["source"] == "brief", name
    names = {k["name"].strip().lower() for k in measurement["kpis"]}
    for stray in table.get("kpi_rows_never", []):
        assert stray.lower() not in names, (name, names)


@pytest.mark.parametrize("name", NAMES)
def test_no_call_to_action_or_claim_that_must_never_appear(outputs: dict, name: str) -> None:
    table = expect(name)
    never = (
        tuple(table["ctas_never"] + table["claims_never"]) + playbook(table["business_model"]).forbidden_ctas
    )
    found = [(path, hit) for path, text in texts(outputs[name]) for hit in forbidden_phrases_in(text, never)]
    assert found == [], (name, found[:10])


@pytest.mark.parametrize("name", NAMES)
def test_posts_ask_for_the_action_the_business_needs(outputs: dict, name: str) -> None:
    table = expect(name)
    fitting = [c.lower() for c in table["ctas_fit"]] + [
        c.lower() for c in playbook(table["business_model"]).ctas
    ]
    posts = outputs[name]["execution"]["posts"]
    fits = [p for p in posts if any(c in p["cta"].lower() for c in fitting)]
    assert len(fits) >= 0.8 * len(posts), (name, sorted({p["cta"] for p in posts} - {p["cta"] for p in fits}))


@pytest.mark.parametrize("name", NAMES)
def test_regulated_briefs_get_a_compliance_review_job(outputs: dict, name: str) -> None:
    jobs = [j["key"] for j in outputs[name]["manifest"]["jobs"]]
    assert any("compliance" in key for key in jobs) is expect(name)["compliance_review"], (name, jobs)
    # the review ran on the approved content: every check passed, nothing blocks, and it is approved
    # (the offline writer keeps every rule); an unregulated brief gets no review at all
    review = {a["type"]: a for a in outputs[name]["manifest"]["artifacts"]}.get("compliance")
    if not expect(name)["compliance_review"]:
        assert review is None, name
        return
    assert review is not None and review["status"] == "approved" and review["findings"] == [], (name, review)
    content = outputs[name]["compliance"]
    assert all(c["passed"] for c in content["checks"]), (name, content["checks"])
    assert [f for f in content["findings"] if f["severity"] == "blocking"] == [], name
    assert content["assets_reviewed"] > 50 and content["reviewer_notes"], name


@pytest.mark.parametrize("name", NAMES)
def test_the_disclosure_is_on_every_asset(outputs: dict, name: str) -> None:
    table = expect(name)
    disclosure = table["disclosure"]
    if not disclosure:
        return
    execution, creatives = outputs[name]["execution"], outputs[name]["creatives"]
    assets = {f"posts.{p['id']}": p["text"] for p in execution["posts"]}
    assets |= {f"email_sequence.{i}": e["body"] for i, e in enumerate(execution["email_sequence"])}
    for group, items in (("reel_scripts", execution["reel_scripts"]), ("carousels", creatives["carousels"])):
        assets |= {f"{group}.{i}": json.dumps(item, ensure_ascii=False) for i, item in enumerate(items)}
    for i, script in enumerate(creatives["video_scripts"]):
        assets[f"video_scripts.{i}"] = json.dumps(script, ensure_ascii=False)
    missing = [key for key, text in assets.items() if disclosure not in text]
    assert missing == [], (name, missing[:10])


@pytest.mark.parametrize("name", NAMES)
def test_clients_without_a_website_get_no_site_links(outputs: dict, name: str) -> None:
    if not expect(name)["no_site_links"]:
        return
    links = [(path, m.group(0)) for path, text in texts(outputs[name]) for m in SITE_LINK.finditer(text)]
    assert links == [], (name, links[:10])
    tracking = " ".join(t for path, t in texts(outputs[name]) if "tracking" in path).lower()
    for site_only in ("ga4", "website clicks", "web analytics", "purchase event"):
        assert site_only not in tracking, (name, site_only)


@pytest.mark.parametrize("name", NAMES)
def test_the_calendar_uses_the_observances_in_the_window(outputs: dict, name: str) -> None:
    wanted = expect(name).get("observances_any", [])
    if wanted:
        text = json.dumps(outputs[name]["execution"], ensure_ascii=False)
        assert any(w in text for w in wanted), (name, wanted)


@pytest.mark.parametrize("name", NAMES)
def test_no_dangling_phrase_and_no_chopped_hashtag(outputs: dict, name: str) -> None:
    dangling = [(p, m.group(0)) for p, t in texts(outputs[name]) for m in DANGLING.finditer(t)]
    assert dangling == [], (name, dangling[:10])
    tags = [h for post in outputs[name]["execution"]["posts"] for h in post["hashtags"]]
    tags += [h for s in outputs[name]["execution"]["hashtag_sets"] for h in s["hashtags"]]
    assert [h for h in tags if CHOPPED.search(h)] == [], name
