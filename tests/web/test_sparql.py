"""The SPARQL endpoint's limits and behaviour, over a real server: time limit, size limit,
no outgoing requests, read-only, errors, formats, and real SPARQL clients."""

from __future__ import annotations

import ast
import csv
import io
import json
import multiprocessing
import random
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from pyoxigraph import RdfFormat, parse
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from opendatacommunities.web.protocol import form_fields
from tests.plugins.listener import Listener
from tests.plugins.servers import serving_fixtures

GLASGOW = "/id/statistical-geography/S12000049"
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
LABEL_OF_GLASGOW = """
SELECT ?label WHERE { <%s> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The glasgow fixtures served with a 1.5 s query limit and a 1 MB result limit."""
    root = tmp_path_factory.mktemp("sparql") / "store"

    with serving_fixtures(
        root, reload_seconds=0, sparql_timeout=1.5, sparql_max_megabytes=1
    ) as settings:
        yield settings.base_iri


def _select(url: str, query: str, **headers: str) -> httpx.Response:
    return httpx.post(f"{url}/sparql", data={"query": query}, headers=headers, timeout=30)


def test_runaway_query_is_stopped_while_others_are_served(server: str) -> None:
    """A cross join past the limit gets a 503 naming the limit soon after it; meanwhile other
    clients' queries are answered at once; afterwards the endpoint works as before."""
    outcome: dict[str, object] = {}
    assert _select(server, "ASK {}").status_code == 200  # the workers are up

    def runaway() -> None:
        started = time.monotonic()
        outcome["response"] = _select(server, RUNAWAY)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    for _ in range(5):
        started = time.monotonic()
        quick = _select(server, LABEL_OF_GLASGOW % (server + GLASGOW))
        assert quick.status_code == 200
        assert "Glasgow City" in quick.text
        assert time.monotonic() - started < 1.0
        page = httpx.get(server + GLASGOW.replace("/id/", "/doc/"), headers={"accept": "text/html"})
        assert page.status_code == 200
    thread.join()
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert "limit of 1.5 s" in response.text
    assert 1.4 < float(str(outcome["seconds"])) < 5
    assert _select(server, "ASK {}").status_code == 200


def _workers() -> set[int]:
    """The query workers' process ids (the test servers run in this process)."""
    return {p.pid for p in multiprocessing.active_children() if p.pid is not None}


def test_errors_leave_the_workers_alone_and_time_limits_replace_them(server: str) -> None:
    """A query that fails to parse, asks for an unacceptable format or is refused keeps the
    worker it ran on (nothing is left running there); one stopped at the time limit gets
    a new process in its place."""
    assert _select(server, "ASK {}").status_code == 200
    before = _workers()
    assert len(before) >= 2
    for _ in range(4):
        assert _select(server, "SELECT * WHERE {").status_code == 400
        assert _select(server, "ASK {}", accept="image/png").status_code == 406
    assert _workers() == before
    assert _select(server, RUNAWAY).status_code == 503
    deadline = time.monotonic() + 10
    while len(_workers() - before) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_workers() - before) == 1
    assert _select(server, "ASK {}").status_code == 200


def test_methods_and_body_limit(server: str) -> None:
    """Methods other than GET, HEAD, POST and OPTIONS are refused with 405 and the ones
    allowed; a body over 1 MB is refused with 413 without being read to its end."""
    refused = httpx.put(f"{server}/sparql", content="ASK {}")
    assert refused.status_code == 405
    assert "POST" in refused.headers["allow"]
    assert httpx.head(f"{server}/sparql.json", params={"query": "ASK {}"}).status_code == 200
    huge = "ASK {} #" + "x" * (2 << 20)
    headers = {"content-type": "application/sparql-query"}
    assert httpx.post(f"{server}/sparql", content=huge, headers=headers).status_code == 413
    assert httpx.get(f"{server}/sparql/nothing").status_code == 404


def test_runaway_regex_is_stopped(server: str) -> None:
    """Catastrophic backtracking in a FILTER is stopped like any other runaway query."""
    query = """SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i
      FILTER(REGEX(CONCAT(STR(?c), STR(?f), STR(?i)), "^(.|..)*(.|..)*(.|..)*z$")) }"""
    assert _select(server, query).status_code == 503


@pytest.mark.parametrize(
    "pattern",
    [
        "SERVICE <{url}> {{ ?s ?p ?o }}",
        "SERVICE SILENT <{url}> {{ ?s ?p ?o }}",
        "service<{url}>{{ ?s ?p ?o }}",
        "\\u0053ERVICE <{url}> {{ ?s ?p ?o }}",
        "SERVICE ex:sparql {{ ?s ?p ?o }}",
        "BIND(<{url}> AS ?where) SERVICE ?where {{ ?s ?p ?o }}",
    ],
    ids=["plain", "silent", "lower-case", "escaped", "prefixed", "variable"],
)
def test_service_is_refused(server: str, listener: Listener, pattern: str) -> None:
    """Every spelling of SERVICE to a non-allow-listed endpoint is a 400, and the listener
    standing for an internal service receives nothing."""
    before = len(listener.requests)
    prefix = f"PREFIX ex: <{listener.url.removesuffix('sparql')}>\n"
    query = prefix + "SELECT * WHERE { " + pattern.format(url=listener.url) + " }"
    response = _select(server, query)
    assert response.status_code == 400
    assert "SERVICE" in response.text and "not allowed" in response.text
    time.sleep(0.1)
    assert len(listener.requests) == before


def test_service_word_in_strings_and_iris_is_not_refused(server: str) -> None:
    """The word 'service' in a string, an IRI or a comment is just text."""
    query = 'SELECT * { ?s ?p "SERVICE <http://x/>" . ?s ?p <http://x/service/1> } # SERVICE'
    assert _select(server, query).status_code == 200


def test_allow_listed_service_is_called(tmp_path: Path, listener: Listener) -> None:
    """An endpoint named in ODC_SPARQL_SERVICES is called, as SPARQL federation says."""

    before = len(listener.requests)
    with serving_fixtures(tmp_path / "store", sparql_services=(listener.url,)) as settings:
        query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?x ?p ?o }} }}"
        response = _select(settings.base_iri, query)
        described = rdflib.Graph().parse(f"{settings.base_iri}/sparql", format="turtle")
    assert response.status_code == 200, response.text
    assert len(listener.requests) == before + 1
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert sd.BasicFederatedQuery in set(described.objects(None, sd.feature))


@pytest.mark.parametrize(
    ("method", "data", "headers", "params"),
    [
        ("POST", {"update": "CLEAR ALL"}, {}, {}),
        ("POST", "CLEAR ALL", {"content-type": "application/sparql-update"}, {}),
        ("GET", None, {}, {"update": "CLEAR ALL"}),
    ],
    ids=["form", "direct", "get"],
)
def test_update_is_refused(
    server: str, method: str, data: object, headers: dict[str, str], params: dict[str, str]
) -> None:
    """SPARQL Update is refused with 403 however it is sent; the data is still there."""
    body = {"data": data} if isinstance(data, dict) else {"content": data}
    response = httpx.request(
        method,
        f"{server}/sparql",
        params=params,
        headers=headers,
        **body,  # type: ignore[arg-type]
    )
    assert response.status_code == 403
    assert "read-only" in response.text
    assert "Glasgow City" in _select(server, LABEL_OF_GLASGOW % (server + GLASGOW)).text


def test_update_as_a_query_is_a_syntax_error(server: str) -> None:
    """An update sent as a query does not parse as a query: 400, nothing changed."""
    response = _select(server, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert response.status_code == 400
    assert _select(server, "ASK { <urn:a> ?p ?o }", accept="text/csv").text.strip() != "true"


def test_syntax_error_names_the_position(server: str) -> None:
    """A query that does not parse is a 400 with the parser's message and line:column."""
    response = _select(server, "SELECT * WHERE {\n  ?s ?p\n}", accept="application/json")
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400
    assert problem["detail"].startswith("error at 3:2: ")
    assert problem["detail"].endswith("\n  }\n   ^")  # the line, and where on it


def test_result_size_limit_is_honest(server: str) -> None:
    """A result over the size limit is refused with a message saying so, not cut short."""
    response = _select(server, "SELECT * { ?a ?b ?c . ?d ?e ?f }", accept="text/csv")
    assert response.status_code == 400
    assert "larger than this endpoint's limit of 1 MB" in response.text


def test_large_results_stream_without_a_row_cap(tmp_path: Path) -> None:
    """A CSV result beyond the first megabyte streams, every row of it (no row cap); one
    outgrowing the size limit on the way is cut off, never passed off as complete."""

    query = "SELECT ?a ?d { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } LIMIT %d"
    with serving_fixtures(tmp_path / "store", sparql_max_megabytes=4) as settings:
        url, form = f"{settings.base_iri}/sparql", {"query": query % 25_000}
        with httpx.stream("POST", url, data=form, headers={"accept": "text/csv"}) as response:
            assert response.status_code == 200
            assert "content-length" not in response.headers  # streamed, not buffered
            text = response.read().decode()
        form = {"query": query % 1_000_000}
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.post(url, data=form, headers={"accept": "text/csv"})
    assert len(text) > 1 << 20
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["a", "d"]
    assert len(rows) == 25_001


def test_suffixes_and_combined_accept(server: str) -> None:
    """Suffix URLs name the format; a combined Accept picks per kind of result."""
    select = "SELECT ?s { ?s ?p ?o } LIMIT 1"
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
    expected = {
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
        "xml": "application/sparql-results+xml",
        "json": "application/sparql-results+json",
    }
    for suffix, media_type in expected.items():
        response = httpx.get(f"{server}/sparql.{suffix}", params={"query": select})
        assert response.headers["content-type"].startswith(media_type)
    turtle = httpx.get(f"{server}/sparql.ttl", params={"query": construct})
    assert len(list(parse(turtle.content, format=RdfFormat.TURTLE))) == 3
    both = "application/sparql-results+json, text/turtle;q=0.9"
    assert "sparql-results+json" in _select(server, select, accept=both).headers["content-type"]
    assert _select(server, construct, accept=both).headers["content-type"].startswith("text/turtle")
    refused = _select(server, select, accept="image/png")
    assert refused.status_code == 406
    assert "application/sparql-results+json" in refused.text
    assert httpx.get(f"{server}/sparql.ttl", params={"query": select}).status_code == 406


def test_union_default_graph_and_from(server: str) -> None:
    """The default graph is every named graph together; FROM narrows it."""
    label = LABEL_OF_GLASGOW % (server + GLASGOW)
    assert "Glasgow City" in _select(server, label).text
    narrowed = label.replace("WHERE", f"FROM <{server}/graph/ontology> WHERE")
    assert "Glasgow City" not in _select(server, narrowed).text


def test_cors_and_service_description(server: str) -> None:
    """Any site may query (CORS); a GET with no query describes the service in RDF."""
    preflight = httpx.options(
        f"{server}/sparql",
        headers={"origin": "https://example.org", "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert _select(server, "ASK {}").headers["access-control-allow-origin"] == "*"
    graph = rdflib.Graph().parse(f"{server}/sparql", format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef(f"{server}/sparql"), sd.endpoint, None) in graph
    names = {str(o) for o in graph.objects(None, sd.name)}
    assert f"{server}/graph/reference-geography" in names
    features = set(graph.objects(None, sd.feature))
    assert sd.UnionDefaultGraph in features
    assert sd.BasicFederatedQuery not in features  # no SERVICE endpoint is allowed here


def test_browser_gets_the_editor(server: str) -> None:
    """A browser gets the editor page, with the query it asked for and only local assets."""
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers={"accept": browser})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'data-query="ASK {}"' in page.text
    assert "/static/yasgui/yasgui.min.js" in page.text
    assert "https://" not in page.text.split("<main>")[1].split("</main>")[0].replace(
        "https://example", ""
    )
    assert httpx.get(f"{server}/static/yasgui/yasgui.min.js").status_code == 200


def test_sparqlwrapper_client(server: str) -> None:
    """SPARQLWrapper, the usual Python SPARQL client, gets JSON and Turtle results."""
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(LABEL_OF_GLASGOW % (server + GLASGOW))
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [b["label"]["value"] for b in bindings] == ["Glasgow City"]
    client.setQuery(
        f"CONSTRUCT {{ <{server}{GLASGOW}> ?p ?o }} WHERE {{ <{server}{GLASGOW}> ?p ?o }}"
    )
    client.setReturnFormat(TURTLE)
    turtle = client.queryAndConvert()
    assert isinstance(turtle, bytes)
    assert b"Glasgow City" in turtle


def test_sparqlwrapper_gets_the_parser_message(server: str) -> None:
    """SPARQLWrapper raises QueryBadFormed quoting the response (our problem details), whose
    ``detail`` is the parser's message with the line and a caret under the column."""
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery("SELECT *\nWHERE { ?s ?p }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as raised:
        client.queryAndConvert()
    quoted = str(raised.value).split("Response:\n", 1)[1]  # the body's repr
    problem = json.loads(ast.literal_eval(quoted))
    assert problem["status"] == 400
    assert problem["detail"].startswith("error at 2:")
    assert problem["detail"].endswith("\n  WHERE { ?s ?p }\n" + " " * 17 + "^")


def test_rdflib_sparqlstore_client(server: str) -> None:
    """rdflib's SPARQLStore reads the endpoint as a graph."""
    graph = rdflib.Graph(store=SPARQLStore(f"{server}/sparql"))
    glasgow = rdflib.URIRef(server + GLASGOW)
    assert str(graph.value(glasgow, rdflib.RDFS.label)) == "Glasgow City"
    rows = list(graph.query(LABEL_OF_GLASGOW % glasgow))
    assert [str(row[0]) for row in rows] == ["Glasgow City"]  # type: ignore[index]


def test_answers_are_kept_for_the_release(server: str) -> None:
    """A repeated GET is answered from memory: the same bytes, with an ETag naming the
    release (cache keys start with the release, so a new release starts afresh)."""
    url = f"{server}/sparql.json"
    query = {"query": LABEL_OF_GLASGOW % (server + GLASGOW)}
    first, second = httpx.get(url, params=query), httpx.get(url, params=query)
    assert first.content == second.content
    assert "etag" not in first.headers
    assert second.headers["etag"].startswith('"')


def test_form_fields_read_as_urllib_does() -> None:
    """Query strings and form bodies decode exactly as ``parse_qs`` decodes them, stray
    percent signs, plus signs, equals signs and broken UTF-8 included."""
    pieces = ["&", "=", "+", "%", "%20", "%3D", "%26", "%2B", "a", "Z", "9", " ", "é"]
    pieces += ["%C3%A9", "%E2%9C", "%zz", "%4", "==", "&&", ";", "%%41"]
    rng = random.Random(5)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert form_fields(text.encode()) == urllib.parse.parse_qs(text, keep_blank_values=True)
