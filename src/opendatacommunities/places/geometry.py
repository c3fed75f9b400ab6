"""Areas' shapes for maps: an area's boundary where it has one, else its centroid, read once
per release; and polygons simplified for the screen.

>>> simplified(["POLYGON ((0 0, 5 0.001, 10 0, 10 10, 0 10, 0 0))"], 0.1)
['POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))']
>>> simplified(["<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT (1.123456789 2)"], 0.1)
['<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT (1.123457 2)']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import shapely

from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.geometry import AreaShapes, read_area_shapes

_CRS = re.compile(r"^\s*(<[^>]*>)\s*")
_POINT = re.compile(r"^\s*(<[^>]*>\s*)?POINT\b", re.IGNORECASE)
#: Decimal places kept: a millionth of a degree is about 10 cm, far below a screen's pixel.
_PRECISION = 6
_POLYGON, _MULTIPOLYGON = 3, 6  # shapely's type ids


_GEOMETRIES: Slot[dict[str, str]] = Slot("area geometries")


def _preferred(shapes: AreaShapes) -> str | None:
    """The boundary (a geometry that is not a point), else any point the area has."""
    boundaries = [wkt for wkt in shapes.geometries if not _POINT.match(wkt)]
    points = [wkt for wkt in shapes.geometries if _POINT.match(wkt)] + shapes.centroids
    return min(boundaries or points, default=None)


def area_geometries(release: Release, areas: Iterable[str]) -> dict[str, str]:
    """Area IRI -> its WKT (boundary preferred, else centroid), for the areas that have one.
    Every area's is read once per release: the areas with geometries are few (thousands),
    and reading them all is quicker than asking for many areas that have none."""
    known = release.cache.once(_GEOMETRIES, lambda: _read(release))
    return {iri: known[iri] for iri in dict.fromkeys(areas) if iri in known}


def _read(release: Release) -> dict[str, str]:
    found = read_area_shapes(release)
    return {iri: wkt for iri, shapes in found.items() if (wkt := _preferred(shapes)) is not None}


def _split(wkt: str) -> tuple[str, str]:
    """The CRS IRI (with its trailing space, or "") and the geometry's text."""
    match = _CRS.match(wkt)
    return (match.group(1) + " ", wkt[match.end() :]) if match else ("", wkt.strip())


def simplified(texts: Sequence[str], tolerance: float) -> list[str]:
    """The geometries with detail finer than ``tolerance`` (in their own units) dropped,
    neighbours' shared edges kept shared, coordinates rounded; a text shapely cannot read
    is returned as it is (the drawing then says what is wrong with it)."""
    parts = [_split(text) for text in texts]
    try:
        shapes = shapely.from_wkt([body for _, body in parts])
    except shapely.errors.ShapelyError:
        return list(texts)
    kinds = shapely.get_type_id(shapes)
    areal = (kinds == _POLYGON) | (kinds == _MULTIPOLYGON)
    if tolerance > 0 and areal.any():
        shapes[areal] = shapely.coverage_simplify(shapes[areal], tolerance)
    written = shapely.to_wkt(shapes, rounding_precision=_PRECISION, trim=True)
    return [crs + body for (crs, _), body in zip(parts, written, strict=True)]
