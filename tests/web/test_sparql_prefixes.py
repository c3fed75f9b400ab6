"""SPARQL queries may use the site's common prefixes without declaring them, over a real
server: the engine, the SERVICE check, the editor page and the service description agree on
one table, and a prefix that is neither common nor declared is named in the 400."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import rdflib

from opendatacommunities.store.query.prefixes import query_prefixes
from tests.plugins.servers import LiveServer, serving_fixtures
from tests.plugins.web import BROWSER, SG

GLASGOW = SG + "S12000049"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The glasgow fixtures, served by uvicorn with one SPARQL worker."""
    store = tmp_path_factory.mktemp("prefixes") / "store"
    with serving_fixtures(store, reload_seconds=0, sparql_workers=1) as settings:
        yield LiveServer(settings.base_iri, settings)


def _select(server: LiveServer, query: str) -> httpx.Response:
    accept = {"accept": "application/json"}
    return httpx.post(f"{server.url}/sparql", data={"query": query}, headers=accept, timeout=60)


def test_common_prefixes_need_no_declaration(live_server: LiveServer) -> None:
    query = f"SELECT ?label WHERE {{ <{live_server.url}{GLASGOW}> rdfs:label ?label }}"
    answer = _select(live_server, query)
    assert answer.status_code == 200, answer.text
    labels = [row["label"]["value"] for row in answer.json()["results"]["bindings"]]
    assert labels == ["Glasgow City"]


def test_the_site_namespaces_are_prefixes_under_its_base(live_server: LiveServer) -> None:
    query = "SELECT ?label WHERE { statistical-geography:S12000049 rdfs:label ?label }"
    answer = _select(live_server, query)
    assert answer.status_code == 200, answer.text
    labels = [row["label"]["value"] for row in answer.json()["results"]["bindings"]]
    assert labels == ["Glasgow City"]


def test_a_declared_prefix_wins_over_a_common_one(live_server: LiveServer) -> None:
    query = (
        "PREFIX rdfs: <http://example.org/not-rdfs#>\n"
        f"SELECT ?label WHERE {{ <{live_server.url}{GLASGOW}> rdfs:label ?label }}"
    )
    answer = _select(live_server, query)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"]["bindings"] == []


def test_an_unknown_prefix_is_named(live_server: LiveServer) -> None:
    answer = _select(live_server, "SELECT * WHERE {\n  ?s foo:bar ?o\n}")
    assert answer.status_code == 400
    detail = answer.json()["detail"]
    assert detail.startswith(
        "error at 2:6: unknown prefix 'foo:': declare it (PREFIX foo: <...>) or use a common "
        "prefix, which needs no declaration: "
    )
    assert "rdfs:, " in detail
    assert detail.endswith("\n    ?s foo:bar ?o\n       ^")  # the line, and the prefix on it


def test_other_syntax_errors_keep_the_parser_message(live_server: LiveServer) -> None:
    detail = _select(live_server, "SELECT * WHERE { ?s rdfs:label }").json()["detail"]
    assert detail.startswith("error at 1:")
    assert "unknown prefix" not in detail


def test_service_reads_common_prefixes_as_the_engine_does(live_server: LiveServer) -> None:
    """``SERVICE rdfs:x`` calls rdfs's namespace + x: refused by that name."""
    answer = _select(live_server, "SELECT * WHERE { SERVICE rdfs:x { ?s ?p ?o } }")
    assert answer.status_code == 400
    assert "SERVICE <http://www.w3.org/2000/01/rdf-schema#x> is not allowed" in answer.text


def test_the_editor_lists_the_common_prefixes(live_server: LiveServer) -> None:
    page = httpx.get(f"{live_server.url}/sparql", headers={"accept": BROWSER}, timeout=60).text
    for name, namespace in query_prefixes(live_server.url).items():
        assert f"<tr><td><code>{name}:</code></td><td><code>{namespace}</code></td></tr>" in page


def test_the_service_description_declares_the_common_prefixes(live_server: LiveServer) -> None:
    graph = rdflib.Graph().parse(f"{live_server.url}/sparql", format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    service = rdflib.URIRef(f"{live_server.url}/sparql")
    declared = {
        str(graph.value(node, sh.prefix)): str(graph.value(node, sh.namespace))
        for node in graph.objects(service, sh.declare)
    }
    assert declared == dict(query_prefixes(live_server.url))
    assert declared["geography"] == f"{live_server.url}/def/geography/"
