"""The GeoSPARQL geometries of areas, read in batches: an area's ``geo:hasGeometry`` (or
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

_BATCH = 2_000
_CENTROID = "centroid"


@dataclass
class AreaShapes:
    """The WKT literals of one area: its geometries (boundaries, or points) and centroids."""

    geometries: list[str] = field(default_factory=list)
    centroids: list[str] = field(default_factory=list)


def _query(areas: list[str]) -> str:
    values = " ".join(str(iri_node(iri)) for iri in areas)
    return f"""SELECT ?area ?wkt ?kind WHERE {{
  VALUES ?area {{ {values} }}
  {{ ?area <{GEO}hasGeometry>|<{GEO}hasDefaultGeometry> ?g . ?g <{GEO}asWKT> ?wkt
     BIND("geometry" AS ?kind) }}
  UNION {{ ?area <{GEO}hasCentroid> ?g . ?g <{GEO}asWKT> ?wkt BIND("{_CENTROID}" AS ?kind) }}
}}"""


def read_area_shapes(release: Release, areas: Iterable[str]) -> dict[str, AreaShapes]:
    """Area IRI -> its WKT literals, for the areas that have any (in the store's order).

    :raises NotAnIriError: if an area is not an IRI.
    """
    wanted = list(dict.fromkeys(areas))
    found: dict[str, AreaShapes] = {}
    for start in range(0, len(wanted), _BATCH):
        for area, wkt, kind in select_rows(release.store, _query(wanted[start : start + _BATCH])):
            if area is None or wkt is None:
                continue
            shapes = found.setdefault(area, AreaShapes())
            (shapes.centroids if kind == _CENTROID else shapes.geometries).append(wkt)
    return found
