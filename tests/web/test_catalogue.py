"""``/catalog``: the DCAT catalogue in every RDF format, fetched over HTTP, conforms to the
DCAT-AP shapes (``shapes/dcat-ap/dcat-ap.ttl``, run by pyshacl); paged with Hydra past the
page size, every dataset on exactly one page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyshacl
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.namespace import DCAT, DCTERMS, RDF

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app
from tests.plugins.project import BASE
from tests.plugins.releases import publish

SHAPES = Path(__file__).resolve().parents[2] / "shapes" / "dcat-ap" / "dcat-ap.ttl"
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PARSERS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}
EXTRA = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
</data> a dcat:Catalog ; dct:title "Datasets"@en ;
    dcat:dataset </data/wards>, </data/simd>, </data/tenure> .
</data/wards> a dcat:Dataset ; dct:title "Wards"@en ; dct:description "Electoral wards."@en ;
    dct:license <{OGL}> ; dct:publisher </id/organisation/sg> ;
    dct:modified "2026-12-04T14:36:46Z"^^xsd:dateTime .
</id/organisation/sg> foaf:name "Scottish Government"@en .
</data/simd> a dcat:Dataset ; dct:title "SIMD 2020"@en ; dct:license <{OGL}> .
</data/tenure> a dcat:Dataset ; dct:title "Tenure"@en ; dct:publisher </id/organisation/none> .
</data/not-listed> a dcat:Dataset ; dct:title "Not in the catalogue"@en .
"""


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A release of the fixtures and the catalogue above."""
    store = tmp_path / "store"
    publish(store, BASE, EXTRA)
    return store


def _client(store_dir: Path, page_size: int = 100) -> TestClient:
    settings = Settings(
        base_iri=BASE, store_dir=store_dir, reload_seconds=0, catalog_page_size=page_size
    )
    return TestClient(create_app(settings), follow_redirects=False)


@pytest.fixture
def site(store_dir: Path) -> Iterator[TestClient]:
    """The app, every dataset on one page."""
    with _client(store_dir) as client:
        yield client


def _graph(client: TestClient, path: str, parser: str = "turtle") -> rdflib.Graph:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return rdflib.Graph().parse(data=response.content, format=parser)


def _conforms(graph: rdflib.Graph) -> tuple[bool, str]:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    return bool(conforms), str(text)


@pytest.mark.parametrize("suffix", list(PARSERS))
def test_the_catalogue_conforms_to_dcat_ap(site: TestClient, suffix: str) -> None:
    graph = _graph(site, f"/catalog.{suffix}", PARSERS[suffix])
    conforms, report = _conforms(graph)
    assert conforms, report
    datasets = set(graph.objects(rdflib.URIRef(f"{BASE}/data"), DCAT.dataset))
    assert {str(d) for d in datasets} == {f"{BASE}/data/{n}" for n in ("wards", "simd", "tenure")}


def test_the_shapes_catch_what_dcat_ap_requires(site: TestClient) -> None:
    graph = _graph(site, "/catalog.ttl")
    wards = rdflib.URIRef(f"{BASE}/data/wards")
    graph.remove((wards, DCTERMS.description, None))
    graph.remove((rdflib.URIRef(f"{BASE}/data"), DCTERMS.publisher, None))
    conforms, report = _conforms(graph)
    assert not conforms
    assert "a dataset has a description" in report and "a catalogue has one publisher" in report


def test_each_dataset_has_a_distribution_per_format_with_its_licence(site: TestClient) -> None:
    graph = _graph(site, "/catalog.ttl")
    wards = rdflib.URIRef(f"{BASE}/data/wards")
    distributions = list(graph.objects(wards, DCAT.distribution))
    downloads = {str(graph.value(d, DCAT.downloadURL)) for d in distributions}
    assert downloads == {f"{BASE}/data/wards.{s}" for s in PARSERS}
    assert {str(graph.value(d, DCTERMS.license)) for d in distributions} == {OGL}
    tenure = rdflib.URIRef(f"{BASE}/data/tenure")
    # No licence is invented, and a publisher without a name is left out.
    assert not [
        d for d in graph.objects(tenure, DCAT.distribution) if graph.value(d, DCTERMS.license)
    ]
    assert graph.value(tenure, DCTERMS.publisher) is None
    assert str(graph.value(wards, DCTERMS.publisher)) == f"{BASE}/id/organisation/sg"


def test_past_the_page_size_hydra_links_the_pages(store_dir: Path) -> None:
    catalogue = rdflib.URIRef(f"{BASE}/data")
    seen: list[str] = []
    with _client(store_dir, page_size=2) as small:
        first = _graph(small, "/catalog.ttl")
        assert int(first.value(catalogue, HYDRA.totalItems)) == 3  # type: ignore[arg-type]
        view = first.value(catalogue, HYDRA.view)
        assert first.value(view, HYDRA.previous) is None
        following = first.value(view, HYDRA.next)
        assert str(following) == f"{BASE}/catalog.ttl?page=2"
        seen += [str(d) for d in first.objects(catalogue, DCAT.dataset)]
        second = _graph(small, str(following).removeprefix(BASE))
        view = second.value(catalogue, HYDRA.view)
        assert str(second.value(view, HYDRA.previous)) == f"{BASE}/catalog.ttl?page=1"
        assert second.value(view, HYDRA.next) is None
        seen += [str(d) for d in second.objects(catalogue, DCAT.dataset)]
        assert _conforms(second)[0]
        assert small.get("/catalog.ttl?page=3").status_code == 404
        assert small.get("/catalog.ttl?page=x").status_code == 400
    assert sorted(seen) == sorted({*seen}) and len(seen) == 3


def test_one_page_has_no_hydra_view(site: TestClient) -> None:
    graph = _graph(site, "/catalog.ttl")
    assert graph.value(rdflib.URIRef(f"{BASE}/data"), HYDRA.view) is None
    assert (None, RDF.type, DCAT.Catalog) in graph


def test_negotiated_like_other_documents(site: TestClient) -> None:
    jsonld = site.get("/catalog", headers={"accept": "application/ld+json"})
    assert jsonld.status_code == 200
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert jsonld.headers["vary"] == "Accept"
    assert site.get("/catalog", headers={"accept": "image/png"}).status_code == 406
