"""A choropleth's data: one measure of a cube for every area of one geography level (every
other dimension fixed to one code), each area's figure, class and colour, and its shape
(a boundary, or a centroid where the level has no boundaries). Computed once per release
for each slice asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass

from opendatacommunities.places.classes import Classes, ColourClass, quantile_classes
from opendatacommunities.places.geometry import area_geometries
from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.cube.structure import Cube, CubeDimension
from opendatacommunities.store.cube.tables import Free, column_cells

#: At most this many choropleths are kept per release (each is small: areas and figures).
KEPT = 256


@dataclass(frozen=True)
class MappedArea:
    """One area of a choropleth: its IRI, code, name, figure (None: none), why there is no
    figure, its class (1 = lowest; None without a figure) and shape (None: none known)."""

    iri: str
    code: str
    label: str
    value: float | None
    status: str | None
    band: ColourClass | None
    rank: int | None
    wkt: str | None


@dataclass(frozen=True)
class Choropleth:
    """The areas of a choropleth in the dimension's order, and the classes of their values."""

    areas: tuple[MappedArea, ...]
    classes: Classes

    @property
    def drawn(self) -> int:
        """How many areas have a shape."""
        return sum(1 for area in self.areas if area.wkt is not None)

    @property
    def points(self) -> bool:
        """Whether the areas are known only by their centroids (a point map)."""
        shapes = [area.wkt for area in self.areas if area.wkt is not None]
        return bool(shapes) and all("POINT" in wkt.upper() for wkt in shapes)


class _Kept:
    def __init__(self) -> None:
        self.maps: dict[Hashable, Choropleth] = {}
        self.lock = threading.Lock()


_CHOROPLETHS: Slot[_Kept] = Slot("choropleths")


def _build(release: Release, cube: Cube, areas: CubeDimension, locks: dict[str, str]) -> Choropleth:
    # Every area's cell, those of other levels too: a filter by thousands of areas costs far
    # more than reading the few cells it would leave out.
    cells = column_cells(release, cube, locks, Free("row", areas))
    shapes = area_geometries(release, [code.iri for code in areas.codes])
    values = {iri: cell.number for iri, cell in cells.items()}
    classes = quantile_classes(v for v in values.values() if v is not None)
    mapped = []
    for code in areas.codes:
        cell = cells.get(code.iri)
        value = values.get(code.iri)
        band = classes.of(value)
        status = None if value is not None else (cell.status if cell else "no observation")
        rank = classes.classes.index(band) + 1 if band is not None else None
        mapped.append(
            MappedArea(
                code.iri, code.key, code.label, value, status, band, rank, shapes.get(code.iri)
            )
        )
    return Choropleth(tuple(mapped), classes)


def choropleth(
    release: Release, cube: Cube, areas: CubeDimension, locks: dict[str, str]
) -> Choropleth:
    """The choropleth of ``areas`` (the area dimension, narrowed to one level) with every
    other dimension fixed by ``locks`` (dimension key -> code IRI), kept for the release."""
    kept = release.cache.once(_CHOROPLETHS, _Kept)
    key = (cube.iri, tuple(c.iri for c in areas.codes), tuple(sorted(locks.items())))
    found = kept.maps.get(key)
    if found is None:
        found = _build(release, cube, areas, locks)
        with kept.lock:
            if len(kept.maps) >= KEPT:
                kept.maps.pop(next(iter(kept.maps)))
            kept.maps[key] = found
    return found
