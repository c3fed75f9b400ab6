"""The GeoSPARQL geometries of areas, read a predicate at a time: an area's ``geo:hasGeometry`` (or
``geo:hasDefaultGeometry``) and its ``geo:hasCentroid``, each a geometry with ``geo:asWKT``,
as the boundary datasets publish them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from opendatacommunities.store.describe import iri_node
from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import select_rows
from opendatacommunities.vocab import GEO

_CENTROID = "centroid"


@dataclass
class AreaShapes:
    """The WKT literals of one area: its geometries (boundaries, or points) and centroids."""

    geometries: list[str] = field(default_factory=list)
    centroids: list[str] = field(default_factory=list)


# One pattern a query: each reads one predicate's index, where a VALUES list of thousands
# of areas joined to a path of alternatives took seconds for areas that have no geometry.
_PATTERNS = {
    "geometry": f"?area <{GEO}hasGeometry> ?g . ?g <{GEO}asWKT> ?wkt",
    "default": f"?area <{GEO}hasDefaultGeometry> ?g . ?g <{GEO}asWKT> ?wkt",
    _CENTROID: f"?area <{GEO}hasCentroid> ?g . ?g <{GEO}asWKT> ?wkt",
}


def read_area_shapes(release: Release, areas: Iterable[str] | None = None) -> dict[str, AreaShapes]:
    """Area IRI -> its WKT literals, for every area that has any (or for those of ``areas``
    that have any).

    :raises NotAnIriError: if an area is not an IRI.
    """
    wanted = {str(iri_node(iri).value) for iri in areas} if areas is not None else None
    found: dict[str, AreaShapes] = {}
    for kind, pattern in _PATTERNS.items():
        for area, wkt in select_rows(release.store, f"SELECT ?area ?wkt WHERE {{ {pattern} }}"):
            if area is None or wkt is None or (wanted is not None and area not in wanted):
                continue
            shapes = found.setdefault(area, AreaShapes())
            (shapes.centroids if kind == _CENTROID else shapes.geometries).append(wkt)
    return found
