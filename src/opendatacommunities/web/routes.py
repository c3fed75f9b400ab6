"""Every URL the site answers, and the function that answers it: the one route table.

Rows are matched top to bottom; the first whose pattern matches a request's path answers
it. Where two patterns can match the same path, the earlier row says so (``wins_over``),
and ``tests/web/test_routes.py`` proves each such decision with the row's ``example``.

A row may name a handler to try ``first``: it answers the requests it is for (a cube's page,
for a client that wants HTML) and passes the rest (returns None) to the row's ``handler``.
Handlers are plain functions in their concept modules, called with the request and the
pattern's parameters by name.

Patterns follow Starlette's syntax: ``{name}`` is one path segment, ``{name:path}`` the rest
of the path, slashes included.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from opendatacommunities.web import (
    catalogue,
    dumps,
    explore,
    favicon,
    health,
    lists,
    metrics,
    openapi,
    queries,
    resources,
    search,
    sitemap,
    sparql,
    void,
)
from opendatacommunities.web.context import STATIC
from opendatacommunities.web.cube import browse
from opendatacommunities.web.cube import documents as cube
from opendatacommunities.web.listing import pages as data_list
from opendatacommunities.web.places import choropleth, compare, geography, profiles
from opendatacommunities.web.places import dashboards as dashboard_pages
from opendatacommunities.web.places import stories as story_pages

Handler = Callable[..., Awaitable[Response]]
"""Answers a request: ``handler(request, **parameters)``."""
MayAnswer = Callable[..., Awaitable[Response | None]]
"""Answers the requests it is for, and returns None for the others."""

READ = ("GET", "HEAD")
ANY = None
"""Every method: the handler itself answers 405 (or a CORS preflight)."""


@dataclass(frozen=True)
class Row:
    """One line of the table: a path pattern, who answers it, and an address it serves."""

    pattern: str
    handler: Handler
    example: str
    """A path this row answers (the tests request it)."""
    first: MayAnswer | None = None
    methods: tuple[str, ...] | None = READ
    wins_over: tuple[str, ...] = ()
    """The patterns of later rows that also match some of this row's paths."""
    label: str | None = None
    """The metrics label of the requests answered (the pattern, unless set)."""


ROWS: tuple[Row, ...] = (
    # The SPARQL endpoint first: its queries are the requests not answered before routing.
    Row("/sparql", sparql.endpoint, "/sparql", methods=ANY),
    Row("/sparql.{suffix}", sparql.endpoint, "/sparql.csv", methods=ANY, label="/sparql"),
    Row("/", explore.home, "/"),
    Row("/id/{path:path}", resources.thing, "/id/statistical-geography/S12000049"),
    Row("/doc/{path:path}", resources.document, "/doc/statistical-geography/S12000049"),
    # Codes of a cube's code lists (/def/concept/{cube}/{dimension}/{code}) have a page of
    # their own for browsers; every other definition, and every other format, is described.
    Row("/def/{path:path}", resources.definition, "/def/geography", first=cube.code),
    Row("/data", data_list.catalogue, "/data"),
    Row("/data.{suffix}", data_list.catalogue, "/data.ttl"),
    # The slicer and the downloads lie under /data/{dataset}/, as a cube's parts do: they go
    # before the documents' pattern, which would otherwise take them.
    Row(
        "/data/{dataset}/slice",
        browse.cube_slice,
        "/data/simd2020/slice",
        wins_over=("/data/{path:path}",),
    ),
    Row(
        "/data/{dataset}/slice.{suffix}",
        browse.cube_slice,
        "/data/simd2020/slice.csv",
        wins_over=("/data/{path:path}",),
    ),
    Row(
        "/data/{dataset}/map",
        choropleth.cube_map,
        "/data/simd2020/map",
        wins_over=("/data/{path:path}",),
    ),
    Row(
        "/data/{dataset}/map.{suffix}",
        choropleth.cube_map,
        "/data/simd2020/map.json",
        wins_over=("/data/{path:path}",),
    ),
    Row(
        "/data/{dataset}/observations.csv",
        browse.cube_observations,
        "/data/simd2020/observations.csv",
        wins_over=("/data/{path:path}",),
    ),
    Row(
        "/data/{dataset}/dump.{key}.gz",
        dumps.dump,
        "/data/simd2020/dump.nt.gz",
        wins_over=("/data/{path:path}",),
    ),
    # A cube's page for browsers; any other dataset, or format, is described.
    Row(
        "/data/{path}",
        resources.dataset,
        "/data/simd2020",
        first=cube.dataset_page,
        wins_over=("/data/{path:path}",),
    ),
    # An observation's or a codes-used collection's page for browsers; else described.
    Row("/data/{path:path}", resources.dataset, "/data/simd2020/codes/x", first=cube.part),
    Row("/resource", resources.any_resource, "/resource"),
    Row("/resource.{suffix}", resources.any_resource_as, "/resource.ttl"),
    Row("/search", search.search, "/search"),
    Row("/search/suggest", search.suggest, "/search/suggest"),
    Row("/search.{suffix}", search.search, "/search.json"),
    Row("/resources", lists.resources, "/resources"),
    Row("/resources.{suffix}", lists.resources, "/resources.csv"),
    Row("/geography", geography.levels, "/geography"),
    Row("/geography.{suffix}", geography.levels, "/geography.json"),
    Row(
        "/geography/profiles/{code}.{suffix}",
        profiles.area_figures,
        "/geography/profiles/S12000049.csv",
    ),
    # A level's name holds no dot: the suffixed pattern goes first, or it would take it.
    Row(
        "/geography/{level}.{suffix}",
        geography.level,
        "/geography/ElectoralWard.json",
        wins_over=("/geography/{level}",),
    ),
    Row("/geography/{level}", geography.level, "/geography/ElectoralWard"),
    Row("/compare", compare.comparison, "/compare"),
    Row("/compare.{suffix}", compare.comparison, "/compare.csv"),
    Row("/queries", queries.named_queries, "/queries"),
    Row("/queries.json", queries.named_queries_json, "/queries.json"),
    Row("/queries/{name}", queries.named_query, "/queries/area"),
    Row("/stories", story_pages.stories, "/stories"),
    Row("/stories.{suffix}", story_pages.stories, "/stories.json"),
    Row("/stories/{name}", story_pages.story, "/stories/glasgow-deprivation"),
    Row("/dashboards", dashboard_pages.dashboards, "/dashboards"),
    Row("/dashboards.{suffix}", dashboard_pages.dashboards, "/dashboards.json"),
    Row("/dashboards/{theme}", dashboard_pages.dashboard, "/dashboards/housing"),
    Row("/robots.txt", sitemap.robots, "/robots.txt"),
    Row("/favicon.ico", favicon.favicon, "/favicon.ico"),
    Row("/sitemap.xml", sitemap.sitemap, "/sitemap.xml"),
    Row("/sitemap-{number:int}.xml", sitemap.sitemap_part, "/sitemap-1.xml"),
    Row("/catalog", catalogue.catalog, "/catalog"),
    Row("/catalog.{suffix}", catalogue.catalog, "/catalog.ttl"),
    Row("/.well-known/void", void.void, "/.well-known/void"),
    Row("/.well-known/void.{suffix}", void.void, "/.well-known/void.ttl"),
    Row("/openapi.json", openapi.openapi, "/openapi.json"),
    Row("/healthz", health.healthz, "/healthz"),
    Row("/readyz", health.readyz, "/readyz"),
    Row("/metrics", metrics.metrics_page, "/metrics"),
)
STATIC_PREFIX = "/static"
"""Vendored scripts, styles and fonts, under the last route: a mount of the files."""


class TableRoute(Route):
    """A route made from a row of the table."""

    def __init__(self, row: Row) -> None:
        super().__init__(row.pattern, _endpoint(row), methods=row.methods, include_in_schema=False)
        if row.methods is ANY:
            self.methods = None  # Starlette takes no methods to mean GET for a function
        self.row = row
        self.label = row.label

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Starlette's match, noting this route in the scope (for metrics labels)."""
        match, child = super().matches(scope)
        if match is not Match.NONE:
            child["route"] = self
        return match, child


def _endpoint(row: Row) -> Callable[[Request], Awaitable[Response]]:
    handler, first = row.handler, row.first
    if first is None:

        async def answer(request: Request) -> Response:
            return await handler(request, **request.path_params)

        return answer

    async def answer_or_pass(request: Request) -> Response:
        response = await first(request, **request.path_params)
        if response is None:
            response = await handler(request, **request.path_params)
        return response

    return answer_or_pass


def routes() -> list[BaseRoute]:
    """The table as the app's routes, in match order, the static files last."""
    made: list[BaseRoute] = [TableRoute(row) for row in ROWS]
    made.append(Mount(STATIC_PREFIX, StaticFiles(directory=STATIC), name="static"))
    return made
