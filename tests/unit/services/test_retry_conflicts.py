"""retry_conflicts: an automated caller's write that lost a race is run again in a fresh unit of work."""

from __future__ import annotations

import pytest

from aicmo.domain.errors import Conflict, WriteRace
from aicmo.services.unit_of_work import retry_conflicts


class FakeUow:
    opened = 0

    def __enter__(self) -> FakeUow:
        FakeUow.opened += 1
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def test_runs_again_in_a_fresh_unit_of_work_until_the_write_goes_through() -> None:
    FakeUow.opened = 0
    outcomes = iter([WriteRace("raced"), WriteRace("raced"), "done"])

    def action(_uow: FakeUow) -> str:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert retry_conflicts(FakeUow, action) == "done"  # type: ignore[arg-type]
    assert FakeUow.opened == 3


def test_gives_up_after_the_last_attempt_with_the_conflict() -> None:
    def action(_uow: FakeUow) -> str:
        raise WriteRace("always raced")

    with pytest.raises(WriteRace, match="always raced"):
        retry_conflicts(FakeUow, action, attempts=2)  # type: ignore[arg-type]


def test_other_errors_are_not_retried() -> None:
    calls = []

    def action(_uow: FakeUow) -> str:
        calls.append(1)
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        retry_conflicts(FakeUow, action)  # type: ignore[arg-type]
    assert len(calls) == 1


def test_a_refusal_is_not_retried() -> None:
    """A `Conflict` that is not a lost race (a stale version, a paused plan) says the same again."""
    calls = []

    def action(_uow: FakeUow) -> str:
        calls.append(1)
        raise Conflict("the plan is paused: resume it first")

    with pytest.raises(Conflict, match="paused"):
        retry_conflicts(FakeUow, action)  # type: ignore[arg-type]
    assert calls == [1]
