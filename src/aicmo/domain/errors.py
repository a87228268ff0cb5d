"""The few error types every layer speaks; the API maps each to one HTTP status and envelope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldIssue:
    """One problem with one input field (dotted path), e.g. `website`: 'not a valid URL'."""

    field: str
    message: str
    code: str = "invalid"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "code": self.code}


@dataclass
class AicmoError(Exception):
    message: str
    details: list[dict[str, Any]] = field(default_factory=list)

    error_type = "INTERNAL_ERROR"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class NotFound(AicmoError):
    error_type = "NOT_FOUND"


class Invalid(AicmoError):
    """Bad input; `details` names each field."""

    error_type = "VALIDATION_ERROR"

    @classmethod
    def from_issues(cls, message: str, issues: list[FieldIssue]) -> Invalid:
        return cls(message, [issue.as_dict() for issue in issues])


class Conflict(AicmoError):
    """The caller acted on a version that is no longer current; nothing was written."""

    error_type = "CONFLICT"


class WriteRace(Conflict):
    """Another writer changed the same rows first and this write was rolled back. A command that
    names no version (run the plan, pause it, switch a job off) can simply run again."""


class InvalidTransition(Conflict):
    error_type = "INVALID_TRANSITION"

    def __init__(self, message: str, *, action: str, status: str) -> None:
        super().__init__(message, [{"action": action, "status": status}])


class Gated(AicmoError):
    """Upstream artifacts are not approved; `details` holds one named reason each."""

    error_type = "GATING_ERROR"


class Forbidden(AicmoError):
    error_type = "FORBIDDEN"


class Unauthorized(AicmoError):
    error_type = "UNAUTHORIZED"


class TooLarge(AicmoError):
    """A request body over the configured cap; nothing was read past it."""

    error_type = "PAYLOAD_TOO_LARGE"


class Unavailable(AicmoError):
    """A dependency (the database, the disk) cannot serve the request now; retrying later may work."""

    error_type = "SERVICE_UNAVAILABLE"


class ProviderFailed(AicmoError):
    """The LLM provider could not produce a valid answer after its retries."""

    error_type = "PROVIDER_ERROR"


class JobCannotRun(Exception):
    """A plan job's failure no retry can fix (a refused delivery, a missing capability): the job
    fails at once instead of being retried."""
