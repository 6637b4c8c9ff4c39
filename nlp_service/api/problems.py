"""Errors as ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from nlp_service.api.access import WWW_AUTHENTICATE, Unauthorized
from nlp_service.api.capacity import Overloaded
from nlp_service.errors import ErrorCode, InputError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("nlp_service.api")


# every error answer, as documented in the OpenAPI schema: problem+json (RFC 9457)
PROBLEM_RESPONSES: dict[int | str, dict] = {
    code: {"content": {PROBLEM_JSON: {}}, "description": desc}
    for code, desc in [(400, "not UTF-8, or malformed JSON"), (401, "API keys are set and none, or a wrong one, "
                       "was sent"), (404, "not found"), (413, "over a size limit"), (415, "unsupported media type"),
                       (422, "empty text, no Chinese, invalid fields or parameters"),
                       (503, "busy or timed out; see Retry-After")]
}


def problem(status: int, title: str, detail: str, code: str, instance: str | None = None) -> JSONResponse:
    """A problem+json response."""
    body = {"type": f"https://nlp-service.invalid/problems/{code}", "title": title, "status": status,
            "detail": detail, "code": code}
    if instance:
        body["instance"] = instance
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def input_error_response(exc: InputError, instance: str | None = None) -> JSONResponse:
    """Problem response for a catalogue error."""
    kind = exc.code.kind
    return problem(kind.status, kind.title, exc.detail, kind.code, instance)


def install(app: FastAPI) -> None:
    """Register the exception handlers that turn every error into problem+json."""

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse:
        return input_error_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        kind = ErrorCode.INVALID_REQUEST.kind
        return problem(kind.status, kind.title, f"{errors}. {kind.advice}", kind.code, request.url.path)

    @app.exception_handler(Overloaded)
    async def _overloaded(request: Request, exc: Overloaded) -> JSONResponse:
        response = problem(503, "Service busy" if exc.code == "overloaded" else "Timed out", exc.detail, exc.code,
                           request.url.path)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(Unauthorized)
    async def _unauthorized(request: Request, exc: Unauthorized) -> JSONResponse:
        response = problem(401, "Unauthorized", exc.detail, "unauthorized", request.url.path)
        response.headers.update(WWW_AUTHENTICATE)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), str(exc.detail), f"http_{exc.status_code}", request.url.path)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem(500, "Internal error", "The article could not be processed; the error was logged.",
                       "internal_error", request.url.path)
