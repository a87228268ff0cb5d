"""The quality gate's platform limit counts an X post the way X does (issue 22)."""

from __future__ import annotations

from datetime import date

from tests.unit.generators.conftest import inputs_for, load_sample, run_chain

from aicmo.domain.artifacts import Module
from aicmo.domain.quality import check_quality
from aicmo.domain.schemas.execution import Execution
from aicmo.domain.schemas.intake import Platform


def _too_long(text: str) -> list[str]:
    raw = {**load_sample("saas_hr_leads"), "platforms": ["x"], "duration_weeks": 2}
    inputs = inputs_for(raw)
    execution: Execution = run_chain(inputs, (Module.STRATEGY, Module.CREATIVES, Module.EXECUTION))[
        Module.EXECUTION
    ]  # type: ignore[assignment]
    posts = list(execution.posts)
    assert posts[0].platform == Platform.X
    posts[0] = posts[0].model_copy(update={"text": f"{inputs.intake.client_name}: {text}", "hashtags": []})
    changed = execution.model_copy(update={"posts": posts})
    start, end = date.fromisoformat(execution.window_start), date.fromisoformat(execution.window_end)
    findings = check_quality(Module.EXECUTION, changed, inputs.intake, start, end)
    return [f.message for f in findings if f.code == "too_long"]


def test_a_long_link_counts_23_on_x() -> None:
    text = "read the guide https://northwind.com/guides/" + "x" * 300
    assert len(text) > 280
    assert _too_long(text) == []


def test_cjk_and_emoji_count_double_on_x() -> None:
    messages = _too_long("東京" * 60 + "😀" * 20)  # 160 characters, 280+ weighted
    assert messages and "weighted characters" in messages[0]


def test_repair_shortens_an_x_post_that_only_its_weight_makes_too_long() -> None:
    from aicmo.services.generators._repair import overflow, shorten

    text = "東京のカフェ。" * 25 + "\n\nBook a tasting"  # 190 characters, 365 weighted
    assert len(text) < 280 and overflow(Platform.X, text, []) > 0
    fixed, tags = shorten(Platform.X, text, ["#東京"], "Book a tasting", [])
    assert overflow(Platform.X, fixed, tags) <= 0
    assert fixed.startswith("東京のカフェ") and fixed.endswith("\n\nBook a tasting")  # the CTA stays
