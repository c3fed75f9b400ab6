"""WKT to inline SVG: polygons, holes, multipolygons, points, axis order, bad input."""

from __future__ import annotations

import re

import pytest

from opendatacommunities.web.wkt import parse_wkt, wkt_to_svg

CRS84 = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> "
SQUARE = "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))"


def test_polygon_with_crs() -> None:
    shapes = parse_wkt([CRS84 + SQUARE])
    assert shapes.rings == [[(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]]


def test_polygon_with_a_hole_and_multipolygon() -> None:
    shapes = parse_wkt(
        [
            "POLYGON ((0 0, 10 0, 10 10, 0 0), (1 1, 2 1, 2 2, 1 1))",
            "MULTIPOLYGON (((20 20, 30 20, 30 30, 20 20)), ((40 40, 50 40, 50 50, 40 40)))",
        ]
    )
    assert len(shapes.rings) == 4


def test_points_lines_and_3d() -> None:
    shapes = parse_wkt(
        [
            "POINT (-4.25 55.86)",
            "POINT Z (1 2 3)",
            "MULTIPOINT ((1 2), (3 4))",
            "MULTIPOINT (5 6, 7 8)",
            "LINESTRING (0 0, 1 1)",
            "GEOMETRYCOLLECTION (POINT (9 9), LINESTRING (0 1, 1 0))",
            "POLYGON EMPTY",
        ]
    )
    assert shapes.points == [(-4.25, 55.86), (1, 2), (1, 2), (3, 4), (5, 6), (7, 8), (9, 9)]
    assert len(shapes.lines) == 2


def test_epsg_4326_is_latitude_first() -> None:
    shapes = parse_wkt(["<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(55.86 -4.25)"])
    assert shapes.points == [(-4.25, 55.86)]


def test_svg_is_self_contained_and_escapes_the_title() -> None:
    svg = wkt_to_svg([SQUARE, "POINT (5 5)"], "<b>Linn</b> & co")
    assert svg is not None
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<title>&lt;b&gt;Linn&lt;/b&gt; &amp; co</title>" in svg
    assert "<path" in svg and "<circle" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    view_box = [float(x) for x in re.search(r'viewBox="([^"]+)"', svg)[1].split()]  # type: ignore[index]
    assert view_box[2] > 1000 and view_box[3] > 0


def test_scotland_is_not_squashed() -> None:
    # One degree of longitude at 56°N is about 0.56 of a degree of latitude.
    svg = wkt_to_svg(["POLYGON((-5 55, -3 55, -3 57, -5 57, -5 55))"], "box")
    assert svg is not None
    _, _, width, height = (float(x) for x in re.search(r'viewBox="([^"]+)"', svg)[1].split())  # type: ignore[index]
    assert 0.5 < width / height < 0.65


@pytest.mark.parametrize("text", ["", "POLYGON((0 0, 1", "CIRCLE(1 2 3)", "POINT(1)", "<x> ^^"])
def test_undrawable_input_gives_no_map(text: str) -> None:
    assert wkt_to_svg([text], "x") is None
