"""The bundled reference geography, published through the real pipeline and served over HTTP
to a real linked-data client."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pyoxigraph
import pytest
import rdflib

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE, ROOT
from tests.plugins.servers import serving

pytestmark = pytest.mark.slow  # publishes all the bundled reference geography

SG = f"{BASE}/id/statistical-geography/"
GEO = f"{BASE}/def/geography/"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    work = tmp_path_factory.mktemp("geography")
    settings = Settings(store_dir=work / "store")
    layout = Layout(
        mappings=ROOT / "mappings",
        shapes=ROOT / "shapes",
        ontologies=ROOT / "ontologies",
        build=work / "build",
        include="geography-*.json",
    )
    publish(settings, layout)
    return settings


@pytest.fixture(scope="module")
def store(published: Settings) -> pyoxigraph.Store:
    path = ReleaseRoot(published.store_dir).current_path()
    assert path is not None
    return pyoxigraph.Store.read_only(str(path))


def _values(store: pyoxigraph.Store, query: str) -> list[str]:
    return [row[0].value for row in store.query(query, use_default_graph_as_union=True)]  # type: ignore[index,union-attr]


def test_glasgow_city_has_its_23_wards(store: pyoxigraph.Store) -> None:
    wards = _values(store, f"SELECT ?w WHERE {{ ?w <{GEO}parent> <{SG}S12000049> }}")
    assert len(wards) == 23
    with (ROOT / "data/geography/WD19_LAD19_UK_lookup_Dec2019.csv").open(newline="") as f:
        expected = {r["WD19CD"] for r in csv.DictReader(f) if r["LAD19CD"] == "S12000049"}
    assert {w.removeprefix(SG) for w in wards} == expected


def test_archived_glasgow_code_points_to_its_successor(store: pyoxigraph.Store) -> None:
    dct = "http://purl.org/dc/terms/"
    assert _values(store, f"SELECT ?n WHERE {{ <{SG}S12000046> <{dct}isReplacedBy> ?n }}") == [
        SG + "S12000049"
    ]
    assert _values(store, f"SELECT ?s WHERE {{ <{SG}S12000046> <{GEO}status> ?s }}") == ["archived"]
    assert _values(store, f"SELECT ?o WHERE {{ <{SG}S12000049> <{dct}replaces> ?o }}") == [
        SG + "S12000046"
    ]


def test_names_are_repaired_and_never_make_uris(store: pyoxigraph.Store) -> None:
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    names = _values(store, f"SELECT ?l WHERE {{ <{SG}S13002605> <{label}> ?l }}")
    assert names == ["Steòrnabhagh a Deas"]
    assert not _values(store, f'SELECT ?s WHERE {{ ?s <{label}> ?l FILTER(CONTAINS(?l, "Ã")) }}')
    anglesey = _values(store, f"SELECT ?l WHERE {{ <{SG}W06000001> <{label}> ?l }} ORDER BY ?l")
    assert anglesey == ["Isle of Anglesey", "Ynys Môn"]  # "Ynys MÃ´n" in the ONS file
    castles = _values(store, f'SELECT ?s WHERE {{ ?s <{label}> "Castle"@en }}')
    assert len(castles) == len(set(castles)) > 20


@pytest.fixture(scope="module")
def server(published: Settings) -> Iterator[str]:
    """The published geography served by uvicorn on a free port; its IRIs keep the default
    base, so the test reads them at the server's address."""
    addresses: list[str] = []

    def make(url: str) -> Settings:
        addresses.append(url)
        return published

    with serving(make):
        yield addresses[0]


def test_a_linked_data_client_dereferences_a_ward(server: str) -> None:
    graph = rdflib.Graph()
    graph.parse(f"{server}/id/statistical-geography/S13002967")
    subject = rdflib.URIRef(SG + "S13002967")
    assert str(graph.value(subject, rdflib.RDFS.label)) == "Linn"
    parent = graph.value(subject, rdflib.URIRef(GEO + "parent"))
    assert parent == rdflib.URIRef(SG + "S12000049")


def test_every_format_of_a_council_area_parses(server: str) -> None:
    import httpx

    for suffix, fmt in (("ttl", "turtle"), ("nt", "nt"), ("rdf", "xml"), ("jsonld", "json-ld")):
        response = httpx.get(f"{server}/doc/statistical-geography/S12000049.{suffix}")
        assert response.status_code == 200
        graph = rdflib.Graph().parse(data=response.text, format=fmt)
        assert (rdflib.URIRef(SG + "S12000049"), rdflib.RDFS.label, None) in graph
    page = httpx.get(
        f"{server}/id/statistical-geography/S12000049",
        headers={"Accept": "text/html,application/xhtml+xml"},
        follow_redirects=True,
    )
    assert page.status_code == 200 and "Glasgow City" in page.text and "Linn" in page.text


def test_a_glasgow_data_zone_rolls_up_to_its_council_area(store: pyoxigraph.Store) -> None:
    chain = _values(
        store,
        f"SELECT ?iz ?council WHERE {{ <{SG}S01010206> <{GEO}parent> ?iz . "
        f"?iz <{GEO}parent> ?council }}",
    )
    assert chain[0].startswith(SG + "S02")
    rows = list(
        store.query(
            f"SELECT ?council ?live WHERE {{ <{SG}S01010206> <{GEO}parent>/<{GEO}parent> ?council ."
            f" ?council <http://purl.org/dc/terms/isReplacedBy> ?live }}",
            use_default_graph_as_union=True,
        )
    )
    assert [(r[0].value, r[1].value) for r in rows] == [  # type: ignore[index,union-attr]
        (SG + "S12000046", SG + "S12000049")
    ]


def test_lsoas_and_msoas_sit_in_their_local_authority(store: pyoxigraph.Store) -> None:
    def count(pattern: str) -> int:
        return int(_values(store, f"SELECT (COUNT(?a) AS ?n) WHERE {{ {pattern} }}")[0])

    city = f"<{SG}E09000001>"
    assert count(f"?a <{GEO}localAuthority> {city} ; a <{GEO}LowerLayerSuperOutputArea>") == 6
    assert count(f"?a <{GEO}parent> {city} ; a <{GEO}MiddleLayerSuperOutputArea>") == 1
    assert count(f"?a <{GEO}parent> {city} ; a <{GEO}ElectoralWard>") == 25
    chain = _values(
        store, f"SELECT ?lad WHERE {{ <{SG}E01000001> <{GEO}parent>/<{GEO}parent> ?lad }}"
    )
    assert chain == [SG + "E09000001"]  # LSOA -> MSOA E02000001 -> City of London


def test_glasgow_wards_have_boundaries_drawn_on_their_page(
    store: pyoxigraph.Store, server: str
) -> None:
    import httpx

    geo = "http://www.opengis.net/ont/geosparql#"
    wkt = _values(
        store, f"SELECT ?w WHERE {{ <{SG}S13002967> <{geo}hasGeometry>/<{geo}asWKT> ?w }}"
    )
    assert len(wkt) == 1 and wkt[0].startswith("POLYGON ((-4.2")
    page = httpx.get(f"{server}/doc/statistical-geography/S13002967.html")
    assert page.status_code == 200 and "<svg" in page.text and "Boundary of Linn" in page.text


def test_a_ward_name_reused_after_a_boundary_review_is_two_areas(store: pyoxigraph.Store) -> None:
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    query = (
        f'SELECT ?w ?status ?authority WHERE {{ ?w <{label}> "Linn"@en ; <{GEO}status> ?status ;'
        f" <{GEO}parent> ?authority }} ORDER BY ?w"
    )
    rows = [
        tuple(t.value for t in row) for row in store.query(query, use_default_graph_as_union=True)
    ]  # type: ignore[union-attr]
    assert rows == [
        (SG + "S13002641", "archived", SG + "S12000046"),
        (SG + "S13002967", "live", SG + "S12000049"),
    ]


def test_scottish_areas_are_the_same_as_on_both_official_sites(store: pyoxigraph.Store) -> None:
    same = "http://www.w3.org/2002/07/owl#sameAs"
    linked = _values(store, f"SELECT ?o WHERE {{ <{SG}S13002967> <{same}> ?o }} ORDER BY ?o")
    assert linked == [
        "http://statistics.data.gov.uk/id/statistical-geography/S13002967",
        "http://statistics.gov.scot/id/statistical-geography/S13002967",
    ]
    english = _values(store, f"SELECT ?o WHERE {{ <{SG}E09000001> <{same}> ?o }}")
    assert english == ["http://statistics.data.gov.uk/id/statistical-geography/E09000001"]


def test_the_catalogue_lists_every_dataset_with_its_provenance(server: str) -> None:
    import httpx

    catalogue = rdflib.Graph().parse(data=httpx.get(f"{server}/data.ttl").text, format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    datasets = set(catalogue.objects(None, dcat.dataset))
    names = {path.stem for path in (ROOT / "mappings").glob("geography-*.json")}
    assert {str(d).rsplit("/", 1)[1] for d in datasets} == names
    page = httpx.get(f"{server}/data/geography-wards", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Electoral wards (December 2019), and the wards they replaced" in page.text
    turtle = httpx.get(f"{server}/data/geography-wards.ttl").text
    described = rdflib.Graph().parse(data=turtle, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    node = rdflib.URIRef(f"{BASE}/data/geography-wards")
    assert int(described.value(node, void.triples)) > 70_000  # type: ignore[arg-type]
