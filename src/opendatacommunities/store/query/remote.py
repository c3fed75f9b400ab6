"""``/sparql``'s queries answered by a remote SPARQL engine (``ODC_STORE_URL``), with the
guarantees the embedded store's query workers give.

* Read-only: the query is parsed here first (Oxigraph's parser, on an empty in-memory store:
  the query grammar alone, so an update never parses) and only a query that parses is sent.
  ``SERVICE`` and the nesting limits are checked before that, as for every store
  (``web.sparql.vet_query``).
* Scoped to the release served: its graphs are the protocol's default graphs (their union,
  unless the client or the query's ``FROM`` names others) and named graphs, under the
  engine's names for them (``engine_text``), which the answer turns back into the site's.
* A time limit that stops the query: the engine's own where it has one (Virtuoso's
  ``timeout`` parameter, in milliseconds; a Virtuoso answer cut short by it says so in
  ``X-SQL-State`` and is never passed off as whole), and the HTTP request cancelled at the
  deadline, or when the client goes away (the stream is closed with the response).
* A size limit, and the answer streamed in the format the client chose as the engine sends
  it: the first megabyte read before the response starts, as the query workers do.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import PurePath

import httpx
from pyoxigraph import QueryBoolean, QuerySolutions, Store

from opendatacommunities.config import Settings
from opendatacommunities.errors import (
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnacceptableResultError,
)
from opendatacommunities.store.query.engine_text import engine_query, renamed
from opendatacommunities.store.query.job import Job
from opendatacommunities.store.query.messages import Kind
from opendatacommunities.store.query.pool import HEAD_BYTES, Answer, PoolObserver
from opendatacommunities.store.query.prefixes import query_prefixes, syntax_message
from opendatacommunities.store.query.text import names_dataset
from opendatacommunities.store.remote import control
from opendatacommunities.store.remote.endpoint import Endpoint
from opendatacommunities.store.remote.layout import DEFAULT, release_graph, release_iri

log = logging.getLogger(__name__)

#: What Virtuoso says in ``X-SQL-State`` of an answer its time limit cut short.
VIRTUOSO_TIMED_OUT = "S1TAT"
#: The longest part of an engine's error message quoted in ours.
QUOTED = 500

GraphsOf = Callable[[str], Sequence[str]]
"""The site's names of the graphs of a release, by release id."""


@dataclass(frozen=True)
class EngineLimits:
    """How long a query may run and how large its answer may be, and whether the engine
    takes a time limit of its own with each query (Virtuoso's ``timeout``)."""

    timeout: float
    max_bytes: int
    timeout_parameter: bool = False


def query_kind(job: Job) -> Kind:
    """What ``job``'s query gives, from parsing it (never from running it: the store it
    runs on is empty and its answer is not read).

    :raises QuerySyntaxError: it does not parse as a query (an update never does).
    """
    prefixes = query_prefixes(job.site)
    try:
        result = Store().query(job.query, base_iri=job.base_iri, prefixes=dict(prefixes))
    except SyntaxError as exc:
        raise QuerySyntaxError(syntax_message(job.query, str(exc), prefixes)) from None
    if isinstance(result, QuerySolutions):
        return "solutions"
    return "boolean" if isinstance(result, QueryBoolean) else "triples"


class RemoteQueries:
    """Queries run on a remote engine over HTTP (pooled connections), one release at a time:
    the last part of ``Job.store_path`` (the release's directory) is the id of the release
    to read."""

    observer: PoolObserver = PoolObserver()
    """Told of queries stopped by the time limit (the server's metrics)."""

    def __init__(self, query_url: str, graphs_of: GraphsOf, limits: EngineLimits) -> None:
        self.query_url = query_url
        self.limits = limits
        self._graphs_of = graphs_of
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(limits.timeout, connect=min(5.0, limits.timeout)),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )

    async def warm(self, store_path: str) -> None:
        """Read the release's graph names now rather than on the first query."""
        await asyncio.to_thread(self._graphs_of, PurePath(store_path).name)

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._client.aclose()

    def close(self) -> None:
        """Close the pooled connections once the running event loop gets to it (the server
        is stopping), or at once when no loop runs."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(self.aclose())
            return
        self._closing = loop.create_task(self.aclose())

    async def run(self, job: Job) -> Answer:
        """Run ``job`` on the engine; the first megabyte of the answer read, the rest to be.

        :raises QuerySyntaxError: the query does not parse (nothing is sent).
        :raises UnacceptableResultError: neither format in ``job`` suits the result.
        :raises QueryTimeoutError: no whole answer within the time limit.
        :raises ResultTooLargeError: the answer is larger than the size limit.
        :raises QueryError: the engine could not be reached or failed.
        """
        if job.substitutions:
            raise QueryError("a query with bound parameters is not sent to a remote engine")
        job = replace(job, store_path=PurePath(job.store_path).name)
        kind = await asyncio.to_thread(query_kind, job)
        accept = job.graph_format if kind == "triples" else job.solutions_format
        if accept is None:
            raise UnacceptableResultError(kind)
        form = await asyncio.to_thread(self._form, job)
        deadline = asyncio.get_running_loop().time() + self.limits.timeout
        response = await self._send(form, accept, deadline)
        chunks = renamed(self._body(response, deadline), f"{release_iri(job.store_path)}:".encode())
        try:
            return await _first(kind, chunks)
        except BaseException:
            await chunks.aclose()
            raise

    def _form(self, job: Job) -> list[tuple[str, str]]:
        """The protocol request for ``job``: the query in the engine's terms, its dataset."""
        graphs = {g: release_graph(job.store_path, g) for g in self._graphs_of(job.store_path)}
        text = engine_query(job.query, graphs, query_prefixes(job.site))
        if job.base_iri:
            text = f"BASE <{job.base_iri}>\n{text}"
        default = [graphs.get(g, g) for g in job.default_graphs]
        named = [graphs.get(g, g) for g in job.named_graphs]
        if not names_dataset(job.query):
            default = default or list(graphs.values())
            named = named or list(graphs.values())
        form = [("query", text)]
        form += [("default-graph-uri", g) for g in default]
        form += [("named-graph-uri", g) for g in named]
        if self.limits.timeout_parameter:
            form.append(("timeout", str(int(self.limits.timeout * 1000))))
        return form

    async def _send(
        self, form: list[tuple[str, str]], accept: str, deadline: float
    ) -> httpx.Response:
        request = self._client.build_request(
            "POST", self.query_url, data=dict(_grouped(form)), headers={"Accept": accept}
        )
        try:
            async with asyncio.timeout_at(deadline):
                response = await self._client.send(request, stream=True)
        except TimeoutError:
            raise self._timed_out() from None
        except httpx.TransportError as exc:
            raise QueryError(f"the SPARQL engine at {self.query_url} failed: {exc}") from None
        if response.status_code >= 300:
            raise await self._refusal(response)
        if response.headers.get("x-sql-state", "").upper() == VIRTUOSO_TIMED_OUT:
            await response.aclose()
            raise self._timed_out()
        return response

    async def _refusal(self, response: httpx.Response) -> QueryError:
        try:
            message = " ".join((await response.aread()).decode(errors="replace").split())
        except httpx.HTTPError:
            message = ""
        finally:
            await response.aclose()
        text = f"the SPARQL engine refused the query: {response.status_code} {message[:QUOTED]}"
        if "timed out" in message.lower() or "timeout" in message.lower():
            return self._timed_out()
        if 400 <= response.status_code < 500:
            return QuerySyntaxError(text)
        return QueryError(text)

    def _timed_out(self) -> QueryTimeoutError:
        self.observer.timed_out("running")
        return QueryTimeoutError(
            f"The query ran for more than {self.limits.timeout:g} s and was stopped "
            "(ODC_SPARQL_TIMEOUT)."
        )

    async def _body(self, response: httpx.Response, deadline: float) -> AsyncIterator[bytes]:
        """The answer's bytes until the deadline or the size limit; the request is cancelled
        (its connection closed) however the reading ends."""
        size = 0
        stream = response.aiter_bytes()
        try:
            while True:
                try:
                    async with asyncio.timeout_at(deadline):
                        chunk = await anext(stream, None)
                except TimeoutError:
                    raise self._timed_out() from None
                except httpx.HTTPError as exc:
                    raise QueryError(
                        f"the answer from the SPARQL engine broke off: {exc}"
                    ) from None
                if chunk is None:
                    return
                size += len(chunk)
                if self.limits.max_bytes and size > self.limits.max_bytes:
                    raise ResultTooLargeError(_too_large(self.limits.max_bytes))
                yield chunk
        finally:
            await response.aclose()


def remote_queries(settings: Settings) -> RemoteQueries:
    """``/sparql``'s queries on the engine of ``settings.store_url``, with the endpoint's
    time and size limits (the engine's own time limit sent along where the engine is
    Virtuoso, known by its ``/sparql`` endpoint)."""
    endpoint = Endpoint(settings)

    @lru_cache(maxsize=4)
    def graphs_of(release_id: str) -> tuple[str, ...]:
        prefix = release_iri(release_id) + ":"
        names = control.release_graphs(endpoint).get(release_id, [])
        default = release_graph(release_id, DEFAULT)
        return tuple(name.removeprefix(prefix) for name in names if name != default)

    limits = EngineLimits(
        timeout=settings.sparql_timeout,
        max_bytes=settings.sparql_max_megabytes * 1_000_000,
        timeout_parameter=settings.store_url.rstrip("/").endswith("/sparql"),
    )
    return RemoteQueries(settings.store_url, graphs_of, limits)


def _grouped(form: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The form's fields, each with every value it was given (graphs repeat)."""
    fields: dict[str, list[str]] = {}
    for name, value in form:
        fields.setdefault(name, []).append(value)
    return fields


def _too_large(limit: int) -> str:
    return f"The results are larger than {limit / 1_000_000:g} MB (ODC_SPARQL_MAX_MEGABYTES)."


async def _first(kind: Kind, chunks: AsyncIterator[bytes]) -> Answer:
    """The answer with up to ``HEAD_BYTES`` read; ``rest`` holds the remainder, if any."""
    head: list[bytes] = []
    size = 0
    async for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size >= HEAD_BYTES:
            return Answer(kind, b"".join(head), chunks)
    return Answer(kind, b"".join(head))
