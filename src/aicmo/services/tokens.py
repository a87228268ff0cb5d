"""API tokens: created once, stored as a keyed hash (HMAC-SHA256 with the server's token key, so a
leaked table or a planted row is useless without the key), resolved to a Principal on every request.

Tokens stored before keyed hashes (plain SHA-256) keep working: the first time one is used its row
is re-hashed with the key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import SecretStr

from aicmo.domain.errors import Invalid, NotFound, Unauthorized
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.resources import TokenCreate, TokenIssued, TokenPublic
from aicmo.services import audit
from aicmo.services.access import require_admin
from aicmo.services.context import new_id
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import ApiTokenRow

TOKEN_PREFIX = "aicmo_"
SYSTEM_ADMIN = Principal(name="cli", role=Role.ADMIN)


def hash_token(token: str, key: bytes) -> str:
    return hmac.new(key, token.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()


def _legacy_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def to_public(row: ApiTokenRow) -> TokenPublic:
    return TokenPublic.model_validate(row, from_attributes=True)


def create_token(uow: UnitOfWork, principal: Principal, data: TokenCreate, *, key: bytes) -> TokenIssued:
    require_admin(principal)
    if data.role is Role.CLIENT_REVIEWER:
        if not data.client_id:
            raise Invalid(
                "a client reviewer token must be bound to a client",
                [{"field": "client_id", "message": "required for role client_reviewer"}],
            )
        if uow.clients.get(data.client_id) is None:
            raise Invalid(
                "unknown client", [{"field": "client_id", "message": f"no client {data.client_id}"}]
            )
    elif data.client_id:
        raise Invalid(
            "only client_reviewer tokens are bound to a client",
            [{"field": "client_id", "message": f"not allowed for role {data.role.value}"}],
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = uow.tokens.create(
        id=new_id("tk"),
        name=data.name,
        role=data.role.value,
        client_id=data.client_id,
        token_hash=hash_token(token, key),
        prefix=token[: len(TOKEN_PREFIX) + 6],
    )
    audit.record(
        uow, principal, "token.create", client_id=data.client_id, comment=f"{data.name} ({data.role})"
    )
    uow.commit()
    return TokenIssued(**to_public(row).model_dump(), token=token)


def list_tokens(
    uow: UnitOfWork, principal: Principal, *, limit: int = 50, offset: int = 0
) -> Page[TokenPublic]:
    require_admin(principal)
    rows, count = uow.tokens.list(limit=limit, offset=offset)
    return Page[TokenPublic](data=[to_public(r) for r in rows], count=count)


def revoke_token(uow: UnitOfWork, principal: Principal, token_id: str) -> TokenPublic:
    require_admin(principal)
    row = uow.tokens.get(token_id)
    if row is None:
        raise NotFound(f"token {token_id} not found")
    row.revoked_at = row.revoked_at or datetime.now(UTC)
    audit.record(uow, principal, "token.revoke", client_id=row.client_id, comment=row.name)
    uow.commit()
    return to_public(row)


def authenticate(uow: UnitOfWork, token: str, *, admin_token: SecretStr | None, key: bytes) -> Principal:
    """The principal behind `token`, or Unauthorized. The bootstrap admin token is never stored.

    Any string is a valid input (a header may carry non-ASCII bytes): it is compared as bytes.
    """
    if not token:
        raise Unauthorized("missing API token: send 'Authorization: Bearer <token>'")
    given = token.encode("utf-8", "surrogateescape")
    if admin_token is not None and hmac.compare_digest(given, admin_token.get_secret_value().encode("utf-8")):
        return Principal(name="bootstrap-admin", role=Role.ADMIN)
    keyed = hash_token(token, key)
    row = uow.tokens.by_hash(keyed)
    if row is None:
        row = uow.tokens.by_hash(_legacy_hash(token))
        if row is not None and row.revoked_at is None:  # a token from before keyed hashes
            row.token_hash = keyed
            uow.commit()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("invalid or revoked API token")
    return Principal(name=row.name, role=Role(row.role), client_id=row.client_id, token_id=row.id)
