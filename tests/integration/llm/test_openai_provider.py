"""OpenAICompatProvider over real HTTP to the local test server: output, faults, retries, usage, secrets."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

import pytest
from pydantic import BaseModel, Field
from tests.integration.llm.conftest import API_KEY, BACKOFF_BASE_S, MAX_RETRIES, SleepRecorder, llm_settings

from aicmo.adapters.llm.base import GenerationTask
from aicmo.adapters.llm.openai_compat import OpenAICompatProvider
from aicmo.adapters.llm.registry import build_provider, llm_status
from aicmo.domain.errors import ProviderFailed
from aicmo.testing.llm_server import ServerHandle


class Channel(BaseModel):
    platform: str = Field(min_length=2)
    posts_per_week: int = Field(ge=1, le=14)


class MiniPlan(BaseModel):
    """A tiny stand-in for a generator's content model."""

    headline: str = Field(min_length=3, max_length=120)
    launch: date
    channels: list[Channel] = Field(min_length=1)


def mini_task(
    prompt: str = "Write the launch plan for Kestrel Cargo Bikes as JSON.",
) -> GenerationTask[MiniPlan]:
    return GenerationTask(
        module="mini",
        system="You are a senior marketing strategist for Kestrel Cargo Bikes.",
        prompt=prompt,
        output_type=MiniPlan,
        offline=lambda: MiniPlan(
            headline="Test-ride a cargo bike",
            launch=date(2026, 3, 2),
            channels=[Channel(platform="x", posts_per_week=3)],
        ),
    )


@pytest.mark.parametrize(("output_mode", "server_mode"), [("tool", "tools"), ("native", "json_schema")])
def test_returns_validated_output_when_server_answers(
    settings, llm_server: ServerHandle, output_mode: str, server_mode: str
) -> None:
    provider = build_provider(settings, output_mode=output_mode)

    result = provider.generate(mini_task())

    assert isinstance(result.output, MiniPlan)
    assert result.output.channels and result.output.channels[0].posts_per_week >= 1
    assert (result.provider, result.model, result.attempts) == ("openai", "aicmo-test-model", 1)
    assert result.latency_s > 0
    assert llm_server.stats()["modes"] == {server_mode: 1}


def test_returns_queued_reply_when_one_is_scripted(provider: OpenAICompatProvider, llm_server) -> None:
    scripted = {"headline": "Ride before you buy", "launch": "2026-03-02", "channels": []}
    scripted["channels"] = [{"platform": "instagram", "posts_per_week": 4}]
    llm_server.control(replies=[scripted])

    result = provider.generate(mini_task())

    assert result.output.model_dump(mode="json") == scripted


def test_returns_the_planners_content_when_task_comes_from_a_real_generator(provider, llm_server) -> None:
    try:
        from aicmo.services.generators import get_generator
    except ImportError:
        pytest.skip("aicmo.services.generators.get_generator is not available yet")
    from aicmo.domain.artifacts import Module
    from aicmo.domain.schemas.intake import Intake
    from aicmo.services.generators.base import GenerationInputs

    intake = Intake(
        client_name="Kestrel Cargo Bikes",
        website="https://kestrel-bikes.example",
        industry="E-bikes and cargo bikes",
        geography="Bristol, UK",
        timezone="Europe/London",
        primary_offer="Free 48-hour home test ride of an electric cargo bike",
        differentiators="Local workshop, lifetime servicing, family-tested models",
        target_audience="Parents in Bristol with one or two children under eight",
        pain_points="School run traffic, parking, cost of a second car",
        desired_outcomes="Book a test ride, then buy or lease a cargo bike",
        objective="Leads",
        tone_voice="Warm, practical, lightly witty",
        start_date=date(2026, 3, 2),
        duration_weeks=6,
        platforms=["instagram", "facebook"],
    )
    inputs = GenerationInputs.for_intake(intake)
    generator = get_generator(Module.STRATEGY)

    result = provider.generate(generator.task(inputs))

    expected = generator.plan_offline(inputs).model_dump(mode="json")
    assert result.output.model_dump(mode="json") == expected
    assert llm_server.stats()["modules"] == {"strategy": 1}


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        ("429", "rate_limit"),
        ("500", "server_error"),
        ("503", "server_error"),
        ("timeout", "timeout"),
        ("bad_json", "invalid_json"),
        ("schema_invalid", "schema_invalid"),
    ],
)
def test_retries_and_succeeds_when_one_fault_is_injected(
    provider, llm_server: ServerHandle, sleeps: SleepRecorder, fault: str, kind: str, caplog
) -> None:
    llm_server.control(fail_next=[fault])

    with caplog.at_level(logging.WARNING, logger="aicmo.llm"):
        result = provider.generate(mini_task())

    assert isinstance(result.output, MiniPlan)
    assert result.attempts == 2
    assert len(sleeps.delays) == 1
    stats = llm_server.stats()
    assert stats["calls"] == 2 and stats["faults"] == {fault: 1}
    assert f"({kind})" in caplog.text


def test_backs_off_exponentially_between_attempts(provider, llm_server, sleeps: SleepRecorder) -> None:
    llm_server.control(fail_next=["429", "500", "bad_json"])

    result = provider.generate(mini_task())

    assert result.attempts == 4
    expected = [BACKOFF_BASE_S, 2 * BACKOFF_BASE_S, 4 * BACKOFF_BASE_S]
    assert len(sleeps.delays) == 3
    for delay, base in zip(sleeps.delays, expected, strict=True):
        assert base <= delay <= base * 1.1 + 1e-9  # at most 10 % jitter


def test_raises_provider_failed_with_attempts_when_retries_are_exhausted(
    provider, llm_server: ServerHandle
) -> None:
    attempts = MAX_RETRIES + 1
    llm_server.control(fail_next=["500", "429", "timeout", "schema_invalid"][:attempts] + ["500"] * 5)
    outputs: list[MiniPlan] = []

    with pytest.raises(ProviderFailed) as raised:
        outputs.append(provider.generate(mini_task()).output)

    assert outputs == []
    detail = raised.value.details[0]
    assert detail["attempts"] == attempts
    assert detail["last_error_kind"] == "schema_invalid"
    assert detail["error_kinds"] == ["server_error", "rate_limit", "timeout", "schema_invalid"]
    assert f"after {attempts} attempts" in str(raised.value)
    assert raised.value.error_type == "PROVIDER_ERROR"
    assert llm_server.stats()["calls"] == attempts


def test_fails_after_one_attempt_when_the_key_is_rejected(llm_server, sleeps) -> None:
    wrong_key = "sk-wrong-key-should-never-be-printed"
    provider = build_provider(llm_settings(llm_server.base_url, llm_api_key=wrong_key), sleep=sleeps)

    with pytest.raises(ProviderFailed) as raised:
        provider.generate(mini_task())

    assert raised.value.details[0]["attempts"] == 1
    assert raised.value.details[0]["last_error_kind"] == "auth"
    assert sleeps.delays == []
    assert wrong_key not in str(raised.value) and wrong_key not in repr(raised.value.details)
    assert llm_server.stats()["auth_failures"] == 1


def test_records_usage_and_cost_of_every_billed_response(provider, llm_server) -> None:
    clean = provider.generate(mini_task())
    assert clean.usage.requests == 1
    assert clean.usage.input_tokens > 0 and clean.usage.output_tokens > 0
    prices = (2.5, 10.0)  # per million tokens, from the settings fixture
    expected_cost = (clean.usage.input_tokens * prices[0] + clean.usage.output_tokens * prices[1]) / 1e6
    assert clean.usage.cost_usd == pytest.approx(expected_cost, abs=1e-6)

    llm_server.control(fail_next=["schema_invalid", "500"])  # the rejected answer was billed; the 500 was not
    retried = provider.generate(mini_task())

    assert retried.attempts == 3
    assert retried.usage.requests == 2
    assert retried.usage.input_tokens == 2 * clean.usage.input_tokens
    assert retried.usage.cost_usd > clean.usage.cost_usd


def test_sends_the_api_key_but_never_shows_it(llm_server, settings, sleeps, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    provider = build_provider(settings, sleep=sleeps)
    assert provider.generate(mini_task()).attempts == 1  # the server requires the key: it was sent
    assert llm_server.stats()["auth_failures"] == 0

    llm_server.control(fail_next=["401"])
    with pytest.raises(ProviderFailed) as raised:
        provider.generate(mini_task())
    llm_server.control(fail_next=["500"] * 10)
    with pytest.raises(ProviderFailed) as exhausted:
        provider.generate(mini_task())

    texts = [
        str(raised.value),
        repr(raised.value),
        str(raised.value.details),
        str(exhausted.value),
        str(exhausted.value.details),
        repr(provider.status()),
        repr(vars(provider)),
        provider.status(probe=True).model_dump_json(),
        llm_status(settings, probe=True).model_dump_json(),
        repr(settings),
        caplog.text,
    ]
    assert all(API_KEY not in text for text in texts)


def test_status_reports_reachable_or_unreachable_when_probed(llm_server, settings) -> None:
    assert llm_status(settings).state == "configured"
    reachable = llm_status(settings, probe=True)
    assert reachable.state == "reachable"
    assert reachable.base_url == llm_server.base_url

    wrong_key = llm_status(llm_settings(llm_server.base_url, llm_api_key="sk-nope"), probe=True)
    assert wrong_key.state == "unreachable" and "401" in wrong_key.detail

    closed = llm_status(llm_settings("http://127.0.0.1:9/v1"), probe=True)
    assert closed.state == "unreachable" and "cannot reach" in closed.detail


def test_status_masks_credentials_in_the_base_url() -> None:
    status = llm_status(llm_settings("https://user:hunter2@llm.example/v1?api_key=abc"))
    assert "hunter2" not in status.base_url and "abc" not in status.base_url
    assert status.state == "configured"


def test_works_when_called_from_inside_a_running_event_loop(provider) -> None:
    async def call_from_async_code() -> MiniPlan:
        return provider.generate(mini_task()).output

    assert isinstance(asyncio.run(call_from_async_code()), MiniPlan)


@pytest.mark.parametrize("output_mode", ["tool", "native"])
def test_warm_up_sends_nothing_and_the_first_call_then_works(settings, llm_server, output_mode: str) -> None:
    provider = build_provider(settings, output_mode=output_mode)

    provider.warm_up()  # builds the client and primes the SDK's response models offline
    assert llm_server.stats()["calls"] == 0

    assert isinstance(provider.generate(mini_task()).output, MiniPlan)
    assert llm_server.stats()["calls"] == 1
