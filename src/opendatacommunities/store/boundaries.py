"""Areas' boundaries: every ``geo:hasGeometry`` (or ``geo:hasDefaultGeometry``) of the release
whose WKT is a polygon, in one query (the areas with boundaries are at most some thousands)."""

from __future__ import annotations

import re

from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import select_rows
from opendatacommunities.vocab import GEO

_CRS = re.compile(r"^\s*<[^>]*>\s*")
_AREAL = re.compile(r"^\s*(MULTI)?POLYGON\b", re.IGNORECASE)


def read_boundaries(release: Release) -> dict[str, str]:
    """Area IRI -> the WKT of its boundary (its CRS IRI left out), for the areas with one."""
    query = f"""SELECT ?area ?wkt WHERE {{
      ?area <{GEO}hasGeometry>|<{GEO}hasDefaultGeometry> ?g . ?g <{GEO}asWKT> ?wkt }}"""
    found: dict[str, str] = {}
    for area, wkt in select_rows(release.store, query):
        if area is None or wkt is None:
            continue
        text = _CRS.sub("", wkt)
        if _AREAL.match(text):
            found.setdefault(area, text)
    return found
