"""The FastAPI application: settings, termbase and model state in app state, the middleware, the error
handlers and the routes. `create_app()` builds it from `CONTRESENS_*` settings (uvicorn's factory mode
uses that), tests pass settings and a model loader of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from service import __version__
from service.api.errors import install_error_handlers
from service.api.lifecycle import CheckerLoader, ModelState, load_service_checker, preflight
from service.api.metrics import ServiceMetrics
from service.api.middleware import RequestContext
from service.api.routes import build_router
from service.config import Settings
from service.glossary.loading import glossary_for

DESCRIPTION = """Checks machine translations of French news into English: back-translation and
forward translation with MarianMT, sacrebleu metrics, model likelihoods, a legal and agency
termbase and localization checks. Every report carries a signature naming everything that changes
the numbers."""


def create_app(settings: Settings | None = None, *, loader: CheckerLoader | None = None) -> FastAPI:
    """The service. `loader` builds the checker (default: both models named by the settings, after a
    preflight check that their files exist, done before the server accepts connections)."""
    settings = settings or Settings()
    metrics = ServiceMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.glossary = glossary_for(settings)  # a bad termbase file fails the startup
        if loader is None:
            preflight(settings)
        app.state.models = ModelState(settings, metrics, loader or load_service_checker)
        app.state.models.start()
        try:
            yield
        finally:
            app.state.models.close()

    app = FastAPI(title="contresens", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.metrics = metrics
    install_error_handlers(app)
    app.include_router(build_router(settings))
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "X-API-Key", "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Retry-After"])
    app.add_middleware(RequestContext, max_body_bytes=settings.max_body_bytes, metrics=metrics)
    return app
