"""Route dependencies: the wired App, a unit of work per request, the authenticated principal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from aicmo.bootstrap import App
from aicmo.domain.roles import Principal
from aicmo.services import keys, tokens
from aicmo.services.unit_of_work import UnitOfWork

bearer = HTTPBearer(auto_error=False, description="An AICMO API token (`aicmo token create`).")


def get_app(request: Request) -> App:
    return request.app.state.aicmo


AppDep = Annotated[App, Depends(get_app)]


def get_uow(app: AppDep) -> Iterator[UnitOfWork]:
    with app.uow() as uow:
        yield uow


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def get_principal(
    app: AppDep,
    uow: UowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    token = credentials.credentials if credentials else ""
    return tokens.authenticate(
        uow, token, admin_token=app.settings.admin_token, key=keys.token_key(app.settings)
    )


PrincipalDep = Annotated[Principal, Depends(get_principal)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
