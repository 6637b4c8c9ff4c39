"""``GET /metrics`` (Prometheus text format) and the request id of every response.

Per app (one registry each, so that several apps in one process do not collide):

- ``nlps_http_requests_total{route, method, status}`` and ``nlps_http_request_seconds{route, method}``
  (histogram), by route template (``/v1/articles/{article_id}``, never the concrete path);
- ``nlps_component_seconds{component}``: time of each pipeline component per article (histogram);
- ``nlps_store_rows{table}``: rows in the store, read when scraped;
- ``nlps_model_info{task, model}``: the models and lexicons behind each task (value 1).

Each response carries ``X-Request-ID`` (the caller's, when it sent one of at most 64 safe
characters, else a new one), and each request is logged as one JSON line with that id, route,
status and milliseconds — never the article's text. With ``nlp-service serve --workers N`` every
process keeps its own counts: a scrape reads the process that answered it.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger("nlp_service.requests")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class _StoreAndModels(Collector):
    """Store row counts and model names, read at scrape time."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        rows = GaugeMetricFamily("nlps_store_rows", "Rows in the store, by table.", labels=["table"])
        store = getattr(self.app.state, "store", None)
        if store is not None:
            for table, n in store.counts().items():
                rows.add_metric([table], n)
        yield rows
        info = GaugeMetricFamily("nlps_model_info", "Models and lexicons behind each task (1).",
                                 labels=["task", "model"])
        pipeline = getattr(self.app.state, "pipeline", None)
        if pipeline is not None:
            for task, model in pipeline.model_names.items():
                info.add_metric([task, model], 1)
        yield info


def install(app: FastAPI) -> None:
    """Add the registry, the request middleware and ``GET /metrics`` to ``app``."""
    registry = CollectorRegistry()
    requests = Counter("nlps_http_requests", "HTTP requests, by route template, method and status.",
                       ["route", "method", "status"], registry=registry)
    latency = Histogram("nlps_http_request_seconds", "HTTP request latency, by route template and method.",
                        ["route", "method"], buckets=_SECONDS, registry=registry)
    components = Histogram("nlps_component_seconds", "Time of each pipeline component per article.",
                           ["component"], buckets=_SECONDS, registry=registry)
    registry.register(_StoreAndModels(app))
    app.state.metrics_registry = registry
    app.state.time_component = lambda name, secs: components.labels(name).observe(secs)

    @app.middleware("http")
    async def _observe(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.headers.get("x-request-id", "")
        rid = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        start = time.perf_counter()
        response = await call_next(request)
        secs = time.perf_counter() - start
        route = getattr(request.scope.get("route"), "path", None) or "unmatched"
        requests.labels(route, request.method, str(response.status_code)).inc()
        latency.labels(route, request.method).observe(secs)
        response.headers["X-Request-ID"] = rid
        if log.isEnabledFor(logging.INFO):  # the line is built only when someone reads it
            log.info(json.dumps({"request_id": rid, "method": request.method, "route": route,
                                 "status": response.status_code, "ms": round(secs * 1000, 1)}))
        return response

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def log_requests(level: str) -> None:
    """Print the request log (one JSON line per request) on stderr at ``level`` info or debug."""
    if level.lower() in ("info", "debug", "trace") and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def time_components(app: FastAPI, pipeline: Any) -> Any:
    """``pipeline`` with its components timed into this app's ``nlps_component_seconds``."""
    pipeline.resources = replace(pipeline.resources, on_component=app.state.time_component)
    return pipeline
