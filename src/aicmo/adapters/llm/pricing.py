"""What one model response cost: `genai-prices` by default, prices from settings as an override.

genai-prices knows the published prices of the common providers' models, cached input tokens
included (read from cache at the provider's cache price). Prices set in settings
(`AICMO_LLM_PRICE_*_PER_MTOK`) win when set, and price what genai-prices does not know (a local
model, a fine-tune, a new name); with neither, a call costs 0 and says so in the ledger by its model.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from genai_prices import Usage as PriceUsage
from genai_prices import calc_price
from pydantic_ai.messages import ModelResponse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prices:
    """Configured prices in US dollars per million tokens; cached input defaults to the input price."""

    input_per_mtok: float = 0.0
    output_per_mtok: float = 0.0
    cached_input_per_mtok: float | None = None

    @property
    def configured(self) -> bool:
        return bool(self.input_per_mtok or self.output_per_mtok or self.cached_input_per_mtok)

    def cost(self, input_tokens: int, output_tokens: int, cached_tokens: int = 0) -> float:
        """`input_tokens` counts every prompt token, the `cached_tokens` read from cache among them."""
        cached = min(max(cached_tokens, 0), input_tokens)
        cached_price = (
            self.input_per_mtok if self.cached_input_per_mtok is None else self.cached_input_per_mtok
        )
        total = (input_tokens - cached) * self.input_per_mtok + cached * cached_price
        return round((total + output_tokens * self.output_per_mtok) / 1e6, 6)


def published_cost(
    model: str, input_tokens: int, output_tokens: int, cached_tokens: int = 0, provider: str | None = None
) -> float | None:
    """The model's published price for this usage (genai-prices), or None for a model it does not know.

    With a `provider` ('openai' for any OpenAI-compatible endpoint, 'anthropic') only that provider's
    list is read: a local model named like a hosted one is not priced as someone else's service.
    """
    usage = PriceUsage(
        input_tokens=input_tokens, cache_read_tokens=cached_tokens or None, output_tokens=output_tokens
    )
    try:
        return round(float(calc_price(usage, model, provider_id=provider).total_price), 6)
    except LookupError:
        return None


def response_cost(response: ModelResponse, prices: Prices, model: str = "") -> float:
    """The cost of one response: configured prices when set, else the published ones, else 0."""
    usage = response.usage
    cached = usage.cache_read_tokens
    if prices.configured:
        return prices.cost(usage.input_tokens, usage.output_tokens, cached)
    name = response.model_name or model
    if not name:
        return 0.0
    cost = published_cost(name, usage.input_tokens, usage.output_tokens, cached, response.provider_name)
    if cost is None:
        log.debug("no published price for model %s: set AICMO_LLM_PRICE_*_PER_MTOK to price it", name)
        return 0.0
    return cost
