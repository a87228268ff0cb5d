"""Who may do what. Pure rules; the API asks these before calling a service."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    VIEWER = "viewer"
    CLIENT_REVIEWER = "client_reviewer"


@dataclass(frozen=True)
class Principal:
    """The caller behind a token: its role, and for a client reviewer the one client it may see."""

    name: str
    role: Role
    client_id: str | None = None
    token_id: str | None = None

    @property
    def actor(self) -> str:
        return f"{self.role.value}:{self.name}"

    def can_read_client(self, client_id: str) -> bool:
        if self.role is Role.CLIENT_REVIEWER:
            return self.client_id == client_id
        return True

    @property
    def can_write(self) -> bool:
        return self.role in (Role.ADMIN, Role.OPERATOR)

    def can_review_client(self, client_id: str) -> bool:
        """Approve / reject artifacts of `client_id`."""
        if self.role is Role.CLIENT_REVIEWER:
            return self.client_id == client_id
        return self.can_write

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def sees_all_clients(self) -> bool:
        return self.role is not Role.CLIENT_REVIEWER
