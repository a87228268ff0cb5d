from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.resources import TokenCreate, TokenIssued, TokenPublic
from aicmo.entrypoints.api.deps import AppDep, Limit, Offset, PrincipalDep, UowDep
from aicmo.services import keys, tokens

router = APIRouter(prefix="/tokens", tags=["tokens"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenCreate, app: AppDep, uow: UowDep, principal: PrincipalDep) -> TokenIssued:
    """Admin only. The token is in this answer once; only its keyed hash is stored."""
    return tokens.create_token(uow, principal, body, key=keys.token_key(app.settings))


@router.get("")
def list_tokens(
    uow: UowDep, principal: PrincipalDep, limit: Limit = 50, offset: Offset = 0
) -> Page[TokenPublic]:
    return tokens.list_tokens(uow, principal, limit=limit, offset=offset)


@router.delete("/{token_id}")
def revoke_token(
    token_id: Annotated[str, Path(max_length=64)], uow: UowDep, principal: PrincipalDep
) -> TokenPublic:
    return tokens.revoke_token(uow, principal, token_id)


@router.get("/me")
def whoami(principal: PrincipalDep) -> dict[str, str | None]:
    return {"name": principal.name, "role": principal.role.value, "client_id": principal.client_id}
