"""The route template a request was answered by (``/doc/{path}``), for metrics labels.

Labelling by the raw path would make one time series per address ever requested; the
templates are a fixed, small set: the route table's patterns, or the label a row names
(``/sparql`` for ``/sparql.{suffix}`` too). A routed request carries its route in
``scope["route"]``; requests answered before routing (remembered responses) are matched
against the routes here, with recent answers kept so that a repeat costs one lookup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from starlette.routing import BaseRoute, Match, Mount
from starlette.types import Scope

#: The label of a request no route matches (a 404 of an unknown address).
UNMATCHED = "(unmatched)"
#: How many paths' templates are kept.
RECENT_PATHS = 8192
_CONVERTOR = re.compile(r"\{(\w+):\w+\}")


def template_of(route: BaseRoute) -> str:
    """The label of ``route``: the one its row names, else its ``path`` without convertors
    (``/doc/{path}``), with ``/{path}`` under a mount."""
    label = getattr(route, "label", None)
    if isinstance(label, str):
        return label
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return UNMATCHED
    if isinstance(route, Mount):
        return f"{path}/{{path}}"
    return _CONVERTOR.sub(r"{\1}", path)


class RouteLabels:
    """Route templates for requests, by the app's routes."""

    def __init__(self, routes: Callable[[], Sequence[BaseRoute]]) -> None:
        """``routes`` gives the app's routes in match order."""
        self._routes = routes
        self._recent: dict[str, str] = {}

    def label(self, scope: Scope) -> str:
        """The template of the route that answered (or would answer) ``scope``."""
        path: str = scope["path"]
        route = scope.get("route")
        if route is not None:
            label = template_of(route)
        else:
            cached = self._recent.get(path)
            if cached is not None:
                return cached
            label = self._match(scope)
        if path not in self._recent:
            if len(self._recent) >= RECENT_PATHS:
                del self._recent[next(iter(self._recent))]  # the oldest
            self._recent[path] = label
        return label

    def _match(self, scope: Scope) -> str:
        for route in self._routes():
            match, _ = route.matches(scope)
            if match is not Match.NONE:
                return template_of(route)
        return UNMATCHED
