"""A choropleth's data read from a published cube: each ward's figure as the source CSV
gives it, its class the one whose bounds hold it, no class without a figure, shapes where
known; kept for the release."""

from __future__ import annotations

from opendatacommunities.places.choropleth import choropleth
from opendatacommunities.store.cube.structure import read_cube
from tests.plugins.maps import AREA, MISSING_WARD, MapProject, glasgow_wards, ward_people
from tests.plugins.project import BASE


def test_each_ward_has_its_figure_class_and_boundary(map_project: MapProject) -> None:
    release = map_project.release()
    cube = read_cube(release, BASE + "/data/people")
    assert cube is not None
    areas = next(d for d in cube.dimensions if d.kind == "area")
    locks = {
        d.key: next(c.iri for c in d.codes if c.key in ("2020", "m", "people"))
        for d in cube.dimensions
        if d is not areas
    }
    data = choropleth(release, cube, areas, locks)
    assert sorted(a.code for a in data.areas) == sorted(code for code, _ in glasgow_wards())
    for area in data.areas:
        assert area.wkt is not None and "POLYGON" in area.wkt
        expected = ward_people(area.code, 2020, "M")
        if area.code == MISSING_WARD:
            assert area.value is None and area.band is None and area.rank is None
            assert area.status
            continue
        assert area.value == expected
        assert area.band is not None and area.band.lower <= area.value <= area.band.upper
        assert data.classes.classes[(area.rank or 0) - 1] == area.band
    assert not data.points and data.drawn == 23
    assert choropleth(release, cube, areas, locks) is data
    assert AREA + MISSING_WARD in {a.iri for a in data.areas}
