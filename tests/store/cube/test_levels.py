"""The geography levels of a cube's areas and its totals, read from a real release holding
the Glasgow reference geography."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendatacommunities.iris import TOTAL_ATTRIBUTE
from opendatacommunities.store import Release, ReleaseRoot
from opendatacommunities.store.cube.levels import (
    has_totals,
    is_observed,
    read_levels,
    total_observations,
)
from opendatacommunities.store.cube.structure import (
    Code,
    Cube,
    CubeAttribute,
    CubeDimension,
    CubeMeasure,
)
from tests.plugins.project import BASE
from tests.plugins.releases import publish

AREA = f"{BASE}/id/statistical-geography/"
WARDS = ["S13002967", "S13002968", "S13002969"]
CUBE_IRI = f"{BASE}/data/people"
DIMENSION = f"{BASE}/def/dimension/refArea"
TOTAL = f"{BASE}{TOTAL_ATTRIBUTE}"
QB = "http://purl.org/linked-data/cube#"
# Glasgow City's figure is the total of its wards'; one observation is of a ward.
OBSERVATIONS = f"""
<{CUBE_IRI}/obs/city> a <{QB}Observation> ; <{QB}dataSet> <{CUBE_IRI}> ;
    <{DIMENSION}> <{AREA}S12000049> ; <{TOTAL}> true .
<{CUBE_IRI}/obs/linn> a <{QB}Observation> ; <{QB}dataSet> <{CUBE_IRI}> ;
    <{DIMENSION}> <{AREA}S13002967> .
"""


def _cube(codes: list[str], attributes: tuple[CubeAttribute, ...] = ()) -> Cube:
    area = CubeDimension(
        DIMENSION, "refArea", "Area", "area", tuple(Code(AREA + c, c, c) for c in codes)
    )
    measure = CubeMeasure(f"{BASE}/def/measure/people", "people", "People")
    return Cube(CUBE_IRI, "People", None, (area,), (measure,), attributes, False)


TOTALS = (CubeAttribute(TOTAL, "total", "total", False),)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """The Glasgow geography, its ontology and two observations, published."""
    root: Path = tmp_path_factory.mktemp("releases")
    publish(root, BASE, extra=OBSERVATIONS)
    return ReleaseRoot(root).open_current_read_only()


def test_areas_are_grouped_by_their_class_most_first(release: Release) -> None:
    """Wards outnumber the council area; a code no geography types is an other area."""
    levels = read_levels(release, _cube([*WARDS, "S12000049", "S99999999"]))
    assert levels.dimension == "refArea" and levels.mixed
    assert [(lv.key, lv.label, len(lv.areas)) for lv in levels.levels] == [
        ("ElectoralWard", "electoral ward", 3),
        ("CouncilArea", "council area", 1),
        ("other", "other area", 1),
    ]
    assert levels.levels[0].areas == tuple(AREA + c for c in WARDS)
    assert levels.find("councilarea") == levels.levels[1]


def test_areas_of_one_class_do_not_mix(release: Release) -> None:
    """Only wards: one level, nothing to choose between."""
    levels = read_levels(release, _cube(WARDS))
    assert not levels.mixed and len(levels.levels) == 1


def test_totals_are_counted_per_area_when_the_structure_marks_them(release: Release) -> None:
    """The total attribute tells Glasgow City's figure from its wards'."""
    cube = _cube([*WARDS, "S12000049"], TOTALS)
    assert has_totals(cube) and not has_totals(_cube(WARDS))
    assert read_levels(release, cube).totals == {AREA + "S12000049": 1}
    assert read_levels(release, _cube(WARDS)).totals == {}
    assert total_observations(release, cube) == {f"{CUBE_IRI}/obs/city"}
    linn = (cube.dimensions[0], AREA + "S13002967")
    assert total_observations(release, cube, linn) == set()


def test_a_cube_without_areas_has_no_levels(release: Release) -> None:
    """Nothing to read, and no area dimension to name."""
    cube = _cube([])
    bare = Cube(cube.iri, cube.title, None, (), cube.measures, (), False)
    levels = read_levels(release, bare)
    assert levels.dimension is None and levels.levels == ()


def test_an_area_with_figures_is_observed(release: Release) -> None:
    """Linn has an observation; Govan has none."""
    assert is_observed(release, AREA + "S13002967")
    assert not is_observed(release, AREA + "S13002971")
