"""The one place where exceptions become HTTP responses.

Every error is JSON ``{"detail": "..."}`` (yente's shape) with a 4xx status that says
whose fault it is; validation errors name the field (``body.queries.q1.schema: ...``).
Only a bug gives a 500, and its body says so without leaking internals.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from hermit.errors import HermitError, ModelError, SourceError, StoreError
from hermit.screening.query import QueryError
from hermit.screening.suppressions import SuppressionError

log = logging.getLogger("hermit.api")


class ApiError(Exception):
    """An error with its status, raised by routers and the service's own checks."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


class NotFound(ApiError):
    def __init__(self, detail: str) -> None:
        super().__init__(404, detail)


class BadRequest(ApiError):
    def __init__(self, detail: str) -> None:
        super().__init__(400, detail)


#: Core errors and the status each maps to (the first that fits wins).
STATUS_OF: tuple[tuple[type[Exception], int], ...] = (
    (QueryError, 400),
    (ModelError, 400),
    (SourceError, 400),
    (SuppressionError, 400),
    (StoreError, 409),
    (HermitError, 400),
)


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def validation_detail(errors: list[Any]) -> str:
    """Pydantic's errors as one readable line per problem, each naming its field."""
    parts = []
    for err in errors[:10]:
        if err.get("type") == "json_invalid":  # loc is ("body", <character offset>)
            at = err.get("loc", ())[-1]
            why = (err.get("ctx") or {}).get("error", "not JSON")
            parts.append(f"body: invalid JSON at character {at} ({why})")
            continue
        where = _loc(err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", ""))
    if len(errors) > 10:
        parts.append(f"... and {len(errors) - 10} more")
    return "; ".join(parts)


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, validation_detail(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return error_response(exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(HermitError)
    async def _hermit(request: Request, exc: HermitError) -> JSONResponse:
        for kind, status in STATUS_OF:
            if isinstance(exc, kind):
                return error_response(status, str(exc))
        return error_response(400, str(exc))  # pragma: no cover - HermitError is listed

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal error (a bug in hermit; the log has the details)")
