"""The application: ``create_app(settings)`` installs the route table (``routes.py``), the
error handlers, the layers every request passes and the one lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp

from opendatacommunities import __version__
from opendatacommunities.config import Settings
from opendatacommunities.errors import NoReleaseError
from opendatacommunities.store import Release
from opendatacommunities.web import explore, heap, search
from opendatacommunities.web.access import AccessLog, Observed, access_log_of
from opendatacommunities.web.context import AppContext
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.errors import install_error_handlers
from opendatacommunities.web.fastpath import FastPath
from opendatacommunities.web.listing import pages as data_list
from opendatacommunities.web.measured_pool import PoolMetrics
from opendatacommunities.web.metrics import Metrics, metrics_of
from opendatacommunities.web.places import profiles
from opendatacommunities.web.route_labels import RouteLabels
from opendatacommunities.web.routes import routes
from opendatacommunities.web.timeouts import BodyTimeout

log = logging.getLogger(__name__)


class OdcApp(FastAPI):
    """The FastAPI app over the route table's plain handlers (they read the request
    themselves, so no parameter validation layer runs; the OpenAPI document is our own,
    ``openapi.py``), with ``FastPath`` in front of all middleware: a remembered response
    costs no routing at all. Around it, ``Observed`` logs and counts every request, and
    ``BodyTimeout`` bounds the wait for a request body."""

    def __init__(self, context: AppContext, metrics: Metrics, **options: Any) -> None:
        super().__init__(
            routes=routes(),
            title="opendatacommunities",
            version=__version__,
            docs_url=None,
            redoc_url=None,
            openapi_url=None,
            **options,
        )
        self.state.odc = context
        self.state.metrics = metrics
        self.state.access_log = AccessLog() if context.settings.access_log else None

    def build_middleware_stack(self) -> ASGIApp:
        """Starlette's stack (the error handlers, then the route table), wrapped by
        ``FastPath``, ``BodyTimeout`` and ``Observed``.

        FastAPI's own layers are left out: they serve what the table's handlers never use
        (closing dependencies' files, per-route body limits, FastAPI's telemetry), and cost
        every request that reaches the routes, a query to ``/sparql`` among them: with
        them, an ``OPTIONS /sparql`` took 44 µs of CPU instead of 28, a refused ``POST``
        95 µs instead of 60."""
        context: AppContext = self.state.odc
        fast = FastPath(Starlette.build_middleware_stack(self), context.live, context.requests)
        fast.direct["/search/suggest"] = search.direct_suggest(context)
        bounded = BodyTimeout(fast, context.settings.body_timeout)
        labels = RouteLabels(lambda: self.router.routes)
        return Observed(bounded, metrics_of(self), labels, access_log_of(self))


async def start(context: AppContext, warm_queries: bool) -> None:
    """Everything read before the app serves, in this order:

    1. the live release, opened (no release yet is not an error: 503 until one is published);
    2. the SPARQL workers, started on it (with ``warm_queries``);
    3. every cube, read and counted (a few seconds for the bundled seven), and the spread of
       each of its series over each level of its areas (for profiles): no first view waits,
       and nothing runs beside the first requests;
    4. the search index, the home page, and the catalogue's list with its star ratings;
    5. the same reads registered as the warmers of every later release, which is prepared
       in the background before it is served; then the watch for new releases begins, so
       none is served unprepared;
    6. last, the heap frozen (``heap``): it must see everything the steps before read.
    """
    release = _open(context)
    if release is not None:
        if warm_queries:
            await context.queries.warm(str(release.path))
        await run_in_threadpool(CubeIndex.of(release).read_all)
        await run_in_threadpool(profiles.prepare, context, release)
        await run_in_threadpool(explore.prepare, context, release)
        await run_in_threadpool(data_list.prepare, context.iris, release)
    context.live.warmers.append(lambda later: CubeIndex.of(later).read_all())
    context.live.warmers.append(partial(profiles.prepare, context))
    context.live.warmers.append(partial(explore.prepare, context))
    context.live.warmers.append(partial(data_list.prepare, context.iris))
    context.live.watch()  # an idle server moves on to a new release too
    heap.freeze(context.live)


def _open(context: AppContext) -> Release | None:
    try:
        release = context.live.refresh()
    except NoReleaseError:
        log.warning("nothing published under %s yet: 503 until then", context.settings.store_dir)
        return None
    log.info("serving release %s from %s", release.id, context.settings.store_dir)
    return release


def stop(context: AppContext, metrics: Metrics, access_log: AccessLog | None) -> None:
    """Start-up undone, last step first; then the last access-log lines written, this
    process's live gauges dropped, the release and the SPARQL workers closed."""
    heap.unfreeze()
    if access_log is not None:
        access_log.flush()
    metrics.process_stopped()
    context.live.close()
    context.queries.close()
    if context.sparql is not context.queries:
        context.sparql.close()


def _lifespan(
    context: AppContext, warm_queries: bool
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await start(context, warm_queries)
        yield
        stop(context, metrics_of(app), access_log_of(app))

    return lifespan


def create_app(settings: Settings, *, warm_queries: bool = False) -> FastAPI:
    """A ready-to-serve app over the release root ``settings.store_dir``.

    With ``warm_queries`` the SPARQL workers start with the app and open the store at once;
    otherwise on the first query (tests make many apps and query few of them).

    The store is opened read-only on first use and reopened whenever a publisher swaps in a
    new release; until the first release exists, data routes answer 503.
    """
    context = AppContext.from_settings(settings)
    measured = Metrics(context.live, settings.sparql_workers_per_process, settings.metrics_dir)
    context.queries.observer = context.sparql.observer = PoolMetrics(measured)
    app = OdcApp(
        context,
        measured,
        debug=settings.debug,
        lifespan=_lifespan(context, warm_queries),
    )
    install_error_handlers(app)
    return app
