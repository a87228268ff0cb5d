"""LLM cost (issue 22): published prices by default (genai-prices, cached tokens included),
configured prices as the override and the fallback for models with no published price. Real HTTP
to the local OpenAI-compatible server, which reports token usage; the ledger read over the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from genai_prices import Usage, calc_price
from tests.api.helpers import Api
from tests.conftest import SAMPLES, make_settings, migrated
from tests.integration.llm.conftest import API_KEY

from aicmo.adapters.llm.pricing import Prices, published_cost
from aicmo.bootstrap import build_app
from aicmo.entrypoints.api.main import create_app
from aicmo.testing.llm_server import ServerHandle


def _ledger_after_two_generations(tmp_path: Path, llm_server: ServerHandle, **prices: float) -> dict:
    """A brief and a strategy generated through the API with the given LLM settings, then the ledger."""
    url = f"sqlite:///{tmp_path / 'costs.db'}"
    migrated(url)
    settings = make_settings(
        url,
        tmp_path,
        llm_provider="openai",
        llm_base_url=llm_server.base_url,
        llm_api_key=API_KEY,
        llm_model=prices.pop("model", "gpt-4o-mini"),
        **prices,
    )
    app = build_app(settings)
    try:
        with TestClient(create_app(app)) as http:
            api = Api(http)
            _, engagement_id = api.new_engagement("St. Brigid Community Hospital")
            brief = json.loads((SAMPLES / "hospital_hiring.json").read_text())
            body = {"engagement_id": engagement_id, "intake": brief, "auto_approve": True}
            assert api.post("/intake/generate", body)["status"] == "SUCCESS"
            for _ in range(2):  # the second strategy call reads its system prompt from the cache
                envelope = api.post(
                    "/strategy/generate", {"engagement_id": engagement_id, "auto_approve": True}
                )
                assert envelope["status"] == "SUCCESS", envelope
            return api.get("/system/costs", expect=200)
    finally:
        app.close()


def test_a_known_model_costs_its_published_price_with_no_prices_configured(
    tmp_path: Path, llm_server: ServerHandle
) -> None:
    ledger = _ledger_after_two_generations(tmp_path, llm_server)

    strategy = next(line for line in ledger["data"] if line["module"] == "strategy")
    assert strategy["model"] == "gpt-4o-mini"
    assert strategy["calls"] >= 2 and strategy["input_tokens"] > 0
    assert strategy["cost_usd"] > 0
    assert ledger["totals"]["cost_usd"] > 0
    # what the server reported, priced by the published list: the cache hit costs less than a miss
    list_price = calc_price(
        Usage(input_tokens=strategy["input_tokens"], output_tokens=strategy["output_tokens"]), "gpt-4o-mini"
    ).total_price
    # the second call's system prompt was a cache hit, priced at half the input price
    assert strategy["cost_usd"] < float(list_price) - 2e-6


def test_configured_prices_override_and_price_an_unknown_model(
    tmp_path: Path, llm_server: ServerHandle
) -> None:
    ledger = _ledger_after_two_generations(
        tmp_path,
        llm_server,
        model="aicmo-test-model",
        llm_price_input_per_mtok=2.5,
        llm_price_output_per_mtok=10.0,
    )
    line = next(line for line in ledger["data"] if line["module"] == "strategy")
    assert line["model"] == "aicmo-test-model"
    assert line["cost_usd"] == pytest.approx(
        (line["input_tokens"] * 2.5 + line["output_tokens"] * 10) / 1e6, abs=2e-6
    )


def test_an_unknown_model_with_no_prices_costs_nothing_rather_than_a_guess() -> None:
    assert published_cost("aicmo-test-model", 1000, 500) is None
    assert published_cost("gpt-4o-mini", 1_000_000, 0) == pytest.approx(0.15)
    assert published_cost("gpt-4o-mini", 1_000_000, 0, cached_tokens=1_000_000) == pytest.approx(0.075)


@pytest.mark.parametrize(
    ("prices", "expected"),
    [
        (Prices(2.5, 10.0), (600 * 2.5 + 400 * 2.5 + 500 * 10.0) / 1e6),
        (Prices(2.5, 10.0, cached_input_per_mtok=1.25), (600 * 2.5 + 400 * 1.25 + 500 * 10.0) / 1e6),
        (Prices(), 0.0),
    ],
)
def test_configured_prices_charge_cached_tokens_at_the_cache_price(prices: Prices, expected: float) -> None:
    assert prices.cost(1000, 500, cached_tokens=400) == pytest.approx(expected)
