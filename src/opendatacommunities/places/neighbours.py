"""An area's neighbours: the areas of the same level whose boundaries touch its own, found
with shapely (a spatial index, then an exact test) once per release for every area with a
boundary. Areas known only by a centroid have no neighbours here.
"""

from __future__ import annotations

from collections.abc import Mapping

import shapely
from shapely import STRtree

from opendatacommunities.store import Release
from opendatacommunities.store.boundaries import read_boundaries
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.search import SearchIndex

Neighbours = dict[str, tuple[str, ...]]


def touching(boundaries: Mapping[str, str], level_of: Mapping[str, str]) -> Neighbours:
    """Area -> the areas of its level (``level_of``) whose boundaries (WKT) meet its own, in
    the order given; a boundary shapely cannot read is left out.

    >>> square = "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"
    >>> right = "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))"
    >>> far = "POLYGON ((5 5, 6 5, 6 6, 5 6, 5 5))"
    >>> touching({"a": square, "b": right, "c": far}, {"a": "w", "b": "w", "c": "w"})
    {'a': ('b',), 'b': ('a',), 'c': ()}
    """
    areas, shapes = [], []
    for area, wkt in boundaries.items():
        try:
            shape = shapely.from_wkt(wkt)
        except shapely.errors.ShapelyError:
            continue  # a broken boundary names no neighbour
        if shape is not None and shape.is_valid:
            areas.append(area)
            shapes.append(shape)
    tree = STRtree(shapes)
    found: Neighbours = {}
    for n, (area, shape) in enumerate(zip(areas, shapes, strict=True)):
        hits = sorted(int(i) for i in tree.query(shape, predicate="intersects") if i != n)
        level = level_of.get(area)
        found[area] = tuple(areas[i] for i in hits if level_of.get(areas[i]) == level)
    return found


_NEIGHBOURS: Slot[Neighbours] = Slot("neighbours")


def neighbours_of(release: Release, index: SearchIndex, area: str) -> tuple[str, ...]:
    """The areas of ``area``'s level that touch it, read once per release (blocking)."""

    def make() -> Neighbours:
        boundaries = read_boundaries(release)
        level_of = {}
        for iri in boundaries:
            entry = index.get(iri)
            level_of[iri] = " ".join(sorted(entry.types)) if entry is not None else ""
        return touching(boundaries, level_of)

    return release.cache.once(_NEIGHBOURS, make).get(area, ())
