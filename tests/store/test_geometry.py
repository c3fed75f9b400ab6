"""Areas' WKT read in batches: boundaries (geo:hasGeometry) told from centroids
(geo:hasCentroid); areas without either left out."""

from __future__ import annotations

from opendatacommunities.store.geometry import read_area_shapes
from tests.plugins.maps import AREA, MapProject


def test_the_store_reader_tells_boundaries_from_centroids(map_project: MapProject) -> None:
    ward = AREA + "S13002967"
    shapes = read_area_shapes(map_project.release(), [ward])[ward]
    assert len(shapes.geometries) == 1 and shapes.geometries[0].startswith("POLYGON")
    assert shapes.centroids[0].startswith("POINT")


def test_areas_without_shapes_are_left_out_and_every_area_is_read_at_once(
    map_project: MapProject,
) -> None:
    wards = [AREA + f"S1300{n:04d}" for n in range(2900, 7100)]  # more than a batch
    found = read_area_shapes(map_project.release(), wards)
    assert 0 < len(found) <= 23 and all(iri in wards for iri in found)
    assert all(shapes.geometries and shapes.centroids for shapes in found.values())
    everything = read_area_shapes(map_project.release())
    assert len([iri for iri in everything if "/S13" in iri]) == 23
    assert len([iri for iri in everything if "/S01" in iri]) == 5
