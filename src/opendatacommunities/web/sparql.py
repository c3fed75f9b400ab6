"""``/sparql``: the SPARQL 1.1 Protocol endpoint, its service description and its editor.

The default graph is the union of every named graph (each dataset is one named graph), so
queries need no ``GRAPH`` clause; ``default-graph-uri`` / ``named-graph-uri`` (or the query's
own ``FROM``) narrow it. Queries run in worker processes with a time limit and a result-size
limit (``opendatacommunities.store.QueryPool``). Nothing is fetched from other sites: a
``SERVICE`` clause is refused unless its endpoint is allow-listed (``ODC_SPARQL_SERVICES``).

A whole answer to a GET is remembered for the release (``fastpath``): a repeat is answered
before any routing, without asking a worker again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import AsyncIterator, Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from opendatacommunities.errors import (
    BadRequestError,
    NotAcceptableError,
    NotFoundError,
    QueryError,
    QuerySyntaxError,
    QueryTooComplexError,
    ResponseCutShort,
    ServiceRefusedError,
    UnacceptableResultError,
)
from opendatacommunities.formats import (
    GRAPH_FORMATS,
    HTML,
    SOLUTION_FORMATS,
    SPARQL_SUFFIXES,
    WebFormat,
)
from opendatacommunities.store import Answer, Job, Release, check_shape

# Not re-exported by the store package: query workers import that package, and need not
# load rdflib's parser.
from opendatacommunities.store.query.prefixes import query_prefixes
from opendatacommunities.store.query.services import check_services
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.http import make_etag
from opendatacommunities.web.negotiation import negotiate
from opendatacommunities.web.protocol import ProtocolRequest, read_protocol_request
from opendatacommunities.web.serving import keep
from opendatacommunities.web.sparql_pages import editor_page, service_description

log = logging.getLogger(__name__)

_POSITION = re.compile(r"error at (?P<line>\d+):(?P<column>\d+)")

CORS = {"access-control-allow-origin": "*"}
_PREFLIGHT = {
    **CORS,
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": "Accept, Content-Type",
    "access-control-max-age": "86400",
}
_METHODS = ("GET", "HEAD", "POST")
_ALLOW = {"allow": "GET, HEAD, POST, OPTIONS"}
#: Queries shorter than this (with no escapes and no SERVICE) are checked on the event loop.
_INLINE_CHECK = 4096


def vet_query(query: str, allowed: tuple[str, ...], prefixes: Mapping[str, str]) -> None:
    """Refuse a query before any worker sees it: one nesting too deeply or chaining too many
    clauses, or one whose ``SERVICE`` clauses call endpoints not in ``allowed`` (prefixed
    names read with ``prefixes`` undeclared, as the engine reads them).

    :raises BadRequestError: naming the limit, or the first endpoint refused.
    """
    try:
        check_shape(query)
        check_services(query, allowed, prefixes)
    except (QueryTooComplexError, ServiceRefusedError) as exc:
        raise BadRequestError(str(exc)) from None


async def _vet(query: str, allowed: tuple[str, ...], prefixes: Mapping[str, str]) -> None:
    """``vet_query``, in a thread when the query is long or may call a service (rdflib's
    parser then reads it): the event loop keeps serving meanwhile."""
    if len(query) < _INLINE_CHECK and "\\" not in query and "service" not in query.lower():
        vet_query(query, allowed, prefixes)
    else:
        await asyncio.to_thread(vet_query, query, allowed, prefixes)


def point_at(message: str, query: str) -> str:
    """The parser's message, followed by the line it names and a caret under the column.

    >>> print(point_at("error at 2:3: expected", "SELECT *\\nWHERE ?"))
    error at 2:3: expected
      WHERE ?
        ^
    """
    found = _POSITION.match(message)
    lines = query.splitlines()
    if found is None or not 0 < int(found["line"]) <= len(lines):
        return message
    column = max(int(found["column"]) - 1, 0)
    return f"{message}\n  {lines[int(found['line']) - 1]}\n  {' ' * column}^"


def _formats(request: Request, suffix: str | None) -> tuple[WebFormat | None, WebFormat | None]:
    if suffix is not None:
        if suffix not in SPARQL_SUFFIXES:
            raise NotFoundError(f"/sparql.{suffix} is not a results format we write.")
        return SPARQL_SUFFIXES[suffix]
    accept = request.headers.get("accept")
    return negotiate(accept, SOLUTION_FORMATS), negotiate(accept, GRAPH_FORMATS)


def _wants_page(request: Request, suffix: str | None) -> bool:
    """A browser (HTML preferred over every data format) gets the editor."""
    accept = request.headers.get("accept")
    if suffix is not None or not accept or request.method == "POST":
        return False
    return negotiate(accept, (*SOLUTION_FORMATS, *GRAPH_FORMATS, HTML)) is HTML


async def _answer(
    context: AppContext,
    asked: ProtocolRequest,
    formats: tuple[WebFormat | None, ...],
    release: Release,
) -> tuple[Answer, WebFormat]:
    assert asked.query is not None
    site = context.settings.base_iri
    await _vet(asked.query, context.settings.sparql_services, query_prefixes(site))
    solutions, graph = formats
    job = Job(
        query=asked.query,
        store_path=str(release.path),
        solutions_format=solutions.media_type if solutions else None,
        graph_format=graph.media_type if graph else None,
        default_graphs=asked.default_graphs,
        named_graphs=asked.named_graphs,
        base_iri=context.iris.url("/sparql"),
        site=site,
    )
    try:
        answer = await context.sparql.run(job)
    except QuerySyntaxError as exc:
        raise BadRequestError(point_at(str(exc), asked.query)) from None
    except UnacceptableResultError as exc:
        offer = SOLUTION_FORMATS if exc.kind != "triples" else GRAPH_FORMATS
        available = [f.media_type for f in offer]
        raise NotAcceptableError(
            f"This query gives {exc.kind}, available as: {', '.join(available)}.",
            available=available,
            headers={"vary": "Accept", **CORS},
        ) from None
    chosen = graph if answer.kind == "triples" else solutions
    assert chosen is not None
    return answer, chosen


def results_response(
    request: Request, answer: Answer, fmt: WebFormat, headers: dict[str, str]
) -> Response:
    """The answer as a response: whole when it arrived whole, else streamed.

    A stream that fails once started (the time limit, the size limit) is aborted with
    ``ResponseCutShort``, logged as the ordinary event it is: one warning line.
    """
    all_headers = {"content-type": fmt.content_type, **headers}
    if answer.rest is None:
        return Response(answer.head, headers=all_headers)
    rest: AsyncIterator[bytes] = answer.rest
    where = f"{request.method} {request.url.path}"

    async def body() -> AsyncIterator[bytes]:
        yield answer.head
        try:
            async for chunk in rest:
                yield chunk
        except QueryError as exc:
            log.warning("%s: the response was cut short: %s", where, exc)
            raise ResponseCutShort(str(exc)) from None

    return StreamingResponse(body(), headers=all_headers)


async def _endpoint(request: Request, suffix: str | None) -> Response:
    context = get_context(request)
    asked = await read_protocol_request(request)
    if asked.query is None:
        if request.method == "POST":
            raise BadRequestError("Give a query: the form field or URL parameter 'query'.")
        if _wants_page(request, suffix):
            return editor_page(request, context, "")
        return service_description(request, context, suffix)
    if not asked.query.strip():
        raise BadRequestError("The query is empty.")
    if _wants_page(request, suffix):
        return editor_page(request, context, asked.query)
    formats = _formats(request, suffix)
    release = context.live.current()
    answer, chosen = await _answer(context, asked, formats, release)
    headers = {"vary": "Accept", **CORS}
    if request.method == "GET" and answer.rest is None and context.settings.sparql_cache:
        _remember(request, release, answer.head, {"content-type": chosen.content_type, **headers})
    return results_response(request, answer, chosen, headers)


def _remember(request: Request, release: Release, body: bytes, headers: dict[str, str]) -> None:
    """Keep a whole answer for the life of the release: the same GET gets the same bytes
    until the next release, served by ``FastPath`` without asking a worker again."""
    digest = hashlib.sha256(request.url.query.encode() + headers["content-type"].encode())
    etag = make_etag(release.id, "sparql-" + digest.hexdigest()[:16])
    keep(request, release.id, Rendered(body, {**headers, "etag": etag}, etag))


async def endpoint(request: Request, suffix: str | None = None) -> Response:
    """``/sparql`` and ``/sparql.{suffix}``: a query's results, the service description or
    the editor; the CORS preflight; 405 for any other method."""
    if request.method in _METHODS:
        return await _endpoint(request, suffix)
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=_PREFLIGHT)  # CORS: any site may query
    raise HTTPException(405, headers=_ALLOW)
