"""Geography levels in the slicer and on a cube's page: a view shows the areas of one level
(``level=LocalAuthority``; by default the level with the most areas), so that a table never
puts a council area beside its own wards as if they could be added up; and a cube that mixes
levels, or marks totals, says so in words.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from opendatacommunities.errors import BadRequestError
from opendatacommunities.store import Release
from opendatacommunities.store.cube.levels import AreaLevel, CubeLevels
from opendatacommunities.store.cube.structure import Cube, CubeDimension
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.cube.words import counted, listing

if TYPE_CHECKING:
    from opendatacommunities.web.cube.views import View

NO_LEVELS = CubeLevels()


def levels_of(release: Release, cube: Cube) -> CubeLevels:
    """The levels of the cube's areas, read once per release (blocking)."""
    return CubeIndex.of(release).levels_now(cube)


def _names(levels: CubeLevels) -> str:
    return ", ".join(f"{level.key} ({level.label})" for level in levels.levels)


def choose_level(levels: CubeLevels, wanted: str | None) -> AreaLevel | None:
    """The level a view shows: the one ``wanted`` names, else the main one; None when the
    areas are all of one level.

    :raises BadRequestError: ``wanted`` names no level of the cube's areas.
    """
    if wanted is not None and wanted != "":
        found = levels.find(wanted)
        if found is None:
            if levels.dimension is None:
                raise BadRequestError(f"level={wanted!r}: this cube has no areas.")
            raise BadRequestError(
                f"{wanted!r} is not a geography level of this cube; its levels are "
                f"{_names(levels)}."
            )
        return found if levels.mixed else None
    return levels.levels[0] if levels.mixed else None


def narrow(
    dimension: CubeDimension | None, levels: CubeLevels, level: AreaLevel | None
) -> CubeDimension | None:
    """The area dimension as a view shows it along an axis: only the areas of ``level``
    (when given), its totals marked as such; any other dimension as it is."""
    if dimension is None or dimension.key != levels.dimension:
        return dimension
    if level is None and not levels.totals:
        return dimension
    kept = set(level.areas) if level is not None else None
    codes = tuple(
        replace(code, total=True) if code.iri in levels.totals else code
        for code in dimension.codes
        if kept is None or code.iri in kept
    )
    return replace(dimension, codes=codes)


def first_area(cube: Cube, levels: CubeLevels, level: AreaLevel) -> str | None:
    """The URL key of the first area of ``level`` (a locked area's default)."""
    dimension = cube.dimension(levels.dimension or "")
    code = dimension.find(level.areas[0]) if dimension is not None and level.areas else None
    return code.key if code is not None else None


def levels_in_words(cube: Cube, levels: CubeLevels) -> list[str]:
    """What the cube's page says of its levels and totals (nothing when it has neither)."""
    sentences = []
    if levels.mixed:
        counts = listing([counted(len(level.areas), level.label) for level in levels.levels])
        sentences.append(
            f"This cube holds figures for {counts}, at different geography levels: the slicer "
            "shows one level at a time, and figures of different levels are not to be added "
            "together."
        )
    if levels.totals:
        sentences.append(_totals_in_words(cube, levels))
    return sentences


def _totals_in_words(cube: Cube, levels: CubeLevels) -> str:
    dimension = cube.dimension(levels.dimension or "")
    names = []
    for iri in levels.totals:
        code = dimension.find(iri) if dimension is not None else None
        names.append(code.label if code is not None else iri)
    of_level = [lv for lv in levels.levels if set(levels.totals) <= set(lv.areas)]
    noun = of_level[0].label if of_level else "area"
    shown = listing(sorted(names)[:5]) + (" and others" if len(names) > 5 else "")
    marked = sum(levels.totals.values())
    return (
        f"The figures for {counted(len(names), noun)} ({shown}) are totals of others in this "
        f"cube: their {marked:,} observations are marked with the attribute “total”."
    )


def _level_json(level: AreaLevel) -> dict[str, Any]:
    return {"key": level.key, "label": level.label, "uri": level.iri, "areas": len(level.areas)}


def levels_json(view: View) -> dict[str, Any]:
    """A view's level (None when its areas are of one level) and the cube's levels."""
    return {
        "level": _level_json(view.level) if view.level is not None else None,
        "levels": [_level_json(level) for level in view.levels.levels],
    }
