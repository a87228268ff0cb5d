"""One error shape for every failure (SPEC §8), mapped once from the domain's error types."""

from __future__ import annotations

import errno
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from aicmo.domain.errors import (
    AicmoError,
    Conflict,
    Forbidden,
    Gated,
    Invalid,
    NotFound,
    ProviderFailed,
    TooLarge,
    Unauthorized,
    Unavailable,
)
from aicmo.domain.schemas.envelope import Envelope, EnvelopeStatus, ErrorInfo, ErrorType
from aicmo.services.context import current_trace_id

log = logging.getLogger("aicmo.api")

STATUS_CODES: list[tuple[type[AicmoError], int]] = [
    (NotFound, 404),
    (Invalid, 422),
    (Gated, 409),
    (Conflict, 409),
    (Forbidden, 403),
    (Unauthorized, 401),
    (ProviderFailed, 502),
    (TooLarge, 413),
    (Unavailable, 503),
]
# Database errors that say "not now" rather than "bad input": unreachable, timed out, locked, full.
DB_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)
STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO}
RETRY_AFTER_S = "5"

_HTTP_TYPES = {401: ErrorType.UNAUTHORIZED, 403: ErrorType.FORBIDDEN, 404: ErrorType.NOT_FOUND}


def error_response(
    status_code: int, error_type: ErrorType | str, message: str, details: list[Any]
) -> JSONResponse:
    body = Envelope(
        status=EnvelopeStatus.FAILED,
        trace_id=current_trace_id(),
        error=ErrorInfo(type=ErrorType(error_type), message=message, details=details),
    )
    headers = {"WWW-Authenticate": "Bearer"} if status_code == 401 else None
    if status_code == 503:
        headers = {"Retry-After": RETRY_AFTER_S}
    return JSONResponse(body.model_dump(mode="json"), status_code=status_code, headers=headers)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "body")


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    details = []
    for err in errors:
        field = _field_path(tuple(err.get("loc", ())))
        message = err.get("msg", "invalid value")
        if err.get("type") == "extra_forbidden":
            message = f"unknown field '{field.rsplit('.', 1)[-1]}'"
        elif err.get("type") == "missing":
            message = f"{field} is required"
        details.append({"field": field, "message": message, "code": str(err.get("type", "invalid"))})
    return details


def install(app: FastAPI) -> None:
    @app.exception_handler(AicmoError)
    async def _aicmo_error(_: Request, exc: AicmoError) -> JSONResponse:
        status = next((code for kind, code in STATUS_CODES if isinstance(exc, kind)), 500)
        return error_response(status, exc.error_type, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = validation_details(list(exc.errors()))
        fields = ", ".join(d["field"] for d in details[:5])
        return error_response(422, ErrorType.VALIDATION_ERROR, f"invalid input: {fields}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = _HTTP_TYPES.get(exc.status_code, ErrorType.VALIDATION_ERROR)
        if exc.status_code >= 500:
            kind = ErrorType.INTERNAL_ERROR
        return error_response(exc.status_code, kind, str(exc.detail), [])

    @app.exception_handler(sa_exc.SQLAlchemyError)
    async def _database(request: Request, exc: sa_exc.SQLAlchemyError) -> JSONResponse:
        if isinstance(exc, DB_UNAVAILABLE):
            return unavailable(request, exc, "database unavailable")
        if isinstance(exc, sa_exc.DataError):  # a value the database cannot store (the guard catches most)
            log.warning("database refused a value: %s", type(exc.orig or exc).__name__)
            return error_response(
                422, ErrorType.VALIDATION_ERROR, "a value in the request cannot be stored", []
            )
        return await _unexpected(request, exc)

    @app.exception_handler(OSError)
    async def _storage(request: Request, exc: OSError) -> JSONResponse:
        if exc.errno in STORAGE_ERRNOS:
            return unavailable(request, exc, "storage unavailable (disk full or read-only)")
        return await _unexpected(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The record factory stamps the trace id: passing it in `extra` would be a KeyError.
        log.error(
            "unhandled error on %s %s",
            request.method,
            request.url.path,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        return error_response(
            500, ErrorType.INTERNAL_ERROR, f"internal error; quote trace id {current_trace_id()}", []
        )


def unavailable(request: Request, exc: BaseException, what: str) -> JSONResponse:
    """503 with the envelope: the request was fine, a dependency is not; nothing was written."""
    log.warning("%s on %s %s: %s", what, request.method, request.url.path, type(exc).__name__)
    return error_response(
        503,
        ErrorType.SERVICE_UNAVAILABLE,
        f"{what}: try again shortly; quote trace id {current_trace_id()}",
        [],
    )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Envelope, "description": description}
    for code, description in {
        401: "Missing or invalid token",
        403: "Role not allowed",
        404: "Not found",
        409: "Conflict: stale version, illegal transition or gating refusal",
        413: "Request body over the size cap",
        422: "Invalid input; details name each field",
        503: "A dependency (database, disk) is unavailable; retry later",
    }.items()
}
