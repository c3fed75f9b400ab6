"""``/.well-known/void``: the site's VoID description in every RDF format, its figures
checked against the store it describes, its linksets against the ``owl:sameAs`` links of the
Glasgow fixtures (to statistics.gov.scot) and of one extra area (to statistics.data.gov.uk)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from pyoxigraph import QuerySolutions
from rdflib.namespace import OWL, RDF, VOID

from opendatacommunities.config import Settings
from opendatacommunities.store import ReleaseRoot
from opendatacommunities.web import create_app
from tests.plugins.project import BASE
from tests.plugins.releases import publish
from tests.plugins.web import BROWSER

EXTRA = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix void: <http://rdfs.org/ns/void#> .
</data> a dcat:Catalog ; dcat:dataset </data/wards> .
</data/wards> a dcat:Dataset ; void:triples 1234 .
@prefix geography: </def/geography/> .
</id/statistical-geography/E06000001> a geography:CouncilArea ;
    owl:sameAs <http://statistics.data.gov.uk/id/statistical-geography/E06000001> ,
               <http://elsewhere.example/hartlepool> .
"""
SITE = rdflib.URIRef(f"{BASE}/.well-known/void#dataset")
PARSERS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A release of the fixtures and the extra area above."""
    store = tmp_path / "store"
    publish(store, BASE, EXTRA)
    return store


@pytest.fixture
def site(store_dir: Path) -> Iterator[TestClient]:
    """The app over that release."""
    settings = Settings(base_iri=BASE, store_dir=store_dir, reload_seconds=0)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def _count(store_dir: Path, query: str) -> int:
    release = ReleaseRoot(store_dir).open_current_read_only()
    result = release.store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    return int(next(iter(result))[0].value)


def _graph(site: TestClient, suffix: str) -> rdflib.Graph:
    response = site.get(f"/.well-known/void.{suffix}")
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.content, format=PARSERS[suffix])


def _links_to(graph: rdflib.Graph, space: str) -> int:
    for linkset in graph.subjects(RDF.type, VOID.Linkset):
        target = graph.value(linkset, VOID.objectsTarget)
        if str(graph.value(target, VOID.uriSpace)) == space:
            assert graph.value(linkset, VOID.linkPredicate) == OWL.sameAs
            return int(graph.value(linkset, VOID.triples))  # type: ignore[arg-type]
    return 0


@pytest.mark.parametrize("suffix", list(PARSERS))
def test_every_format_describes_the_same_site(site: TestClient, suffix: str) -> None:
    graph = _graph(site, suffix)
    assert len(graph) == len(_graph(site, "nt"))
    assert (SITE, RDF.type, VOID.Dataset) in graph
    assert graph.value(SITE, VOID.sparqlEndpoint) == rdflib.URIRef(f"{BASE}/sparql")
    assert str(graph.value(SITE, VOID.uriSpace)) == f"{BASE}/"


def test_figures_match_the_store(site: TestClient, store_dir: Path) -> None:
    graph = _graph(site, "ttl")
    quads = _count(store_dir, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    assert int(graph.value(SITE, VOID.triples)) == quads  # type: ignore[arg-type]
    wards = _count(
        store_dir, f"SELECT (COUNT(?s) AS ?n) {{ ?s a <{BASE}/def/geography/ElectoralWard> }}"
    )
    partitions = {
        str(graph.value(p, VOID["class"])): int(graph.value(p, VOID.entities))  # type: ignore[arg-type]
        for p in graph.objects(SITE, VOID.classPartition)
    }
    assert partitions[f"{BASE}/def/geography/ElectoralWard"] == wards > 0


def test_linksets_count_the_links_to_official_geography(site: TestClient, store_dir: Path) -> None:
    graph = _graph(site, "ttl")
    scot = "http://statistics.gov.scot/"
    to_scot = _count(
        store_dir,
        f'SELECT (COUNT(*) AS ?n) {{ ?s <{OWL.sameAs}> ?o FILTER(STRSTARTS(STR(?o), "{scot}")) }}',
    )
    assert _links_to(graph, scot) == to_scot > 0
    assert _links_to(graph, "http://statistics.data.gov.uk/") == 1
    assert "elsewhere.example" not in site.get("/.well-known/void.nt").text


def test_negotiated_like_other_documents(site: TestClient) -> None:
    turtle = site.get("/.well-known/void", headers={"accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert turtle.headers["vary"] == "Accept"
    assert turtle.headers["content-location"] == "/.well-known/void.ttl"
    jsonld = site.get("/.well-known/void", headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert site.get("/.well-known/void", headers={"accept": BROWSER}).status_code == 200
    refused = site.get("/.well-known/void", headers={"accept": "image/png"})
    assert refused.status_code == 406
    assert "text/turtle" in refused.text
    assert site.get("/.well-known/void.html").status_code == 404


def test_each_dataset_of_the_catalogue_is_a_subset(site: TestClient) -> None:
    graph = _graph(site, "ttl")
    wards = rdflib.URIRef(f"{BASE}/data/wards")
    assert wards in set(graph.objects(SITE, VOID.subset))
    assert int(graph.value(wards, VOID.triples)) == 1234  # type: ignore[arg-type]
    assert graph.value(wards, VOID.sparqlEndpoint) == rdflib.URIRef(f"{BASE}/sparql")
