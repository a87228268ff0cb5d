"""Fixtures for the pure domain tests: the sample briefs as raw JSON and as validated intakes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aicmo.domain.schemas.intake import Intake

_HERE = Path(__file__).resolve()
_CANDIDATES = [_HERE.parents[2] / "fixtures" / "intakes", _HERE.parents[4] / "shared" / "samples" / "intakes"]
SAMPLES_DIR = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])
SAMPLE_NAMES = sorted(p.stem for p in SAMPLES_DIR.glob("*.json"))


def load_sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(params=SAMPLE_NAMES)
def sample_raw(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load_sample(request.param)


@pytest.fixture
def sample_intake(sample_raw: dict[str, Any]) -> Intake:
    return Intake.model_validate(sample_raw)


@pytest.fixture
def saas_raw() -> dict[str, Any]:
    return load_sample("saas_hr_leads")


@pytest.fixture
def hiring_raw() -> dict[str, Any]:
    return load_sample("hospital_hiring")
