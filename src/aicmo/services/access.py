"""Access checks every service applies before it reads or writes (roles in domain.roles)."""

from __future__ import annotations

from aicmo.domain.errors import Forbidden, NotFound
from aicmo.domain.roles import Principal


def require_write(principal: Principal) -> None:
    if not principal.can_write:
        raise Forbidden(f"role {principal.role.value} may not change anything")


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("only an admin may do this")


def require_staff(principal: Principal) -> None:
    """The agency's own people (admin, operator, viewer): a client reviewer sees its client's work,
    never how the installation runs (system status, sentinels)."""
    if not principal.sees_all_clients:
        raise Forbidden(f"role {principal.role.value} may not see the system's state")


def require_client(principal: Principal, client_id: str, what: str = "client") -> None:
    """Reviewers bound to another client get 'not found': existence is not revealed."""
    if not principal.can_read_client(client_id):
        raise NotFound(f"{what} not found")


def client_scope(principal: Principal) -> list[str] | None:
    """The client ids a principal may list, or None for all."""
    return None if principal.sees_all_clients else [principal.client_id or ""]
