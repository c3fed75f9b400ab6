"""IriSpace mints every IRI of the site: graphs, datasets, areas and each cube's resources."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendatacommunities.csvw.templates import Template
from opendatacommunities.cube.compile import csvw_metadata
from opendatacommunities.cube.description import CubeDescription, Dimension, Measure
from opendatacommunities.cube.structure import dimension_property, dimension_value
from opendatacommunities.iris import IriSpace, compact, humanise, split_namespace
from opendatacommunities.vocab import SDMX_REF_AREA, SDMX_REF_PERIOD
from tests.plugins.project import BASE


def test_graph_iris_are_documents_under_one_namespace() -> None:
    space = IriSpace(BASE + "/")
    graphs = [
        space.dataset_graph("simd2020"),
        space.vocabulary_graph("geography"),
        space.catalogue_graph(),
    ]
    assert graphs == [
        f"{BASE}/graph/simd2020",
        f"{BASE}/graph/def/geography",
        f"{BASE}/graph/catalog",
    ]
    assert all(graph.startswith(space.graphs()) for graph in graphs)
    # A graph IRI is an information resource: served at its own path, not through /doc/.
    assert [space.page_path(graph) for graph in graphs] == [g[len(BASE) :] for g in graphs]


def test_datasets_and_the_catalogue_are_served_at_their_own_path() -> None:
    space = IriSpace(BASE)
    assert space.page_path(space.catalogue()) == "/data"
    assert space.page_path(space.dataset("simd2020")) == "/data/simd2020"
    assert space.cube("simd2020").dataset == space.dataset("simd2020")


def test_areas_follow_the_gss_pattern_and_periods_reference_data_gov_uk() -> None:
    space = IriSpace(BASE)
    assert space.area("S12000049") == BASE + "/id/statistical-geography/S12000049"
    assert space.page_path(space.area("S12000049")) == "/doc/statistical-geography/S12000049"
    assert space.period("quarter/2017-Q1") == "http://reference.data.gov.uk/id/quarter/2017-Q1"


def _cube(tmp_path: Path) -> CubeDescription:
    dimensions = (
        Dimension("area", "Area", "area", column="area"),
        Dimension("period", "Quarter", "period", column="period"),
        Dimension("tenure", "Tenure", "codes", column="tenure"),
    )
    return CubeDescription(
        name="homes",
        path=tmp_path / "homes.cube.json",
        csv=tmp_path / "homes.csv",
        about={},
        dimensions=dimensions,
        measures=(Measure("count", "Count"),),
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [("area", "S12000049"), ("period", "quarter/2017-Q1"), ("tenure", "owned-outright")],
)
def test_observations_point_at_the_iri_the_structure_mints(
    tmp_path: Path, name: str, code: str
) -> None:
    """The CSVW template the observations are mapped with and the code list the structure
    writes come from one rule, so they cannot drift apart."""
    cube = _cube(tmp_path)
    iris = IriSpace(BASE).cube(cube.name)
    dimension = next(d for d in cube.dimensions if d.name == name)
    columns = csvw_metadata(cube, iris, tmp_path / "homes.observations.csv")["tableSchema"]
    column = next(c for c in columns["columns"] if c["name"] == name)
    expanded = Template(column["valueUrl"]).expand({name: code})
    assert expanded == dimension_value(iris, dimension, code)
    assert column["propertyUrl"] == dimension_property(iris, dimension)


def test_dimension_properties_reuse_sdmx_for_areas_and_periods(tmp_path: Path) -> None:
    iris = IriSpace(BASE).cube("homes")
    area, period, tenure = _cube(tmp_path).dimensions
    assert dimension_property(iris, area) == SDMX_REF_AREA
    assert dimension_property(iris, period) == SDMX_REF_PERIOD
    assert dimension_property(iris, tenure) == BASE + "/def/dimension/homes/tenure"
    reused = Dimension("tenure", "Tenure", "codes", property="sdmx-dimension:sex")
    assert dimension_property(iris, reused).endswith("dimension#sex")


def test_iri_space() -> None:
    space = IriSpace(f"{BASE}/")
    assert space.base == BASE
    assert space.id_iri("a b") == f"{BASE}/id/a%20b"
    assert space.page_path(f"{BASE}/def/geography") == "/def/geography"
    assert space.page_path(f"{BASE}/id/x#frag").startswith("/resource?uri=")
    assert space.local_path("http://elsewhere.org/id/x") is None
    assert space.alternatives(f"{BASE}/id/S12") == []
    assert space.alternatives("http://elsewhere.org/x") == []
    prefixes = space.prefixes_for(
        [
            f"{BASE}/id/statistical-geography/S1",
            "http://www.w3.org/2000/01/rdf-schema#label",
        ]
    )
    assert prefixes == {
        "statistical-geography": f"{BASE}/id/statistical-geography/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    }


def test_words_from_iris() -> None:
    assert split_namespace("http://x/a#b") == ("http://x/a#", "b")
    assert humanise("http://x/statisticalEntity") == "statistical entity"
    assert humanise("http://x/GSSCode") == "GSS code"
    assert compact("http://nowhere/x", {"a": "http://a/"}) is None
