"""Best-fit lookups of small areas to wards, computed with shapely.

Two methods, each with its limits (stated in the lookups' metadata):

* **centroid in boundary** (Scottish data zones to Glasgow wards): a data zone belongs to the
  ward whose boundary contains its population-weighted centroid. A data zone that straddles a
  ward boundary is wholly given to one ward; no split is made.
* **ONS best fit, checked** (English LSOAs to wards): the ward is the ONS best-fit lookup's;
  each LSOA's polygon centroid is also placed in the ward boundaries, and where the two differ
  both are kept and the disagreement is reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from opendatacommunities.errors import SourceError

from .sources import Row, rows


@dataclass(frozen=True)
class Area:
    """An area with a boundary: its code, name and polygon (CRS84)."""

    code: str
    name: str
    geometry: BaseGeometry
    file: Path
    feature: int
    """The feature's place in its file's ``features`` (from 0), for errors."""

    def fail(self, message: str) -> SourceError:
        """An error naming this area's file, feature and code."""
        where = f"features[{self.feature}]"
        return SourceError(message, file=str(self.file), column=where, value=self.code)


class Boundaries:
    """A set of area boundaries, indexed for point-in-polygon queries."""

    def __init__(self, areas: Sequence[Area]) -> None:
        self.areas = tuple(areas)
        self._tree = shapely.STRtree([area.geometry for area in self.areas])

    def containing(self, point: Point) -> Area | None:
        """The area whose boundary covers ``point`` (a point on a shared edge goes to the
        first area in code order); None when no area does."""
        hits = self._tree.query(point, predicate="covered_by")
        found = sorted((self.areas[int(index)] for index in hits), key=lambda area: area.code)
        return found[0] if found else None


def read_boundaries(path: Path, code: str, name: str) -> Boundaries:
    """The features of a GeoJSON file as areas, named by the properties ``code`` and ``name``.

    :raises SourceError: naming the file, the feature and what is wrong with it.
    """
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SourceError(f"not a GeoJSON feature collection ({error})", file=str(path)) from None
    return Boundaries(
        [_area(path, index, feature, code, name) for index, feature in enumerate(features)]
    )


def _area(path: Path, index: int, feature: object, code: str, name: str) -> Area:
    where = f"features[{index}]"
    try:
        properties = feature["properties"]  # type: ignore[index]
        geometry = shape(feature["geometry"])  # type: ignore[index]
        area = Area(str(properties[code]), str(properties[name]), geometry, path, index)
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as error:
        raise SourceError(
            f"not an area with {code}, {name} and a geometry ({error})",
            file=str(path),
            column=where,
        ) from None
    if area.geometry.geom_type not in ("Polygon", "MultiPolygon") or not area.geometry.is_valid:
        raise area.fail("expected a valid polygon or multipolygon")
    return area


@dataclass(frozen=True)
class Centroid:
    """A point read from a centroid table, with the row it came from (for errors)."""

    point: Point
    row: Row


def read_centroids(path: Path, wanted: Iterable[str]) -> dict[str, Centroid]:
    """The centroids of the ``wanted`` codes from a table of ``LSOACD,latitude,longitude``.

    :raises SourceError: a coordinate that is not a number, or a wanted code the table lacks.
    """
    codes = set(wanted)
    found: dict[str, Centroid] = {}
    for row in rows(path, ("LSOACD", "latitude", "longitude")):
        code = row.text("LSOACD")
        if code in codes:
            found[code] = Centroid(Point(row.number("longitude"), row.number("latitude")), row)
    missing = sorted(codes - set(found))
    if missing:
        raise SourceError(
            f"no centroid for {len(missing)} area(s) needed",
            file=str(path),
            column="LSOACD",
            value=missing[0],
        )
    return found


def centroid_wards(centroids: Mapping[str, Centroid], wards: Boundaries) -> dict[str, str]:
    """Each area's ward: the ward whose boundary contains the area's centroid.

    :raises SourceError: a centroid in no ward, naming the centroid's file, row and value.
    """
    assigned: dict[str, str] = {}
    for code, centroid in sorted(centroids.items()):
        ward = wards.containing(centroid.point)
        if ward is None:
            raise centroid.row.fail(
                "longitude",
                f"the centroid of {code} ({centroid.point.wkt}) lies in no ward boundary",
            )
        assigned[code] = ward.code
    return assigned


@dataclass(frozen=True)
class Checked:
    """An area's best-fit ward and the ward its polygon's centroid lies in (None: none)."""

    code: str
    best_fit: str
    by_boundary: str | None

    @property
    def agrees(self) -> bool:
        """Whether the two methods give the same ward."""
        return self.best_fit == self.by_boundary


def check_best_fit(
    best_fit: Mapping[str, str], areas: Boundaries, wards: Boundaries
) -> list[Checked]:
    """Each area of ``areas`` with its best-fit ward and the ward containing its polygon's
    centroid (the geometric centroid, which for an odd-shaped area may lie outside it).

    :raises SourceError: an area the best-fit lookup does not have.
    """
    checked = []
    for area in sorted(areas.areas, key=lambda item: item.code):
        if area.code not in best_fit:
            raise area.fail("this area is not in the best-fit lookup")
        ward = wards.containing(area.geometry.centroid)
        checked.append(Checked(area.code, best_fit[area.code], ward.code if ward else None))
    return checked
