"""Areas side by side: two or more areas of one geography level, each with the figures its
profile has, lined up by series (a row per cube's measure and codes, a column per area).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opendatacommunities.errors import BadRequestError
from opendatacommunities.iris import IriSpace
from opendatacommunities.places.profile import CubeAndLevels, Figure, Place, Profile, area_profile
from opendatacommunities.places.spread import SeriesKey
from opendatacommunities.store.search import SearchIndex

#: Areas compared at most at once (a table wider than this reads as nothing).
MAX_AREAS = 12


@dataclass(frozen=True)
class Row:
    """One series across the areas: a figure per area (None: it has none)."""

    cube: str
    title: str
    label: str
    href: str
    """The cube's page."""
    figures: tuple[Figure | None, ...]


@dataclass(frozen=True)
class Comparison:
    """The areas compared, their level, and the rows of figures."""

    profiles: tuple[Profile, ...]
    level: str
    rows: tuple[Row, ...]


def area_iri(iris: IriSpace, text: str) -> str:
    """The area a parameter names: a GSS code, an area IRI, or a path of this site.

    >>> space = IriSpace("http://localhost:8000")
    >>> area_iri(space, "S13002967"), area_iri(space, "/doc/statistical-geography/S13002967")
    ('http://localhost:8000/id/statistical-geography/S13002967', 'http://localhost:8000/id/statistical-geography/S13002967')
    """
    text = text.strip()
    if text.startswith("/doc/"):
        text = iris.url("/id/" + text.removeprefix("/doc/"))
    elif text.startswith("/id/"):
        text = iris.url(text)
    if "/" in text:
        return text
    return iris.area(text.upper())


def _levels(index: SearchIndex, iris: IriSpace, areas: list[str]) -> dict[str, str]:
    """Area IRI -> the label of its geography level; areas of none are left out."""
    namespace = iris.definition("geography/")
    found = {}
    for area in areas:
        entry = index.get(area)
        kinds = [t for t in entry.types if t.startswith(namespace)] if entry else []
        kind = index.get(min(kinds)) if kinds else None
        if kind is not None:
            found[area] = kind.label
    return found


def check_areas(index: SearchIndex, iris: IriSpace, texts: Sequence[str]) -> tuple[list[str], str]:
    """The areas ``texts`` name, and their level's label.

    :raises BadRequestError: fewer than two areas, too many, an area not known (named), or
        areas of different levels (each named with its level).
    """
    areas = list(dict.fromkeys(area_iri(iris, t) for t in texts if t.strip()))
    if not 2 <= len(areas) <= MAX_AREAS:
        raise BadRequestError(
            f"areas= takes from 2 to {MAX_AREAS} areas (GSS codes or area IRIs, separated "
            f"by commas); it has {len(areas)}."
        )
    levels = _levels(index, iris, areas)
    unknown = [a.rsplit("/", 1)[-1] for a in areas if a not in levels]
    if unknown:
        raise BadRequestError(f"areas=: no area is known by {', '.join(unknown)}.")
    if len(set(levels.values())) > 1:
        named = ", ".join(f"{a.rsplit('/', 1)[-1]} ({levels[a]})" for a in areas)
        raise BadRequestError(f"areas= must all be of one level; they are {named}.")
    return areas, levels[areas[0]]


def _rows(profiles: Sequence[Profile]) -> list[Row]:
    """A row per series any area has, in the order the profiles give them."""
    order: dict[tuple[str, SeriesKey], tuple[str, str, str, str]] = {}
    by_area: list[dict[tuple[str, SeriesKey], Figure]] = []
    for profile in profiles:
        mine = {}
        for section in profile.sections:
            for figure in section.figures:
                key = (section.cube, figure.series)
                order.setdefault(key, (section.cube, section.title, figure.label, section.href))
                mine[key] = figure
        by_area.append(mine)
    return [Row(*order[key], tuple(m.get(key) for m in by_area)) for key in order]


def compare(place: Place, texts: Sequence[str], cubes: Sequence[CubeAndLevels]) -> Comparison:
    """The areas ``texts`` name, side by side (blocking: for worker threads).

    :raises BadRequestError: as ``check_areas``.
    """
    areas, level = check_areas(place.index, place.iris, texts)
    profiles = tuple(area_profile(place, area, cubes) for area in areas)
    return Comparison(profiles, level, tuple(_rows(profiles)))
