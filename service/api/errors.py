"""How errors reach clients: a JSON body with `detail` and the `request_id`, never a stack trace.
Every 5xx is logged with the request id that the response carries, so an operator can find it."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.middleware import REQUEST_ID_HEADER, request_id_of
from service.batching import BatchTimeoutError, QueueFullError
from service.checks.registry import UnknownCheckError

log = logging.getLogger("contresens.api")
RETRY_AFTER_S = 1


class NotReadyError(Exception):
    """The models are still loading (or failed to load)."""


def _answer(request: Request, status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    request_id = request_id_of(request.scope)
    if status >= 500:
        log.error("request %s %s %s answered %d: %s", request_id, request.method, request.url.path, status, detail)
    return JSONResponse({"detail": jsonable_encoder(detail), "request_id": request_id}, status_code=status,
                        headers={**(headers or {}), REQUEST_ID_HEADER: request_id})


def _validation_errors(errors: Any) -> list[dict[str, Any]]:
    """Field path, message and type of each problem; the input itself is not echoed back."""
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors]


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on the app."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _answer(request, 422, _validation_errors(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _answer(request, exc.status_code, exc.detail, dict(exc.headers or {}))

    @app.exception_handler(UnknownCheckError)
    async def unknown_check(request: Request, exc: UnknownCheckError) -> JSONResponse:
        return _answer(request, 422, [{"loc": ["body", "options"], "msg": str(exc), "type": "value_error"}])

    @app.exception_handler(QueueFullError)
    async def queue_full(request: Request, exc: QueueFullError) -> JSONResponse:
        return _answer(request, 503, "the service is busy: too many requests waiting for the model; retry later",
                       {"Retry-After": str(RETRY_AFTER_S)})

    @app.exception_handler(BatchTimeoutError)
    async def timed_out(request: Request, exc: BatchTimeoutError) -> JSONResponse:
        return _answer(request, 504, "the request timed out waiting for the model")

    @app.exception_handler(NotReadyError)
    async def not_ready(request: Request, exc: NotReadyError) -> JSONResponse:
        return _answer(request, 503, str(exc), {"Retry-After": str(RETRY_AFTER_S * 5)})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("request %s %s %s failed", request_id_of(request.scope), request.method, request.url.path,
                  exc_info=exc)
        return _answer(request, 500, "internal error; quote the request id when reporting it")
