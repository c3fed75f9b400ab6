"""The FastAPI application: ``create_app(settings)`` wires the page families together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from opendatacommunities import __version__
from opendatacommunities.config import Settings
from opendatacommunities.errors import NoReleaseError
from opendatacommunities.web import (
    access,
    explore,
    health,
    heap,
    metrics,
    openapi,
    queries,
    resources,
)
from opendatacommunities.web.access import AccessLog, Observed, access_log_of
from opendatacommunities.web.context import STATIC, AppContext
from opendatacommunities.web.cube import browse as cubes
from opendatacommunities.web.errors import install_error_handlers
from opendatacommunities.web.fastpath import FastPath
from opendatacommunities.web.measured_pool import MeasuredQueryPool
from opendatacommunities.web.metrics import Metrics, metrics_of
from opendatacommunities.web.route_labels import RouteLabels
from opendatacommunities.web.sparql import SparqlEndpoint, is_endpoint
from opendatacommunities.web.timeouts import BodyTimeout

log = logging.getLogger(__name__)


class OdcApp(FastAPI):
    """FastAPI with ``FastPath`` in front of all middleware: a remembered response costs no
    routing at all; then ``SparqlEndpoint``, which answers the SPARQL endpoint itself. Around
    them all, ``Observed`` logs and counts every request, and ``BodyTimeout`` bounds the
    wait for a request body."""

    def __init__(self, context: AppContext, metrics: Metrics, **options: Any) -> None:
        super().__init__(**options)
        self.state.odc = context
        self.state.metrics = metrics
        self.state.access_log = AccessLog() if context.settings.access_log else None

    def build_middleware_stack(self) -> ASGIApp:
        """The usual stack, wrapped by ``SparqlEndpoint``, ``FastPath``, ``BodyTimeout``
        and ``Observed``."""
        context: AppContext = self.state.odc
        stack = SparqlEndpoint(super().build_middleware_stack())
        fast = FastPath(stack, context.live, context.requests)
        bounded = BodyTimeout(fast, context.settings.body_timeout)
        labels = RouteLabels(lambda: self.router.routes, _outside_router)
        return Observed(bounded, metrics_of(self), labels, access_log_of(self))


def _outside_router(path: str) -> str | None:
    """The template of the paths answered before routing."""
    return "/sparql" if is_endpoint(path) else None


def create_app(settings: Settings, *, warm_queries: bool = False) -> FastAPI:
    """A ready-to-serve app over the release root ``settings.store_dir``.

    With ``warm_queries`` the SPARQL workers start with the app and open the store at once;
    otherwise on the first query (tests make many apps and query few of them).

    The store is opened read-only on first use and reopened whenever a publisher swaps in a
    new release; until the first release exists, data routes answer 503.
    """
    context = AppContext.from_settings(settings)
    measured = Metrics(context.live, settings.sparql_workers, settings.metrics_dir)
    context = replace(context, queries=MeasuredQueryPool.adopting(context.queries, measured))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Open now so the first request does not pay for it; no release yet is not an error.
        try:
            release = context.live.refresh()
            log.info("serving release %s from %s", release.id, settings.store_dir)
            if warm_queries:
                await context.queries.warm(str(release.path))
        except NoReleaseError:
            log.warning("nothing published under %s yet: 503 until then", settings.store_dir)
        context.live.watch()  # an idle server moves on to a new release too
        yield
        context.live.close()
        context.queries.close()

    app = OdcApp(
        context,
        measured,
        title="opendatacommunities",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        debug=settings.debug,
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(cubes.router)  # before resources: /data/{dataset}/slice is not a document
    app.include_router(resources.router)
    app.include_router(explore.router)
    app.include_router(queries.router)
    app.include_router(openapi.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(access.router)
    app.include_router(heap.router)  # last: freezes what the others' start-up read
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
