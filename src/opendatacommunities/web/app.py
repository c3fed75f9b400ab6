"""The FastAPI application: ``create_app(settings)`` wires the page families together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from opendatacommunities import __version__
from opendatacommunities.config import Settings
from opendatacommunities.store import NoReleaseError
from opendatacommunities.web import resources
from opendatacommunities.web.context import STATIC, AppContext
from opendatacommunities.web.errors import install_error_handlers

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> FastAPI:
    """A ready-to-serve app over the release root ``settings.store_dir``.

    The store is opened read-only on first use and reopened whenever a publisher swaps in a
    new release; until the first release exists, data routes answer 503.
    """
    context = AppContext.from_settings(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Open now so the first request does not pay for it; no release yet is not an error.
        try:
            release = context.live.refresh()
            log.info("serving release %s from %s", release.id, settings.store_dir)
        except NoReleaseError:
            log.warning("nothing published under %s yet: 503 until then", settings.store_dir)
        yield

    app = FastAPI(
        title="opendatacommunities",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        debug=settings.debug,
        lifespan=lifespan,
    )
    app.state.odc = context
    install_error_handlers(app)
    app.include_router(resources.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def serve(settings: Settings) -> None:
    """Run the app with uvicorn on ``settings.host``:``settings.port`` (blocks)."""
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="debug" if settings.debug else "info",
        access_log=settings.debug,
    )
