"""``/search`` and ``/search/suggest``: resources by name or code, forgiving typos.

A search matches words of names and codes as they are typed (``store.search``): exact codes
and names first, then names starting with the text, then words starting or holding the
words typed, then near spellings. ``kind`` (area, dataset, concept, term) and ``level`` (a
level of geography, as ``/geography`` lists them) narrow it; the total is that of every match,
and the pages share it out. ``/search/suggest`` gives the first few, for a search box.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import BadRequestError
from opendatacommunities.formats import HTML, JSON, WebFormat
from opendatacommunities.store import Release
from opendatacommunities.store.search import SEARCH_INDEX, SearchIndex
from opendatacommunities.vocab import DCAT, OWL, QB, QB_DATASET_CLASS, RDF, RDFS, SKOS
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.explore import (
    _data,
    _format,
    _index,
    _item,
    _link,
    _listing,
    _query_text,
    _send,
    _with_suffix,
    geography_levels,
    list_headers,
)
from opendatacommunities.web.fastpath import Direct
from opendatacommunities.web.target import requested_page

SUGGESTIONS = 8
DIRECT_QUERY = 64
"""The longest text suggested for before routing. A longer one, rarely typed in a search box,
or one that may match too much to be quick (``SearchIndex.quick``), is matched by the route,
in the threadpool, off the event loop."""
_FIXED_KINDS = {
    "dataset": frozenset({DCAT + "Dataset", QB_DATASET_CLASS}),
    "concept": frozenset({SKOS + "Concept", SKOS + "ConceptScheme"}),
    "term": frozenset(
        {RDFS + "Class", OWL + "Class", RDF + "Property", OWL + "ObjectProperty"}
        | {OWL + "DatatypeProperty", QB + "DimensionProperty", QB + "MeasureProperty"}
        | {QB + "AttributeProperty"}
    ),
}
KINDS = ("area", *_FIXED_KINDS)


def wanted_types(
    context: AppContext, index: SearchIndex, kind: str, level: str
) -> frozenset[str] | None:
    """The types a search is narrowed to by its ``kind`` and ``level``, None for any.

    :raises BadRequestError: for a kind or level that is not one of those offered.
    """
    levels = {v.iri: v for v in geography_levels(index, context.iris)}
    if level:
        iri = level if level in levels else context.iris.definition("geography/") + level
        if iri not in levels:
            names = ", ".join(sorted(i.rsplit("/", 1)[-1] for i in levels))
            raise BadRequestError(f"level={level} is not a level of geography; try {names}.")
        return frozenset({iri})
    if not kind:
        return None
    if kind == "area":
        return frozenset(levels)
    if kind not in _FIXED_KINDS:
        raise BadRequestError(f"kind={kind} is not a kind of result; try {', '.join(KINDS)}.")
    return _FIXED_KINDS[kind]


async def search(request: Request, suffix: str | None = None) -> Response:
    """Resources whose name or code matches ``q``: exact codes and names first."""
    fmt, context = _format(suffix), get_context(request)
    text, page = _query_text(request), requested_page(request)
    release, index = await _index(context)
    body = await run_in_threadpool(_search_page, context, request, fmt, index, text, page)
    return _send(request, fmt, body, release)


def _search_page(
    context: AppContext, request: Request, fmt: WebFormat, index: SearchIndex, text: str, page: int
) -> str:
    kind, level = request.query_params.get("kind", ""), request.query_params.get("level", "")
    types = wanted_types(context, index, kind, level)
    hits = index.search(text, kinds=types) if text else []
    listing = _listing(index, context.iris, hits, page)
    if fmt is not HTML:
        return _data(listing, fmt, {"query": text, "kind": kind or None, "level": level or None})
    return context.templates.get_template("search.html").render(
        query=text,
        kind=kind,
        level=level,
        kinds=KINDS,
        levels=geography_levels(index, context.iris),
        listing=listing,
        link=lambda **kw: _link("/search", request, **kw),
        twin=lambda suffix: _with_suffix(request, suffix),
    )


async def suggest(request: Request) -> Response:
    """The first few resources a search for ``q`` finds, as JSON, for a search box."""
    context = get_context(request)
    text = _query_text(request)
    release, index = await _index(context)
    body = await run_in_threadpool(_suggestions, context, index, text)
    return _send(request, JSON, body, release)


def _suggestions(context: AppContext, index: SearchIndex, text: str) -> str:
    hits = index.search(text, limit=SUGGESTIONS) if text else []
    items = [_item(index, context.iris, hit.entry) for hit in hits]
    rows = [
        {"label": i.label, "kind": i.kinds, "within": i.within, "code": i.notation, "page": i.href}
        for i in items
    ]
    return json.dumps({"query": text, "suggestions": rows}, ensure_ascii=False)


def direct_suggest(context: AppContext) -> Direct:
    """``/search/suggest`` answered before any routing (``FastPath.direct``): a suggestion
    costs a tenth of a millisecond or so from the index in memory, less than the framework's
    way to it and the hop to the threadpool. The response is the route's, byte for byte;
    a release whose index is not read yet, or a text too long, is left to the route."""

    def answer(release: Release, query: bytes) -> Rendered | None:
        index = release.cache.get(SEARCH_INDEX)
        texts = parse_qs(query.decode("latin-1"), encoding="utf-8").get("q", [""])
        text = texts[-1].strip()
        if index is None or len(text) > DIRECT_QUERY or not index.quick(text, SUGGESTIONS):
            return None
        headers = list_headers(release, JSON)
        return Rendered(_suggestions(context, index, text).encode(), headers, headers["etag"])

    return answer
