"""The derived lookups and ward-level cubes, published through the real pipeline with the
reference geography they link to: SHACL and the Data Cube integrity constraints pass, the
lookups' method and inputs are in the catalogue, and sampled figures are the CSVs'."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE, ROOT

pytestmark = pytest.mark.slow  # publishes the UK's wards and authorities

# What the derived datasets link to, and the derived datasets themselves.
MAPPINGS = (
    "geography-countries.json",
    "geography-local-authorities.json",
    "geography-wards.json",
    "geography-data-zone-centroids.json",
    "geography-glasgow-ward-boundaries.json",
    "geography-manchester-ward-boundaries.json",
    "geography-manchester-lsoa-boundaries.json",
    "geography-glasgow-data-zone-wards.json",
    "geography-manchester-lsoa-wards.json",
    "simd2020-glasgow-wards.cube.json",
    "simd2020-glasgow-ward-deciles.cube.json",
    "iod2019-manchester-wards.cube.json",
    "iod2019-manchester-ward-deciles.cube.json",
)
SG = f"{BASE}/id/statistical-geography/"
GEO = "http://www.opengis.net/ont/geosparql#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> pyoxigraph.Store:
    """A release of the derived datasets and what they link to; the mappings are copied
    beside a link to the project's data, so that their relative paths hold."""
    work = tmp_path_factory.mktemp("derived")
    (work / "mappings").mkdir()
    (work / "data").symlink_to(ROOT / "data")
    for name in MAPPINGS:
        shutil.copy(ROOT / "mappings" / name, work / "mappings" / name)
    layout = Layout(
        mappings=work / "mappings",
        shapes=ROOT / "shapes",
        ontologies=ROOT / "ontologies",
        build=work / "build",
    )
    publish(Settings(store_dir=work / "store"), layout)
    path = ReleaseRoot(work / "store").current_path()
    assert path is not None
    return pyoxigraph.Store.read_only(str(path))


def _values(store: pyoxigraph.Store, query: str) -> list[str]:
    rows = store.query(query, use_default_graph_as_union=True)
    return [row[0].value for row in rows]  # type: ignore[index,union-attr]


def test_lookups_say_each_small_area_is_within_its_ward(store: pyoxigraph.Store) -> None:
    within = f"<{BASE}/def/geography/withinBestFit>"
    calton = _values(store, f"SELECT ?dz WHERE {{ ?dz {within} <{SG}S13002975> }}")
    assert len(calton) == 29
    lsoa = _values(store, f"SELECT ?w WHERE {{ <{SG}E01005066> {within} ?w }}")
    assert lsoa == [f"{SG}E05011368"]  # the ONS best fit (Hulme), not the centroid's ward


def test_lookup_metadata_names_its_inputs(store: pyoxigraph.Store) -> None:
    dataset = f"<{BASE}/data/geography-glasgow-data-zone-wards>"
    sources = _values(store, f"SELECT ?s WHERE {{ {dataset} <{PROV}wasDerivedFrom> ?s }}")
    assert sorted(sources) == [
        f"{BASE}/data/geography-data-zone-centroids",
        f"{BASE}/data/geography-data-zones",
        f"{BASE}/data/geography-glasgow-ward-boundaries",
    ]


def test_calton_share_among_the_most_deprived(store: pyoxigraph.Store) -> None:
    measure = f"<{BASE}/def/measure/simd2020-glasgow-wards/mostDeprived10>"
    query = f"""SELECT ?v WHERE {{ ?o <http://purl.org/linked-data/sdmx/2009/dimension#refArea>
        <{SG}S13002975> ; {measure} ?v }}"""
    assert _values(store, query) == ["62.1"]


def test_summable_measures_say_so(store: pyoxigraph.Store) -> None:
    prefix = f"{BASE}/def/measure/iod2019-manchester-wards/"
    population = _values(store, f"SELECT ?d WHERE {{ <{prefix}population> <{SKOS}definition> ?d }}")
    share = _values(store, f"SELECT ?d WHERE {{ <{prefix}mostDeprived10> <{SKOS}definition> ?d }}")
    assert "may be summed" in population[0]
    assert "never summed" in share[0]


def test_data_zones_and_manchester_areas_have_geometries(store: pyoxigraph.Store) -> None:
    for code, kind in (("S01010264", "POINT"), ("E05011350", "POLYGON"), ("E01005061", "POLYGON")):
        wkt = _values(
            store, f"SELECT ?w WHERE {{ <{SG}{code}> <{GEO}hasGeometry>/<{GEO}asWKT> ?w }}"
        )
        assert [w.split(" ")[0] for w in wkt] == [kind], code


def test_the_derived_csvs_are_their_sources(store: pyoxigraph.Store) -> None:
    # Every derived table the mappings publish is in data/derived/ (and so compared with a
    # fresh derivation by test_derivation.py).
    derived = {p.name for p in (ROOT / "data" / "derived").glob("*.csv")}
    for name in MAPPINGS[7:]:
        text = (ROOT / "mappings" / name).read_text(encoding="utf-8")
        assert any(f"derived/{table}" in text for table in derived), name
    assert Path(ROOT / "data" / "derived" / "PROVENANCE.md").exists()
