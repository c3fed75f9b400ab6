"""``/sparql``'s queries on a remote engine (``store.query.remote``), on Oxigraph server and
Virtuoso: scoped to one release under the site's graph names, updates refused before they
leave, the answer streamed within the size limit, the time limit stopping the query."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from opendatacommunities.errors import (
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnacceptableResultError,
)
from opendatacommunities.store import Answer, Job
from opendatacommunities.store.query.remote import EngineLimits, RemoteQueries
from opendatacommunities.store.remote.layout import release_graph
from tests.plugins.engines import Engine

SITE = "http://h"
LIVE, OLD = "20261205T1Z-live00", "20261205T0Z-old000"
GRAPHS = {"a": f"{SITE}/graph/a", "b": f"{SITE}/graph/b"}
JSON = "application/sparql-results+json"
#: Observations in graph b: enough for an answer over a megabyte.
MANY = 12_000


def _put(engine: Engine, graph: str, triples: str) -> None:
    answer = httpx.put(
        engine.graph_url,
        params={"graph": graph},
        content=triples.encode(),
        headers={"Content-Type": "application/n-triples"},
        auth=engine.auth(),
        timeout=120,
    )
    assert answer.status_code < 300, answer.text


@pytest.fixture(params=["oxigraph_engine", "virtuoso_engine"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """An engine holding two releases: the live one (graphs a and b) and an older one."""
    found: Engine = request.getfixturevalue(request.param)
    found.clear()
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    _put(found, release_graph(LIVE, GRAPHS["a"]), f'<{SITE}/id/x> {label} "live" .\n')
    many = "".join(f'<{SITE}/id/o{n}> <{SITE}/def/v> "{n:09d}" .\n' for n in range(MANY))
    _put(found, release_graph(LIVE, GRAPHS["b"]), many)
    _put(found, release_graph(OLD, GRAPHS["a"]), f'<{SITE}/id/x> {label} "old" .\n')
    return found


def _queries(engine: Engine, **limits: float) -> RemoteQueries:
    chosen = EngineLimits(
        timeout=limits.get("timeout", 30.0),
        max_bytes=int(limits.get("max_bytes", 0)),
        timeout_parameter=engine.name == "virtuoso",
    )
    return RemoteQueries(engine.query_url, lambda _release: list(GRAPHS.values()), chosen)


def _job(query: str, **options: object) -> Job:
    formats = {"solutions_format": JSON, "graph_format": "application/n-triples"}
    return Job(query, LIVE, site=SITE, **{**formats, **options})  # type: ignore[arg-type]


async def _whole(queries: RemoteQueries, job: Job) -> tuple[Answer, bytes]:
    try:
        answer = await queries.run(job)
        rest = [chunk async for chunk in answer.rest] if answer.rest is not None else []
        return answer, answer.head + b"".join(rest)
    finally:
        await queries.aclose()


def _rows(body: bytes) -> list[dict[str, str]]:
    bindings = json.loads(body)["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


def test_a_query_reads_the_live_release_under_the_site_graph_names(engine: Engine) -> None:
    query = "SELECT ?g ?l { GRAPH ?g { ?s rdfs:label ?l } }"
    answer, body = asyncio.run(_whole(_queries(engine), _job(query)))
    assert answer.kind == "solutions"
    assert _rows(body) == [{"g": GRAPHS["a"], "l": "live"}]
    # The default graph is the union of the release's graphs; a graph named in the query
    # (here by a common prefix the engine does not know) is the release's.
    union = "SELECT ?l { ?s rdfs:label ?l }"
    assert _rows(asyncio.run(_whole(_queries(engine), _job(union)))[1]) == [{"l": "live"}]
    named = "ASK { GRAPH graph:a { ?s rdfs:label 'live' } }"
    assert json.loads(asyncio.run(_whole(_queries(engine), _job(named)))[1])["boolean"] is True
    chosen = _job("SELECT ?l { ?s rdfs:label ?l }", default_graphs=(GRAPHS["b"],))
    assert _rows(asyncio.run(_whole(_queries(engine), chosen))[1]) == []


def test_a_construct_comes_in_the_graph_format_asked(engine: Engine) -> None:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ <{SITE}/id/x> ?p ?o . ?s ?p ?o }}"
    answer, body = asyncio.run(_whole(_queries(engine), _job(query)))
    assert answer.kind == "triples"
    assert body.decode().split() == [
        f"<{SITE}/id/x>",
        "<http://www.w3.org/2000/01/rdf-schema#label>",
        '"live"',
        ".",
    ]
    no_format = _job(query, graph_format=None)
    with pytest.raises(UnacceptableResultError):
        asyncio.run(_whole(_queries(engine), no_format))


class _Listener:
    """A server that accepts connections, reads, never answers, and notes when a client
    hangs up."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"
        self.connections = 0
        self.closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            connection, _ = self.socket.accept()
            self.connections += 1
            with connection:
                while connection.recv(65536):
                    pass
            self.closed.set()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    made = _Listener()
    yield made
    made.socket.close()


def test_an_update_is_refused_before_anything_is_sent(listener: _Listener) -> None:
    limits = EngineLimits(timeout=5, max_bytes=0)
    queries = RemoteQueries(listener.url, lambda _release: [], limits)
    for update in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DROP ALL", "SELECT * {} ; DROP ALL"):
        with pytest.raises(QuerySyntaxError):
            asyncio.run(_whole(queries, _job(update)))
    assert listener.connections == 0


def test_at_the_time_limit_the_request_is_cancelled(listener: _Listener) -> None:
    queries = RemoteQueries(listener.url, lambda _release: [], EngineLimits(1.0, 0))
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="more than 1 s"):
        asyncio.run(_whole(queries, _job("ASK {}")))
    assert time.monotonic() - started < 5
    assert listener.closed.wait(5), "the connection to the engine stayed open"


def test_a_long_answer_streams_and_one_past_the_size_limit_is_refused(engine: Engine) -> None:
    query = f"SELECT ?s ?v {{ GRAPH graph:b {{ ?s <{SITE}/def/v> ?v }} }}"
    answer, body = asyncio.run(_whole(_queries(engine), _job(query)))
    assert answer.rest is not None, "an answer over a megabyte is streamed"
    assert len(_rows(body)) == MANY
    with pytest.raises(ResultTooLargeError, match=r"larger than 0\.5 MB"):
        asyncio.run(_whole(_queries(engine, max_bytes=500_000), _job(query)))


def test_a_query_past_the_time_limit_is_stopped_by_virtuoso_itself(
    virtuoso_engine: Engine,
) -> None:
    """Virtuoso takes the limit with the query (``timeout``) and stops it itself; Oxigraph
    server is given its limit when started (``--timeout-s``), as the README says."""
    engine = virtuoso_engine
    engine.clear()
    many = "".join(f'<{SITE}/id/o{n}> <{SITE}/def/v> "{n}" .\n' for n in range(2000))
    _put(engine, release_graph(LIVE, GRAPHS["b"]), many)
    slow = "SELECT (COUNT(*) AS ?n) { GRAPH graph:b { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } }"
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        asyncio.run(_whole(_queries(engine, timeout=2.0), _job(slow)))
    assert time.monotonic() - started < 10
