"""ExportPackage: validation and typed access to the artifacts it carries."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from aicmo.adapters.exporters.theme import Theme, contrast
from aicmo.domain.artifacts import ArtifactStatus, Module
from aicmo.domain.schemas.export import ExportArtifact, ExportPackage
from aicmo.domain.schemas.strategy import Strategy


def minimal(**changes: object) -> ExportPackage:
    data = {
        "client_name": "Acme",
        "engagement_name": "Launch",
        "period_start": date(2026, 1, 5),
        "period_end": date(2026, 2, 1),
    }
    return ExportPackage.model_validate({**data, **changes})


def test_brand_colours_are_normalised() -> None:
    assert minimal(brand_colors=["#abc", "0b4f6c"]).brand_colors == ["#AABBCC", "#0B4F6C"]


@pytest.mark.parametrize(
    "changes",
    [
        {"brand_colors": ["teal"]},
        {"timezone": "Mars/Olympus"},
        {"period_end": date(2025, 12, 31)},
        {"client_name": ""},
    ],
)
def test_bad_packages_are_refused(changes: dict) -> None:
    with pytest.raises(ValidationError):
        minimal(**changes)


def test_typed_content_comes_back_from_the_artifacts(package: ExportPackage) -> None:
    assert isinstance(package.strategy(), Strategy)
    assert package.intake().client_name == package.client_name
    assert len(package.execution().posts) == 20
    assert package.creatives().brand == "Kestrel"
    assert minimal().strategy() is None


def test_the_newest_version_of_a_type_wins(package: ExportPackage) -> None:
    old = package.artifact(Module.STRATEGY).model_copy(update={"version": 1, "content": {}})
    assert (
        package.model_copy(update={"artifacts": [old, *package.artifacts]}).artifact(Module.STRATEGY).version
        == 2
    )


def test_content_that_does_not_fit_its_schema_is_an_error() -> None:
    broken = ExportArtifact(
        type=Module.STRATEGY, id="s", version=1, status=ArtifactStatus.APPROVED, content={"x": 1}
    )
    with pytest.raises(ValidationError):
        minimal(artifacts=[broken]).strategy()


def test_theme_keeps_text_readable_with_a_light_brand_colour() -> None:
    theme = Theme.from_colours(["#FFE066", "#F4F4F4"])
    assert theme.primary == "#FFE066"
    assert contrast(theme.heading, "#FFFFFF") >= 4.5
    assert contrast(theme.accent, "#FFFFFF") >= 3.0
    assert contrast(theme.on_band, theme.band) >= 4.5
    assert len(theme.palette) == 5 and len(theme.series(8)) == 8
