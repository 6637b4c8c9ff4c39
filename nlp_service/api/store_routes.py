"""HTTP routes over the store: ingest articles, read them back, search commitments and indicators."""

from __future__ import annotations

import logging
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from nlp_service.api import capacity
from nlp_service.api.access import require_key, require_key_for_reads
from nlp_service.api.problems import PROBLEM_RESPONSES, problem
from nlp_service.api.responses import FastJSONResponse
from nlp_service.api.routes import ExtractRequest, PipelineDep, SettingsDep
from nlp_service.contract import to_v1
from nlp_service.errors import ErrorCode, InputError
from nlp_service.store import CommitmentQuery, IndicatorQuery, Store, StoreError
from nlp_service.store.records import raw_hash, to_record

# reads need a key only with NLPS_API_KEYS_FOR_READS; the writes above always do when keys are set
router = APIRouter(dependencies=[Depends(require_key_for_reads)], responses=PROBLEM_RESPONSES)

log = logging.getLogger(__name__)


class ArticleRequest(ExtractRequest):
    """An article to extract and store."""

    id: str | None = Field(None, description="Your id for the article: stored as its source_id when no source_id is "
                           "given (the stored article's own id is the sha256 of its normalised text).")
    source: str | None = Field(None, description="Where the article comes from (a site, a file).")
    source_id: str | None = Field(None, description="Its id at the source: a new text under the same id replaces "
                                  "the stored version.")
    region: str | None = Field(None, description="Region it speaks for; default: inferred (title, places).")
    url: str | None = None


class BatchRequest(BaseModel):
    """Several articles (at most ``NLPS_MAX_BATCH_ITEMS``), each checked on its own.

    An item that is not a valid article (no ``text``, a malformed ``published``) fails alone with
    ``invalid_request``; the others are stored.
    """

    items: list[Any] = Field(description="Articles, each an object as the body of POST /v1/articles.",
                             json_schema_extra={"items": ArticleRequest.model_json_schema()})


def get_store(request: Request) -> Store:
    """The store opened at start-up."""
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]


def store_one(pipeline: Any, store: Store, req: ArticleRequest, max_bytes: int) -> dict:
    """Extract and store one article (the rules of ``POST /v1/articles``); its id, status and counts."""
    if len(req.text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise InputError(ErrorCode.TOO_LARGE, f"The text is over the limit of {max_bytes:,} bytes.")
    start = time.perf_counter()
    art = pipeline.extract(req.text, title=req.title, published=req.published, issuer=req.issuer)
    result = to_v1(art, (time.perf_counter() - start) * 1000, include_tokens=False)
    rec = to_record(result, pipeline.resources.segmenter, source=req.source, source_id=req.source_id or req.id,
                    region=req.region, url=req.url, published=req.published, raw_sha256=raw_hash(req.text))
    put = store.put_article(rec)
    return {"id": put.id, "status": put.status, "region": rec.region, "year": rec.year,
            "commitments": len(rec.commitments), "indicators": len(rec.indicators), "topics": rec.topics}


@router.post("/v1/articles", summary="Extract and store one article", status_code=201,
             dependencies=[Depends(require_key)])
async def post_article(req: ArticleRequest, request: Request, settings: SettingsDep, pipeline: PipelineDep,
                       store: StoreDep) -> JSONResponse:
    """Extract the article and store it; re-posting the same text is a no-op (``unchanged``)."""
    out = await capacity.run(request, store_one, pipeline, store, req, settings.max_input_bytes)
    return FastJSONResponse(out, status_code=201 if out["status"] != "unchanged" else 200)


@router.post("/v1/articles/batch", summary="Extract and store several articles",
             dependencies=[Depends(require_key)])
async def post_batch(req: BatchRequest, request: Request, settings: SettingsDep, pipeline: PipelineDep,
                     store: StoreDep) -> JSONResponse:
    """One result per item, in order: stored/replaced/unchanged, or failed with the reason."""
    if len(req.items) > settings.max_batch_items:
        kind = ErrorCode.TOO_LARGE.kind
        return problem(kind.status, kind.title, f"{len(req.items)} items; at most {settings.max_batch_items} per "
                       "batch.", kind.code, request.url.path)
    results = []
    for i, raw in enumerate(req.items):
        results.append({"index": i, **await _store_item(raw, request, settings, pipeline, store)})
    counts = {s: sum(r["status"] == s for r in results) for s in ("stored", "replaced", "unchanged", "failed")}
    return FastJSONResponse({"counts": counts, "items": results})


async def _store_item(raw: Any, request: Request, settings: Any, pipeline: Any, store: Store) -> dict:
    """One batch item's result: stored/replaced/unchanged, or failed with its own reason (never the batch's)."""
    try:
        item = ArticleRequest.model_validate(raw)
        return await capacity.run(request, store_one, pipeline, store, item, settings.max_input_bytes)
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'item'}: {e['msg']}" for e in exc.errors())
        return {"status": "failed", "error": {"code": ErrorCode.INVALID_REQUEST.kind.code, "detail": detail}}
    except InputError as exc:
        return {"status": "failed", "error": {"code": exc.code.kind.code, "detail": exc.detail}}
    except capacity.Overloaded as exc:
        return {"status": "failed", "error": {"code": exc.code, "detail": exc.detail}}
    except Exception as exc:  # a store or extraction fault fails this item, reported, not the whole batch
        log.exception("batch item failed")
        return {"status": "failed", "error": {"code": "internal_error",
                                              "detail": f"{type(exc).__name__}: the item could not be stored"}}


@router.get("/v1/articles/{article_id}", summary="A stored article")
async def get_article(article_id: str, request: Request, store: StoreDep) -> JSONResponse:
    """The stored metadata and the whole v1 result."""
    art = await run_in_threadpool(store.get_article, article_id)
    if art is None:
        return problem(404, "Not found", f"No article {article_id!r} is stored.", "not_found", request.url.path)
    return FastJSONResponse(art)


@router.get("/v1/commitments", summary="Search commitments")
async def search_commitments(
    request: Request, pipeline: PipelineDep, store: StoreDep,
    q: Annotated[str | None, Query(description="Chinese full text: each space-separated term must occur")] = None,
    region: str | None = None, year: int | None = None, year_from: int | None = None, year_to: int | None = None,
    topic: str | None = None, actor: str | None = None, modality: str | None = None,
    deadline_before: int | None = None, deadline_after: int | None = None, has_quantity: bool | None = None,
    cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> JSONResponse:
    """BM25-ranked commitments with snippet, fields, article, facets by region/year/topic and a cursor."""
    try:
        query = CommitmentQuery(q=q, region=region, year=year, year_from=year_from, year_to=year_to, topic=topic,
                                actor=actor, modality=modality, deadline_before=deadline_before,
                                deadline_after=deadline_after, has_quantity=has_quantity, cursor=cursor, limit=limit)
        page = await run_in_threadpool(store.search_commitments, query, pipeline.resources.segmenter)
    except StoreError as exc:
        return problem(422, "Invalid query", str(exc), "invalid_query", request.url.path)
    return FastJSONResponse({"total": page.total, "hits": page.hits, "facets": page.facets,
                         "next_cursor": page.next_cursor})


@router.get("/v1/indicators", summary="Look up indicators")
async def search_indicators(
    request: Request, store: StoreDep, metric: str | None = None, unit: str | None = None,
    period: str | None = None, region: str | None = None, cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> JSONResponse:
    """Indicators by metric (contains), unit, period and region, newest first."""
    try:
        query = IndicatorQuery(metric=metric, unit=unit, period=period, region=region, cursor=cursor, limit=limit)
        page = await run_in_threadpool(store.search_indicators, query)
    except StoreError as exc:
        return problem(422, "Invalid query", str(exc), "invalid_query", request.url.path)
    return FastJSONResponse({"total": page.total, "hits": page.hits, "next_cursor": page.next_cursor})


StatusFilter = Literal["met", "not_met", "partly_met", "no_evidence", "not_due"]


@router.get("/v1/tracking", summary="Targets and whether later documents report them met")
async def get_tracking(
    store: StoreDep,
    region: Annotated[str | None, Query(description="Region of the target's article (上海, 全国 …)")] = None,
    year: Annotated[int | None, Query(description="The year the target is due")] = None,
    metric: Annotated[str | None, Query(description="Metric key (gdp_growth, cpi …) or words of the metric")] = None,
    status: StatusFilter | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> JSONResponse:
    """Every stored target (a figure of a commitment) with its status and the later figures that settle it.

    Status: ``met`` / ``not_met`` by the comparator and the metric's direction (guide tracking-v1:
    ``左右`` within 0.5 percentage point or 2%), ``no_evidence`` when later documents of the region
    exist but report no figure of that metric for the due year, ``not_due`` when none is stored yet.
    """
    from nlp_service.tracking.service import as_json, tracked_targets

    def run() -> list[dict]:
        return as_json(tracked_targets(store, region=region, year=year, metric=metric, status=status), store)

    items = await run_in_threadpool(run)
    return FastJSONResponse({"total": len(items), "items": items[:limit]})


@router.get("/v1/commitments/{commitment_id}", summary="One stored commitment, with its tracking evidence")
async def get_commitment(commitment_id: Annotated[int, Path(ge=1, le=2**63 - 1)], request: Request,
                         store: StoreDep) -> JSONResponse:
    """The commitment's stored fields and, for each figure it sets, the status and the evidence."""
    from nlp_service.tracking.service import as_json, tracked_targets

    def run() -> dict | None:
        row = store.get_commitment(commitment_id)
        if row is None:
            return None
        mine = [t for t in tracked_targets(store, region=row.get("region"), article_id=row["article_id"])
                if t.target.commitment_index == row["ord"]]
        return {**row, "tracking": as_json(mine, store)}

    got = await run_in_threadpool(run)
    if got is None:
        return problem(404, "Not found", f"No commitment {commitment_id} is stored.", "not_found", request.url.path)
    return FastJSONResponse(got)
