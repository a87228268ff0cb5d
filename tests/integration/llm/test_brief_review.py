"""The optional LLM review of a brief against the local OpenAI-compatible server (SPEC §3)."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import SAMPLES

from aicmo.adapters.llm.offline import OfflineProvider
from aicmo.adapters.llm.openai_compat import OpenAICompatProvider
from aicmo.services.generation import validate_brief
from aicmo.testing.llm_server import ServerHandle

BRIEF: dict[str, Any] = json.loads((SAMPLES / "coffee_ecommerce.json").read_text())


def test_the_reviews_remarks_are_warnings_on_the_fields_they_name(
    llm_server: ServerHandle, provider: OpenAICompatProvider
) -> None:
    llm_server.control(
        replies=[
            {
                "remarks": [
                    {"field": "kpi_targets", "message": "ROAS 4 in the first quarter is ambitious for A$6k."},
                    {
                        "field": "the audience",
                        "message": "Nothing says who approves posts before they go out.",
                    },
                ]
            }
        ]
    )
    result = validate_brief(BRIEF, provider)

    assert result.ok and result.errors == []
    review = [(w.field, w.code) for w in result.warnings if w.code == "llm_review"]
    assert review == [("kpi_targets", "llm_review"), ("", "llm_review")]
    assert result.review is not None and result.review.state == "done"
    assert (result.review.provider, result.review.model, result.review.remarks) == (
        "openai",
        "aicmo-test-model",
        2,
    )
    assert llm_server.stats()["calls"] == 1


def test_a_failing_provider_is_reported_and_the_brief_still_validates(
    llm_server: ServerHandle, provider: OpenAICompatProvider
) -> None:
    llm_server.control(fail_next=["500"] * 10)
    result = validate_brief(BRIEF, provider)

    assert result.ok
    assert not [w for w in result.warnings if w.code == "llm_review"]
    assert result.review is not None and result.review.state == "failed"
    assert "sk-test" not in result.review.detail  # the key never comes back


def test_a_brief_with_errors_is_not_sent_for_review(
    llm_server: ServerHandle, provider: OpenAICompatProvider
) -> None:
    result = validate_brief({**BRIEF, "website": "ftp://saltmarsh"}, provider)
    assert not result.ok
    assert result.review is not None and result.review.state == "skipped"
    assert llm_server.stats()["calls"] == 0


def test_without_an_llm_the_review_says_it_is_off() -> None:
    result = validate_brief(BRIEF, OfflineProvider())
    assert result.review is not None and result.review.state == "off"
    assert "AICMO_LLM_PROVIDER" in result.review.detail
    assert validate_brief(BRIEF).review is None  # not asked for: not mentioned
