"""HTTP routes: ``POST /v1/extract``, ``GET /healthz``, ``GET /readyz``."""

from __future__ import annotations

import codecs
import json
import os
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from nlp_service.api import capacity
from nlp_service.api.problems import PROBLEM_JSON, PROBLEM_RESPONSES
from nlp_service.api.responses import FastJSONResponse
from nlp_service.contract import to_v1
from nlp_service.errors import ErrorCode, InputError
from nlp_service.pipeline import TASKS, Pipeline, parse_tasks
from nlp_service.settings import Settings

router = APIRouter()


class ExtractRequest(BaseModel):
    """JSON body of ``POST /v1/extract``."""

    text: str = Field(description="The article: plain text, Markdown or HTML.")
    id: str | None = Field(None, description="Your id for the article; default: sha256 of the normalised text.")
    title: str | None = None
    published: str | None = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY[-MM[-DD]]")
    issuer: str | None = Field(None, max_length=200, description="Who issued the document (国务院, 科技部…): the "
                               "actor of its commitments when the text names none.")


def get_settings_dep(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


def get_pipeline(request: Request) -> Pipeline:
    """The pipeline loaded at start-up."""
    pipeline = request.app.state.pipeline
    if pipeline is None:
        raise RuntimeError("pipeline not loaded")
    return pipeline


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InputError(ErrorCode.TOO_LARGE, f"The request body is {int(declared):,} bytes; the limit is {limit:,}.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise InputError(ErrorCode.TOO_LARGE, f"The request body is over the limit of {limit:,} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_body(body: bytes, content_type: str) -> ExtractRequest:
    """The request in a body of ``content_type`` (JSON, text or HTML), or the :class:`InputError` that says why not."""
    media, _, params = content_type.partition(";")
    media = media.strip().lower() or "text/plain"
    charset = "utf-8"
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"').lower()
    if media == "application/json" or media.endswith("+json"):
        try:
            data = json.loads(body)
        except UnicodeDecodeError as exc:
            raise InputError(ErrorCode.NOT_UTF8, f"Byte {exc.start} of the body is not valid UTF-8.") from None
        except json.JSONDecodeError as exc:
            raise InputError(ErrorCode.INVALID_JSON, f"{exc.msg} at line {exc.lineno} column {exc.colno}.") from None
        if not isinstance(data, dict):
            raise InputError(ErrorCode.INVALID_REQUEST, "The JSON body must be an object with a \"text\" field.")
        try:
            req = ExtractRequest.model_validate(data)
        except ValidationError as exc:
            errors = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
            raise InputError(ErrorCode.INVALID_REQUEST, errors) from None
    elif media == "text/plain" or media == "text/html":
        try:
            codecs.lookup(charset)
        except LookupError:
            raise InputError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, f"Unknown charset {charset!r}.") from None
        try:
            req = ExtractRequest(text=body.decode(charset))
        except UnicodeDecodeError as exc:
            raise InputError(ErrorCode.NOT_UTF8, f"Byte {exc.start} is not valid {charset}. "
                                                 + ErrorCode.NOT_UTF8.kind.advice) from None
    else:
        raise InputError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, f"Content-Type {media!r} is not supported. "
                                                          + ErrorCode.UNSUPPORTED_MEDIA_TYPE.kind.advice)
    try:
        req.text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(ErrorCode.NOT_UTF8, "The text contains unpaired surrogate escapes (\\ud800-\\udfff); "
                                             "send valid Unicode.") from None
    return req


@router.post(
    "/v1/extract",
    summary="Extract one article",
    responses=PROBLEM_RESPONSES,
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": ExtractRequest.model_json_schema()},
        "text/plain": {"schema": {"type": "string"}},
    }}},
)
async def extract(request: Request, settings: SettingsDep, pipeline: PipelineDep,
                  components: str | None = Query(None, description="comma-separated tasks to run (default: all): "
                                                 + ", ".join(TASKS))) -> JSONResponse:
    """Analyse one article and return the v1 result (see ``contract/extract-v1.md``).

    With ``components`` only those tasks run, with what they require; ``meta.components`` lists
    what ran, and the fields of tasks that did not run are empty.
    """
    try:
        runner = pipeline.for_tasks(parse_tasks(components))
    except ValueError as exc:
        raise InputError(ErrorCode.INVALID_PARAMETER, str(exc)) from None
    body = await _read_body(request, settings.max_input_bytes)
    req = parse_body(body, request.headers.get("content-type", ""))
    start = time.perf_counter()
    article = await capacity.run(request, runner.extract, req.text, id=req.id, title=req.title,
                                 published=req.published, issuer=req.issuer)
    return FastJSONResponse(to_v1(article, (time.perf_counter() - start) * 1000))


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness", responses={503: {"content": {PROBLEM_JSON: {}}}})
async def readyz(request: Request) -> JSONResponse:
    """Ready when the pipeline is loaded."""
    pipeline = request.app.state.pipeline
    if pipeline is None:
        return FastJSONResponse({"status": "loading"}, status_code=503)
    return FastJSONResponse({"status": "ready", "components": list(pipeline.component_names), "pid": os.getpid(),
                         "models_loaded_by": request.app.state.models_loaded_by})
