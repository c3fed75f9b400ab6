"""Maps from the real Glasgow ward boundaries: each ward a link to its profile, filled with
the colour of the legend class that holds its value, hatched without one; points for areas
known by their centroid; an outline map without values."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET

from opendatacommunities.web.places.maps import MapArea, area_map
from tests.plugins.maps import AREA, BOUNDARIES, MISSING_WARD, ward_people

SVG = "{http://www.w3.org/2000/svg}"


def _wards(with_values: bool = True) -> list[MapArea]:
    with BOUNDARIES.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    areas = []
    for row in rows:
        code = row["WD25CD"]
        value = ward_people(code, 2020, "F") if with_values else None
        href = f"/doc/statistical-geography/{code}"
        areas.append(MapArea(AREA + code, row["WD25NM"], href, row["boundary"], value))
    return areas


def _svg(html: str) -> ET.Element:
    found = re.search(r"<svg xmlns.*?</svg>", html, re.S)
    assert found is not None
    return ET.fromstring(found.group(0))


def _legend(html: str) -> list[tuple[str, float, float]]:
    found = re.findall(
        r'<rect width="18" height="14" fill="(#\w+)"/></svg> <span>([\d,.]+) to ([\d,.]+)', html
    )
    return [
        (colour, float(low.replace(",", "")), float(high.replace(",", "")))
        for colour, low, high in found
    ]


def test_each_ward_is_filled_with_the_colour_of_its_class() -> None:
    areas = _wards()
    html = area_map(areas, title="People, 2020", highlight=AREA + "S13002967")
    legend = _legend(html)
    assert len(legend) == 5 and legend[0][1] == min(a.value for a in areas if a.value is not None)
    links = {a.get("data-area"): a for a in _svg(html).iter(f"{SVG}a")}
    assert len(links) == 23
    for area in areas:
        link = links[area.iri]
        assert link.get("href") == area.href
        (path,) = link.findall(f"{SVG}path")
        if area.value is None:
            assert area.iri == AREA + MISSING_WARD
            assert (path.get("fill") or "").startswith("url(#")
            continue
        (colour,) = [c for c, low, high in legend if low <= area.value <= high]
        assert path.get("fill") == colour
        assert link.findtext(f"{SVG}title") == f"{area.label}: {area.value:,}"
    assert "highlight" in (links[AREA + "S13002967"].get("class") or "")
    assert 'No figure <span class="count">1 area</span>' in html


def test_without_values_an_outline_map_with_no_legend() -> None:
    html = area_map(_wards(with_values=False), title="Glasgow's wards")
    assert 'class="map"' in html and "legend" not in html and "fill=" not in html
    assert len(list(_svg(html).iter(f"{SVG}a"))) == 23


def test_centroids_are_points_and_unreadable_areas_are_listed_not_drawn() -> None:
    areas = [
        MapArea(AREA + "S01010001", "Zone 1", "/doc/1", "POINT (-4.25 55.86)", 3.0),
        MapArea(AREA + "S01010002", "Zone 2", "/doc/2", "POINT (-4.20 55.85)", 5.0),
        MapArea(AREA + "S01010003", "Zone 3", "/doc/3", "not WKT", 4.0),
    ]
    html = area_map(areas, title="Scores")
    circles = list(_svg(html).iter(f"{SVG}circle"))
    assert len(circles) == 2
    assert "2 of 3 areas drawn" in html and '<th scope="row">Zone 3</th>' in html


def test_the_drawing_is_smaller_than_the_boundaries() -> None:
    areas = _wards()
    html = area_map(areas, title="People")
    drawn = sum(d.count("L") for d in re.findall(r' d="([^"]+)"', html))
    source = sum(a.wkt.count(",") for a in areas)
    assert 0.5 * source < drawn < source


def test_areas_with_no_shape_at_all_make_a_map_that_says_so() -> None:
    areas = [MapArea(AREA + "S12000049", "Glasgow City", "/doc/g", "", 5.0)]
    html = area_map(areas, title="Council")
    assert "No boundary or centre is known for these areas." in html
    assert "0 of 1 areas drawn" in html and '<th scope="row">Glasgow City</th>' in html
