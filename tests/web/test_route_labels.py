"""Metrics labels: a request is labelled by its route's template, never by its raw path."""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Scope

from opendatacommunities.web.route_labels import UNMATCHED, RouteLabels, template_of


def _ok(request: object) -> PlainTextResponse:
    return PlainTextResponse("ok")


DOC = Route("/doc/{path:path}", _ok)
SPARQL = Route("/sparql.{suffix}", _ok)
SPARQL.label = "/sparql"  # type: ignore[attr-defined]
STATIC = Mount("/static", routes=[])
ROUTES: list[BaseRoute] = [DOC, SPARQL, STATIC]


def _scope(path: str, route: BaseRoute | None = None) -> Scope:
    scope: Scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    if route is not None:
        scope["route"] = route
    return scope


def test_templates_drop_convertors_and_honour_named_labels() -> None:
    """``{path:path}`` reads ``{path}``; a row's own label wins; a mount covers its subtree."""
    assert template_of(DOC) == "/doc/{path}"
    assert template_of(SPARQL) == "/sparql"
    assert template_of(STATIC) == "/static/{path}"


def test_a_routed_request_is_labelled_by_its_route() -> None:
    """The route the router chose is taken as it is."""
    labels = RouteLabels(lambda: ROUTES)
    assert labels.label(_scope("/doc/geography/S1", DOC)) == "/doc/{path}"


def test_an_unrouted_request_is_matched_against_the_routes() -> None:
    """Remembered responses are answered before routing and still get their template."""
    labels = RouteLabels(lambda: ROUTES)
    assert labels.label(_scope("/doc/geography/S1")) == "/doc/{path}"
    assert labels.label(_scope("/sparql.csv")) == "/sparql"
    assert labels.label(_scope("/static/site.css")) == "/static/{path}"
    assert labels.label(_scope("/no/such/page")) == UNMATCHED


def test_a_path_s_template_is_remembered() -> None:
    """A repeat costs one lookup: the routes are not asked again."""
    asked: list[int] = []

    def routes() -> list[BaseRoute]:
        asked.append(1)
        return ROUTES

    labels = RouteLabels(routes)
    for _ in range(3):
        assert labels.label(_scope("/doc/a")) == "/doc/{path}"
    assert len(asked) == 1
