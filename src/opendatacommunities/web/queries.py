"""``/queries``: named SPARQL queries as documented API endpoints.

``/queries/{name}`` shows a form for the query's parameters and, once they are given, its
results as a table (labels shown, resources linked); ``.json`` (SPARQL JSON results) and
``.csv`` give the same results as data. Parameters are bound as typed RDF terms, never
pasted into the query, and the query runs like any other: in a worker, within the limits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import HTML, JSON, RESULTS_CSV, RESULTS_JSON, WebFormat
from opendatacommunities.store import Answer, Job, NamedQuery
from opendatacommunities.store.terms import Literal, NamedNode
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.negotiation import choose, negotiate
from opendatacommunities.web.sparql import CORS, results_response

_SUFFIXES = {"json": RESULTS_JSON, "csv": RESULTS_CSV, "html": HTML}
_OFFER = (HTML, RESULTS_JSON, RESULTS_CSV)


@dataclass(frozen=True)
class Cell:
    """One value of the results table: its text and, for a resource, where it links."""

    text: str
    href: str | None = None


def _named(context: AppContext, name: str) -> NamedQuery:
    query = context.named_queries.get(name)
    if query is None:
        raise NotFoundError(f"There is no named query {name!r}; see /queries for the list.")
    return query


def _href(context: AppContext, iri: str) -> str:
    if context.iris.local_path(iri) is not None:
        return context.iris.page_path(iri)
    return "/resource?" + urlencode({"uri": iri})


def table(context: AppContext, results: dict[str, object], hidden: set[str]) -> dict[str, object]:
    """SPARQL JSON results as rows of cells: a column ``xLabel`` names the resources of the
    column ``x`` (and is not shown on its own); parameter columns are left out."""
    head = results["head"]
    assert isinstance(head, dict)
    variables: list[str] = [v for v in head.get("vars", []) if v not in hidden]
    labelled = {v for v in variables if f"{v}Label" in variables}
    columns = [v for v in variables if not (v.endswith("Label") and v[:-5] in labelled)]
    body = results.get("results", {})
    assert isinstance(body, dict)
    rows = []
    for binding in body.get("bindings", []):
        row = []
        for column in columns:
            term = binding.get(column)
            label = binding.get(f"{column}Label") if column in labelled else None
            if term is None:
                row.append(Cell(""))
            elif term["type"] == "uri":
                text = label["value"] if label else term["value"]
                row.append(Cell(text, _href(context, term["value"])))
            else:
                row.append(Cell(term["value"]))
        rows.append(row)
    return {"columns": columns, "rows": rows}


def _given(request: Request) -> dict[str, list[str]]:
    given: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        given.setdefault(name, []).append(value)
    return given


async def _run(
    context: AppContext, query: NamedQuery, bound: dict[str, NamedNode | Literal], fmt: WebFormat
) -> Answer:
    job = Job(
        query=query.text,
        store_path=str(context.live.current().path),
        solutions_format=fmt.media_type,
        substitutions=dict(bound),
        base_iri=context.iris.url(f"/queries/{query.name}"),
        site=context.settings.base_iri,
    )
    return await context.queries.run(job)


def _page(request: Request, context: AppContext, template: str, **values: object) -> Response:
    body = context.templates.get_template(template).render(**values)
    return Response(body, headers={"content-type": HTML.content_type, "vary": "Accept"})


def _format(request: Request, name: str, suffix: str | None) -> WebFormat:
    if suffix is not None:
        return _SUFFIXES[suffix]
    return choose(request.headers.get("accept"), _OFFER, f"/queries/{name}")


async def _named_query(request: Request, name: str, suffix: str | None) -> Response:
    context = get_context(request)
    query = _named(context, name)
    fmt = _format(request, name, suffix)
    given = _given(request)
    values = {p.name: given.get(p.name, [""])[0] for p in query.parameters}
    if fmt is HTML and not given:  # the form, to be filled in
        return _page(request, context, "query.html", query=query, values=values, table=None)
    bound = query.bind(given)  # ParameterError: a 400 naming each parameter
    if fmt is HTML:
        answer = await _run(context, query, bound, RESULTS_JSON)
        body = answer.head
        if answer.rest is not None:
            body += b"".join([chunk async for chunk in answer.rest])
        results = json.loads(body)
        shown = table(context, results, {p.name for p in query.parameters})
        links = {k: f"/queries/{name}.{k}?{urlencode(values)}" for k in ("json", "csv")}
        return _page(
            request, context, "query.html", query=query, values=values, table=shown, links=links
        )
    answer = await _run(context, query, bound, fmt)
    return results_response(request, answer, fmt, {"vary": "Accept", **CORS})


async def named_queries(request: Request) -> Response:
    """Every named query, with what it does and its parameters."""
    context = get_context(request)
    chosen = negotiate(request.headers.get("accept"), (HTML, JSON))
    if chosen is JSON:
        return _listing_json(context)
    return _page(request, context, "queries.html", queries=list(context.named_queries.values()))


async def named_queries_json(request: Request) -> Response:
    """The list of named queries as JSON."""
    return _listing_json(get_context(request))


def _listing_json(context: AppContext) -> Response:
    listing = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "url": context.iris.url(f"/queries/{q.name}"),
            "parameters": [
                {"name": p.name, "type": p.type, "description": p.description, "example": p.example}
                for p in q.parameters
            ],
        }
        for q in context.named_queries.values()
    ]
    body = json.dumps({"queries": listing}, ensure_ascii=False, indent=2).encode()
    return Response(body, headers={"content-type": JSON.content_type, **CORS})


async def named_query(request: Request, name: str) -> Response:
    """A named query: its form, or its results (HTML, SPARQL JSON or CSV by Accept)."""
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in _SUFFIXES:
        return await _named_query(request, stem, suffix)
    return await _named_query(request, name, None)
