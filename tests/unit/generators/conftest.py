"""Fixtures for the offline generators: sample and invented briefs, and the generation chain."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.intake import Intake
from aicmo.services.generators import get_generator
from aicmo.services.generators._upstream import with_upstream
from aicmo.services.generators.base import GenerationInputs

_HERE = Path(__file__).resolve()
_CANDIDATES = [_HERE.parents[2] / "fixtures" / "intakes", _HERE.parents[4] / "shared" / "samples" / "intakes"]
SAMPLES_DIR = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])
SAMPLE_NAMES = sorted(p.stem for p in SAMPLES_DIR.glob("*.json"))
CHAIN = (Module.INTAKE, Module.STRATEGY, Module.CREATIVES, Module.EXECUTION, Module.MONITORING)

# Briefs unlike the samples, to show nothing is tuned to them.
INVENTED: dict[str, dict[str, Any]] = {
    "partnerships_no_platforms": {
        "client_name": "Northwind Data Co",
        "website": "https://northwind.example",
        "industry": "B2B software",
        "geography": "Germany",
        "timezone": "Europe/Berlin",
        "primary_offer": "Data pipeline monitoring for mid-size analytics teams",
        "differentiators": "Alerts before dashboards break, setup in an afternoon",
        "target_audience": "Agencies and consultancies that build data stacks for clients",
        "pain_points": "Client dashboards break silently",
        "desired_outcomes": "Fewer escalations and a new revenue line",
        "objective": "Partnerships",
        "tone_voice": "Direct, technical, friendly",
        "start_date": "2027-05-03",
        "duration_weeks": 6,
    },
    "retention_x_only": {
        "client_name": "Pebble Fitness",
        "no_website": True,
        "industry": "Fitness app",
        "geography": "Canada",
        "timezone": "America/Toronto",
        "primary_offer": "Home workout app with 10-minute routines",
        "differentiators": "10-minute routines; coach chat",
        "target_audience": "Busy parents who already subscribe",
        "pain_points": "No time; motivation fades after week three",
        "desired_outcomes": "A habit that sticks",
        "objective": "Retention",
        "tone_voice": "Playful, encouraging",
        "platforms": ["x"],
        "banned_words": ["easy", "guaranteed"],
        "required_disclaimers": ["Consult a doctor before starting any exercise programme."],
        "start_date": "2026-03-02",
        "duration_weeks": 26,
    },
    "email_only_sales": {
        "client_name": "Quill & Ink",
        "website": "https://quill.example",
        "industry": "Stationery retail",
        "geography": "Ireland",
        "timezone": "Europe/Dublin",
        "primary_offer": "Fountain pen starter kits",
        "pricing": "€45 per kit",
        "differentiators": "Hand-tested nibs; free ink refills for a year",
        "target_audience": "Students and young professionals",
        "pain_points": "Cheap pens skip and leak",
        "desired_outcomes": "Handwriting that feels good",
        "objective": "Sales",
        "tone_voice": "Warm, nerdy",
        "platforms": ["email"],
        "banned_words": ["cheap"],
        "kpi_targets": "500 orders by end of quarter; AOV above €60",
        "start_date": "2027-09-06",
        "duration_weeks": 8,
    },
    "awareness_everywhere": {
        "client_name": "Ola Water",
        "website": "https://ola.example",
        "industry": "Nonprofit",
        "geography": "Nairobi, Kenya",
        "timezone": "Africa/Nairobi",
        "primary_offer": "Clean water kiosks run by local women",
        "differentiators": "Solar powered",
        "target_audience": "Donors",
        "pain_points": "Unsafe water",
        "desired_outcomes": "Safe water for every village",
        "objective": "Awareness",
        "tone_voice": "Hopeful",
        "platforms": [
            "instagram",
            "facebook",
            "tiktok",
            "youtube",
            "pinterest",
            "threads",
            "x",
            "linkedin",
            "google_business",
            "email",
        ],
        "start_date": "2027-03-01",
        "duration_weeks": 4,
    },
}


def load_sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def inputs_for(raw: dict[str, Any], **extra: Any) -> GenerationInputs:
    intake = Intake.model_validate(raw)
    if intake.start_date:
        return GenerationInputs.for_intake(intake, extra=extra)
    return GenerationInputs(
        intake=intake, window_start=date(2027, 1, 4), window_end=date(2027, 3, 28), extra=extra
    )


def run_chain(
    inputs: GenerationInputs, modules: tuple[Module, ...] = tuple(Module)
) -> dict[Module, BaseModel]:
    """Generate `modules` in order, each approved output feeding the next as an upstream."""
    out: dict[Module, BaseModel] = {}
    for module in modules:
        content = get_generator(module).plan_offline(inputs)
        out[module] = content
        if module in (Module.STRATEGY, Module.CREATIVES, Module.EXECUTION):
            inputs = with_upstream(inputs, module, content)
    return out


@pytest.fixture(scope="session")
def sample_outputs() -> dict[str, dict[Module, BaseModel]]:
    return {name: run_chain(inputs_for(load_sample(name))) for name in SAMPLE_NAMES}


@pytest.fixture
def chain() -> Callable[..., dict[Module, BaseModel]]:
    return run_chain
