"""Best-fit lookups with shapely, on a tiny real-shaped boundary file and centroids made here,
and bad input reported by file, row, column and value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point

from opendatacommunities.errors import SourceError
from opendatacommunities.places.lookups import (
    Centroid,
    centroid_wards,
    check_best_fit,
    read_boundaries,
    read_centroids,
)
from opendatacommunities.places.sources import Row

# Two wards sharing an edge at longitude -4.25, shaped as ONS files are: a Polygon and a
# MultiPolygon (a ward with an island in the river), CRS84, with the WD25 properties.
WEST = [[-4.30, 55.80], [-4.25, 55.80], [-4.25, 55.85], [-4.30, 55.85], [-4.30, 55.80]]
EAST = [[-4.25, 55.80], [-4.20, 55.80], [-4.20, 55.85], [-4.25, 55.85], [-4.25, 55.80]]
ISLAND = [[-4.19, 55.80], [-4.18, 55.80], [-4.18, 55.81], [-4.19, 55.80]]


def _feature(code: str, name: str, geometry: dict[str, object]) -> dict[str, object]:
    return {"type": "Feature", "properties": {"WD25CD": code, "WD25NM": name}, "geometry": geometry}


@pytest.fixture
def wards(tmp_path: Path) -> Path:
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [
            _feature(
                "S13000002", "East", {"type": "MultiPolygon", "coordinates": [[EAST], [ISLAND]]}
            ),
            _feature("S13000001", "West", {"type": "Polygon", "coordinates": [WEST]}),
        ],
    }
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def _centroids(tmp_path: Path, points: list[tuple[str, float, float]]) -> Path:
    path = tmp_path / "centroids.csv"
    lines = ["LSOACD,latitude,longitude,lsoa11cd"]
    lines += [f"{code},{lat},{lon},{code}" for code, lon, lat in points]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_each_centroid_goes_to_the_ward_containing_it(wards: Path, tmp_path: Path) -> None:
    path = _centroids(
        tmp_path,
        [
            ("S01000001", -4.28, 55.82),  # west
            ("S01000002", -4.22, 55.83),  # east
            ("S01000003", -4.185, 55.802),  # on the east ward's island
            ("S01000004", -4.25, 55.83),  # on the shared edge: the first ward in code order
            ("S01999999", 0.0, 0.0),  # not wanted: never looked at
        ],
    )
    wanted = ["S01000001", "S01000002", "S01000003", "S01000004"]
    centroids = read_centroids(path, wanted)
    assigned = centroid_wards(centroids, read_boundaries(wards, "WD25CD", "WD25NM"))
    assert assigned == {
        "S01000001": "S13000001",
        "S01000002": "S13000002",
        "S01000003": "S13000002",
        "S01000004": "S13000001",
    }


def test_a_centroid_outside_every_ward_names_its_row(wards: Path, tmp_path: Path) -> None:
    path = _centroids(tmp_path, [("S01000001", -4.28, 55.82), ("S01000002", -4.10, 55.82)])
    centroids = read_centroids(path, ["S01000001", "S01000002"])
    with pytest.raises(SourceError) as caught:
        centroid_wards(centroids, read_boundaries(wards, "WD25CD", "WD25NM"))
    error = caught.value
    assert (error.file, error.row, error.column, error.value) == (str(path), 3, "longitude", "-4.1")
    assert "S01000002" in str(error) and "lies in no ward" in str(error)


def test_a_code_missing_from_the_centroids_is_named(tmp_path: Path) -> None:
    path = _centroids(tmp_path, [("S01000001", -4.28, 55.82)])
    with pytest.raises(SourceError) as caught:
        read_centroids(path, ["S01000001", "S01000009"])
    assert (caught.value.file, caught.value.column, caught.value.value) == (
        str(path),
        "LSOACD",
        "S01000009",
    )


def test_a_coordinate_that_is_not_a_number(tmp_path: Path) -> None:
    path = tmp_path / "centroids.csv"
    path.write_text("LSOACD,latitude,longitude\nS01000001,55.8,west\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_centroids(path, ["S01000001"])
    assert str(caught.value) == f"{path}:2:longitude: expected a number (value 'west')"


def test_best_fit_checked_against_the_boundaries(wards: Path, tmp_path: Path) -> None:
    # Two small areas: one well inside the west ward, one mostly in the east ward.
    small = {
        "type": "FeatureCollection",
        "features": [
            _feature(
                "E01000001",
                "A",
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[-4.29, 55.81], [-4.27, 55.81], [-4.27, 55.82], [-4.29, 55.81]]
                    ],
                },
            ),
            _feature(
                "E01000002",
                "B",
                {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [-4.26, 55.81],
                            [-4.21, 55.81],
                            [-4.21, 55.82],
                            [-4.26, 55.82],
                            [-4.26, 55.81],
                        ]
                    ],
                },
            ),
        ],
    }
    path = tmp_path / "small.geojson"
    path.write_text(json.dumps(small), encoding="utf-8")
    areas = read_boundaries(path, "WD25CD", "WD25NM")
    best_fit = {"E01000001": "S13000001", "E01000002": "S13000001"}
    checked = check_best_fit(best_fit, areas, read_boundaries(wards, "WD25CD", "WD25NM"))
    assert [(c.code, c.best_fit, c.by_boundary, c.agrees) for c in checked] == [
        ("E01000001", "S13000001", "S13000001", True),
        ("E01000002", "S13000001", "S13000002", False),
    ]
    with pytest.raises(SourceError) as caught:
        check_best_fit(
            {"E01000001": "S13000001"}, areas, read_boundaries(wards, "WD25CD", "WD25NM")
        )
    assert (caught.value.file, caught.value.column, caught.value.value) == (
        str(path),
        "features[1]",
        "E01000002",
    )


def test_a_feature_without_a_geometry(tmp_path: Path) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"features": [{"properties": {"WD25CD": "S13000001"}}]}))
    with pytest.raises(SourceError) as caught:
        read_boundaries(path, "WD25CD", "WD25NM")
    assert caught.value.column == "features[0]"


def test_centroid_rows_keep_their_place() -> None:
    row = Row(Path("c.csv"), 7, {"longitude": "-4.2"})
    centroid = Centroid(Point(-4.2, 55.8), row)
    assert str(centroid.row.fail("longitude", "x")) == "c.csv:7:longitude: x (value '-4.2')"
