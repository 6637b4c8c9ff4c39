"""FastAPI application factory.

The pipeline is built once in the lifespan (or, under a launcher of several processes, once
before they are forked) and shared; extraction (CPU work)
runs in worker threads, at most ``NLPS_MAX_CONCURRENT_EXTRACTIONS`` at once,
so the event loop keeps answering ``/healthz`` while articles are analysed.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from nlp_service import __version__
from nlp_service.api import access, capacity, metrics, problems
from nlp_service.api.routes import router
from nlp_service.api.store_routes import router as store_router
from nlp_service.settings import Settings, get_settings

# (the pid of the process that built it, the pipeline): set by the launcher of several server
# processes before it forks them (nlp_service.api.serve), so that the models are loaded once and
# shared copy-on-write; None in a process that builds its own
SHARED_PIPELINE: tuple[int, Any] | None = None


def build_pipeline(settings: Settings) -> Any:
    """The pipeline ``settings`` ask for, loaded and settled (:func:`nlp_service.pipeline.service_pipeline`)."""
    from nlp_service.pipeline import service_pipeline

    return service_pipeline(settings)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; ``settings`` default to the environment's."""
    shared = SHARED_PIPELINE if settings is None else None  # built from the environment's settings
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from nlp_service.store import open_store

        if shared is not None:
            app.state.models_loaded_by, pipeline = shared
        else:
            pipeline = await asyncio.to_thread(build_pipeline, settings)
            app.state.models_loaded_by = os.getpid()
        app.state.pipeline = metrics.time_components(app, pipeline)
        app.state.slots = capacity.Slots(settings.max_concurrent_extractions, settings.max_queued_extractions,
                                         settings.request_timeout)
        app.state.store = open_store(settings.database_url)
        yield
        app.state.store.close()
        app.state.pipeline = None

    app = FastAPI(
        title="nlp_service",
        version=__version__,
        description="Structured extraction from Chinese policy texts (v1 contract).",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pipeline = None
    app.state.api_key_digests = access.digests(settings.api_keys)
    problems.install(app)
    metrics.install(app)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:  # off unless configured: browsers of other origins may not call the API
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-Request-ID"])
    app.include_router(router)
    app.include_router(store_router)
    from fastapi.staticfiles import StaticFiles

    from nlp_service.web.pages import HERE
    from nlp_service.web.pages import router as web_router

    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
