"""Areas' geometries read from a published release: boundaries preferred, centroids where
there is no boundary, nothing for an area without either; simplification for the screen."""

from __future__ import annotations

import csv

import shapely

from opendatacommunities.places.geometry import area_geometries, simplified
from tests.plugins.maps import AREA, BOUNDARIES, DATA_ZONES, MapProject

CRS84 = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"


def _boundaries() -> dict[str, str]:
    with BOUNDARIES.open(encoding="utf-8-sig", newline="") as handle:
        return {row["WD25CD"]: row["boundary"] for row in csv.DictReader(handle)}


def test_a_ward_has_its_boundary_and_a_data_zone_its_centroid(map_project: MapProject) -> None:
    release = map_project.release()
    boundaries = _boundaries()
    ward, zone, nowhere = AREA + "S13002967", AREA + "S01010001", AREA + "S99999999"
    found = area_geometries(release, [ward, zone, nowhere])
    assert set(found) == {ward, zone}
    assert found[ward] == boundaries["S13002967"]
    assert shapely.from_wkt(found[zone]).equals(shapely.Point(*DATA_ZONES["S01010001"]))


def test_every_ward_is_read_once_per_release(map_project: MapProject) -> None:
    release = map_project.release()
    wards = [AREA + code for code in _boundaries()]
    first = area_geometries(release, wards)
    assert len(first) == 23
    assert area_geometries(release, reversed(wards)) == first
    assert "area geometries" in release.cache.names()


def test_text_that_is_not_an_iri_has_no_geometry(map_project: MapProject) -> None:
    assert area_geometries(map_project.release(), ["not an iri", "<x>"]) == {}


def test_simplified_boundaries_keep_their_shape_and_crs() -> None:
    texts = [f"{CRS84} {wkt}" for wkt in _boundaries().values()]
    bodies = [shapely.from_wkt(t.removeprefix(CRS84)) for t in texts]
    simple = simplified(texts, 0.0005)
    assert all(text.startswith(CRS84 + " ") for text in simple)
    shapes = [shapely.from_wkt(t.removeprefix(CRS84 + " ")) for t in simple]
    assert sum(t.count(",") for t in simple) < 0.95 * sum(t.count(",") for t in texts)
    for before, after in zip(bodies, shapes, strict=True):
        # The same place: the simplified ward covers nearly all of the real one.
        assert after.intersection(before).area > 0.95 * before.area


def test_text_that_is_not_wkt_is_left_as_it_is() -> None:
    assert simplified(["POLYGON ((0 0, 1"], 0.1) == ["POLYGON ((0 0, 1"]
