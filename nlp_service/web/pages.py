"""The web pages: analyse an article, search commitments, tracking, dedup reports (server-rendered HTML).

Every page calls the functions the API calls — the pipeline, ``to_v1``, the store's search, the
tracking service, the API's body parser and storing function — so no rule exists twice. Forms work
without JavaScript; ``static/app.js`` adds the cards, sorting, CSV copy, JSON download and a
progress line.
"""

from __future__ import annotations

import difflib
import json
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from nlp_service.api import access, capacity
from nlp_service.api.routes import parse_body
from nlp_service.api.store_routes import ArticleRequest, store_one
from nlp_service.contract import to_v1
from nlp_service.errors import ErrorCode, InputError
from nlp_service.store import CommitmentQuery, StoreError
from nlp_service.web.render import findings, paragraphs, safe_snippet, seam_segments, to_csv

router = APIRouter(include_in_schema=False)
HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(seam_segments=seam_segments, safe_snippet=safe_snippet)


def url_with(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with ``params`` as its query, ``changes`` applied (a value of None drops the key)."""
    from urllib.parse import urlencode

    merged = {**params, **changes}
    return path + ("?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")}) if merged else "")


templates.env.globals["url_with"] = url_with
templates.env.filters["num"] = lambda v: f"{v:g}" if isinstance(v, float) else ("" if v is None else v)
MAX_REPORT_BYTES = 50_000_000  # a dedup report or archive uploaded to the dedup page
SEARCH_CSV_MAX = 1_000  # hits one CSV export follows the cursor for
STATUS_NAMES = {"met": "已完成", "not_met": "未完成", "partly_met": "部分完成", "no_evidence": "无证据",
                "not_due": "未到期"}


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    keys = bool(request.app.state.api_key_digests)
    return templates.TemplateResponse(request, name, {"page": name.split(".")[0], "keys": keys, **context},
                                      status_code=status)


def _reads_refused(request: Request) -> HTMLResponse | None:
    """A 401 page when reads need an API key (``NLPS_API_KEYS_FOR_READS``) and the request has none."""
    if not request.app.state.settings.api_keys_for_reads:
        return None
    try:
        access.check(request)
    except access.Unauthorized as exc:
        return _page(request, "message.html", status=401, heading="需要 API 密钥",
                     message=f"这个服务的档案只对持有 API 密钥的调用开放（Authorization: Bearer）。{exc.detail}")
    return None


def _script_json(data: Any) -> str:
    """JSON to put inside ``<script type="application/json">``: no ``</`` or ``<!--`` can end the element."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def _result_context(result: dict) -> dict:
    found = findings(result)
    return {"result": result, "views": paragraphs(result, found), "found": found,
            "found_json": _script_json({k: {x: v[x] for x in ("kind", "text", "fields")} for k, v in found.items()}),
            "result_json": _script_json(result)}


def _failure_page(request: Request, form: dict[str, str], exc: InputError | capacity.Overloaded) -> HTMLResponse:
    """The analyse page again, the text kept in the box, the reason beside it."""
    if isinstance(exc, capacity.Overloaded):
        return _page(request, "analyse.html", status=503, **form, error=f"服务正忙，请稍后再试。{exc.detail}",
                     error_code=exc.code)
    return _page(request, "analyse.html", status=exc.code.kind.status, **form, error=exc.detail,
                 error_code=exc.code.kind.code)


@router.get("/", response_class=HTMLResponse)
async def analyse_form(request: Request) -> HTMLResponse:
    """The analyse page, empty."""
    return _page(request, "analyse.html", text="", title="", published="")


async def _text_of(request: Request, text: str, upload: UploadFile | None) -> str:
    """The pasted text, or the uploaded file decoded as the API decodes a body (UTF-8; HTML by its name)."""
    if upload is None or not upload.filename:
        return text
    limit = request.app.state.settings.max_input_bytes
    body = await upload.read(limit + 1)
    if len(body) > limit:
        raise InputError(ErrorCode.TOO_LARGE, f"The file is over the limit of {limit:,} bytes.")
    media = "text/html" if upload.filename.lower().endswith((".html", ".htm")) else "text/plain"
    return parse_body(body, f"{media}; charset=utf-8").text


@router.post("/analyse", response_class=HTMLResponse)
async def analyse(request: Request, text: Annotated[str, Form()] = "", title: Annotated[str, Form()] = "",
                  published: Annotated[str, Form()] = "",
                  file: Annotated[UploadFile | None, File()] = None) -> HTMLResponse:
    """Analyse the pasted text or the uploaded file; the text stays in the box whatever happens."""
    try:
        text = await _text_of(request, text, file)
        limit = request.app.state.settings.max_input_bytes
        if len(text.encode("utf-8", "surrogatepass")) > limit:
            raise InputError(ErrorCode.TOO_LARGE, f"The text is over the limit of {limit:,} bytes.")
        pipeline = request.app.state.pipeline
        start = time.perf_counter()
        art = await capacity.run(request, pipeline.extract, text, title=title or None, published=published or None)
        result = to_v1(art, (time.perf_counter() - start) * 1000, include_tokens=False)
    except (InputError, capacity.Overloaded) as exc:
        return _failure_page(request, {"text": text, "title": title, "published": published}, exc)
    return _page(request, "analyse.html", text=text, title=title, published=published, **_result_context(result))


@router.post("/analyse/save")
async def save(request: Request, text: Annotated[str, Form()] = "", title: Annotated[str, Form()] = "",
               published: Annotated[str, Form()] = "", api_key: Annotated[str, Form()] = "") -> Response:
    """Store the article (the rules of ``POST /v1/articles``, its API key too), then show it from the store."""
    try:
        access.check(request, api_key or access.bearer(request))
    except access.Unauthorized as exc:
        return _page(request, "analyse.html", status=401, text=text, title=title, published=published,
                     error=f"存入档案需要 API 密钥。{exc.detail}", error_code="unauthorized")
    try:
        req = ArticleRequest(text=text, title=title or None, published=published or None, source="web")
    except ValidationError:
        return _page(request, "analyse.html", status=422, text=text, title=title, published=published,
                     error="发布日期应写成 YYYY、YYYY-MM 或 YYYY-MM-DD。", error_code="invalid_request")
    try:
        out = await capacity.run(request, store_one, request.app.state.pipeline, request.app.state.store, req,
                                 request.app.state.settings.max_input_bytes)
    except (InputError, capacity.Overloaded) as exc:
        return _failure_page(request, {"text": text, "title": title, "published": published}, exc)
    return RedirectResponse(f"/articles/{out['id']}?saved={out['status']}", status_code=303)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article(request: Request, article_id: str, saved: str | None = None) -> HTMLResponse:
    """A stored article, highlighted as on the analyse page; ``#c3`` goes to its fourth commitment."""
    if (refused := _reads_refused(request)) is not None:
        return refused
    art = await run_in_threadpool(request.app.state.store.get_article, article_id)
    if art is None:
        return _page(request, "message.html", status=404, heading="没有这篇文章",
                     message=f"存档中没有编号为 {article_id} 的文章。")
    return _page(request, "article.html", article=art, saved=saved, **_result_context(art["result"]))


def _query(q: str | None, region: str | None, year: int | None, topic: str | None, modality: str | None,
           has_quantity: str | None, deadline_before: int | None, deadline_after: int | None,
           cursor: str | None, limit: int) -> CommitmentQuery:
    flag = {"1": True, "0": False}.get(has_quantity or "")
    return CommitmentQuery(q=q or None, region=region or None, year=year, topic=topic or None,
                           modality=modality or None, has_quantity=flag, deadline_before=deadline_before,
                           deadline_after=deadline_after, cursor=cursor or None, limit=limit)


SearchParams = dict[str, Any]


def _search_params(request: Request) -> SearchParams:
    keys = ("q", "region", "year", "topic", "modality", "has_quantity", "deadline_before", "deadline_after")
    return {k: request.query_params.get(k) for k in keys if request.query_params.get(k)}


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, q: str | None = None, region: str | None = None, year: int | None = None,
                 topic: str | None = None, modality: str | None = None, has_quantity: str | None = None,
                 deadline_before: int | None = None, deadline_after: int | None = None,
                 cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> HTMLResponse:
    """Commitments matching the query and filters, facets with counts, keyset paging."""
    if (refused := _reads_refused(request)) is not None:
        return refused
    params = _search_params(request)
    try:
        query = _query(q, region, year, topic, modality, has_quantity, deadline_before, deadline_after, cursor, limit)
        page = await run_in_threadpool(request.app.state.store.search_commitments, query,
                                       request.app.state.pipeline.resources.segmenter)
    except StoreError as exc:
        return _page(request, "search.html", status=422, params=params, error=str(exc), page_=None)
    return _page(request, "search.html", params=params, page_=page)


@router.get("/search.csv")
async def search_csv(request: Request, q: str | None = None, region: str | None = None, year: int | None = None,
                     topic: str | None = None, modality: str | None = None, has_quantity: str | None = None,
                     deadline_before: int | None = None, deadline_after: int | None = None) -> Response:
    """The current search as CSV (up to :data:`SEARCH_CSV_MAX` hits, following the cursor)."""
    if (refused := _reads_refused(request)) is not None:
        return refused
    store, seg = request.app.state.store, request.app.state.pipeline.resources.segmenter
    rows: list[dict] = []
    cursor = None
    while len(rows) < SEARCH_CSV_MAX:
        try:
            query = _query(q, region, year, topic, modality, has_quantity, deadline_before, deadline_after, cursor,
                           100)
            page = await run_in_threadpool(store.search_commitments, query, seg)
        except StoreError as exc:
            return Response(str(exc), status_code=422, media_type="text/plain; charset=utf-8")
        for h in page.hits:
            q_ = h.get("quantity") or {}
            rows.append({"text": h["text"], "actor": h.get("actor"), "modality": h.get("modality"),
                         "deadline": h.get("deadline"), "quantity": f"{q_.get('value')}{q_.get('unit') or ''}"
                         if q_ else None, "region": h.get("region"), "year": h.get("year"),
                         "title": h["article"].get("title"), "published": h["article"].get("published"),
                         "article_id": h["article"]["id"], "url": h["article"].get("url")})
        cursor = page.next_cursor
        if not cursor:
            break
    body = to_csv(rows[:SEARCH_CSV_MAX], ["text", "actor", "modality", "deadline", "quantity", "region", "year",
                                          "title", "published", "article_id", "url"])
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="commitments.csv"'})


@router.get("/tracking", response_class=HTMLResponse)
async def tracking(request: Request, region: str | None = None, year: int | None = None,
                   metric: str | None = None, status: str | None = None) -> HTMLResponse:
    """Targets by year and region, with their outcome and status."""
    if (refused := _reads_refused(request)) is not None:
        return refused
    from nlp_service.tracking.service import as_json, tracked_targets

    store = request.app.state.store

    def run() -> list[dict]:
        return as_json(tracked_targets(store, region=region or None, year=year, metric=metric or None,
                                       status=status or None), store)

    items = await run_in_threadpool(run)
    counts = {s: sum(x["status"] == s for x in items) for s in STATUS_NAMES}
    return _page(request, "tracking.html", items=items, counts=counts, names=STATUS_NAMES,
                 params={"region": region or "", "year": year or "", "metric": metric or "", "status": status or ""})


@router.get("/dedup", response_class=HTMLResponse)
async def dedup_form(request: Request) -> HTMLResponse:
    """The dedup report page, empty."""
    return _page(request, "dedup.html", report=None)


def _archive_texts(body: bytes, ids: set[str], text_field: str = "text", id_field: str = "id") -> dict[str, str]:
    """The texts of ``ids`` in an uploaded JSON Lines archive (``.gz`` accepted)."""
    import gzip

    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    out = {}
    for line in body.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and str(rec.get(id_field)) in ids and isinstance(rec.get(text_field), str):
            out[str(rec[id_field])] = rec[text_field]
    return out


def diff_html(a: str, b: str) -> tuple[str, str]:
    """Two texts as HTML with what differs marked (``<del>`` in the first, ``<ins>`` in the second)."""
    from markupsafe import escape

    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        x, y = str(escape(a[i1:i2])), str(escape(b[j1:j2]))
        if op == "equal":
            left.append(x)
            right.append(y)
        else:
            left.append(f"<del>{x}</del>" if x else "")
            right.append(f"<ins>{y}</ins>" if y else "")
    return "".join(left), "".join(right)


@router.post("/dedup", response_class=HTMLResponse)
async def dedup_report(request: Request, report: Annotated[UploadFile, File()],
                       archive: Annotated[UploadFile | None, File()] = None) -> HTMLResponse:
    """A report of ``nlp-service dedup``: counts, clusters, and with the archive a diff of each near copy."""
    from markupsafe import Markup

    body = await report.read(MAX_REPORT_BYTES + 1)
    size = len(body)
    try:
        if size > MAX_REPORT_BYTES:
            raise ValueError(f"报告超过 {MAX_REPORT_BYTES:,} 字节的上限")
        data = json.loads(body)
        if not isinstance(data, dict) or "clusters" not in data:
            raise ValueError("这不是 nlp-service dedup 写的报告（没有 clusters）")
    except (ValueError, UnicodeDecodeError) as exc:
        return _page(request, "dedup.html", status=422, report=None, error=str(exc))
    texts: dict[str, str] = {}
    if archive is not None and archive.filename:
        ids = {str(c["representative"]) for c in data["clusters"]} | {
            str(m["id"]) for c in data["clusters"] for m in c["members"]}
        texts = _archive_texts(await archive.read(MAX_REPORT_BYTES), ids)
    clusters = []
    for c in data["clusters"][:500]:
        rep = str(c["representative"])
        members = []
        for m in c["members"]:
            left = right = None
            if m.get("kind") != "exact" and rep in texts and str(m["id"]) in texts:
                left_html, right_html = diff_html(texts[rep], texts[str(m["id"])])
                left, right = Markup(left_html), Markup(right_html)  # noqa: S704  (escaped in diff_html)
            members.append({**m, "left": left, "right": right})
        clusters.append({"representative": rep, "size": c.get("size"), "members": members})
    return _page(request, "dedup.html", report=data, clusters=clusters, size=size, filename=report.filename,
                 with_texts=bool(texts))
