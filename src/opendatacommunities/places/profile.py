"""An area's profile: every statistic the store holds for it, across all cubes, in words, each
beside its parent area's figure and the spread over every area of its level.

Nothing here knows a dataset: a cube whose area dimension holds the area gives a section, its
figures being the area's observations in the cube's latest period (each measure, each code of
the other dimensions), ordered as the code lists order them; the first is the section's
headline, and for a time series the headline's figures of every period are kept as its trend.
The spreads are read once per release (``places.spread``); a profile is one query per cube
for the area and one for its parent, then lookups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from opendatacommunities.iris import IriSpace
from opendatacommunities.places.figures import Value, in_words, plural, series_label
from opendatacommunities.places.spread import SeriesKey, Spread, ordinal, spreads_of
from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.cube.levels import AreaLevel, CubeLevels
from opendatacommunities.store.cube.structure import Cube, CubeDimension
from opendatacommunities.store.cube.tables import Free, Observation, matching_observations
from opendatacommunities.store.search import SearchIndex
from opendatacommunities.store.succession import read_former_codes

CubeAndLevels = tuple[Cube, CubeLevels]
"""A cube and the geography levels of its areas, as the caller has them read."""


@dataclass(frozen=True)
class Parent:
    """The figure of the same series for the nearest area above that the cube has."""

    iri: str
    label: str
    value: Value
    href: str


@dataclass(frozen=True)
class Figure:
    """One statistic of an area: what it is, its value, and how it compares."""

    series: SeriesKey
    label: str
    """The measure and codes in words ("Total population, 2020")."""
    value: Value
    words: str
    """The figure as a sentence ("Calton: Total population, 2020: 1,234 people")."""
    href: str
    """The observation's page."""
    slice_href: str
    parent: Parent | None = None
    spread: Spread | None = None
    level: str = ""
    """The plural name of the areas the spread is over ("data zones")."""

    @property
    def rank(self) -> str:
        """Where the figure ranks among its level's ("3rd highest of 23 data zones")."""
        number = self.value.number
        if self.spread is None or number is None:
            return ""
        return f"{ordinal(self.spread.rank(number))} highest of {self.spread.count:,} {self.level}"


@dataclass(frozen=True)
class Point:
    """One period of a time series."""

    period: str
    value: Value
    href: str


@dataclass(frozen=True)
class Section:
    """What one cube says about the area: its headline, the rest, and the headline's trend."""

    cube: str
    title: str
    href: str
    slice_href: str
    level: AreaLevel | None
    figures: tuple[Figure, ...]
    trend: tuple[Point, ...] = ()
    trend_label: str = ""
    """What the trend measures, its period left out ("Parks")."""
    former: str = ""
    """The former code the cube publishes the area's figures under ("S12000046"), if any."""

    @property
    def headline(self) -> Figure:
        """The first figure, in the code lists' order."""
        return self.figures[0]


@dataclass(frozen=True)
class Profile:
    """An area and every section of statistics about it (cubes by title)."""

    iri: str
    label: str
    sections: tuple[Section, ...]


def slice_href(iris: IriSpace, cube: Cube, dimension: CubeDimension, area: str) -> str:
    """The slicer with the area locked, the biggest other dimension along the rows."""
    others = [d for d in cube.dimensions if d.key != dimension.key]
    rows = max(others, key=lambda d: len(d.codes)).key if others else "none"
    code = dimension.find(area)
    locked = quote(code.key if code is not None else area, safe="")
    path = iris.page_path(cube.iri)
    return f"{path}/slice?rows={quote(rows, safe='')}&{quote(dimension.key, safe='')}={locked}"


def ancestors(index: SearchIndex, area: str) -> list[str]:
    """The areas above ``area``, nearest first (each parent's parents after it)."""
    found: list[str] = []
    queue = [area]
    while queue:
        entry = index.get(queue.pop(0))
        for parent in entry.parents if entry is not None else ():
            if parent not in found and parent != area:
                found.append(parent)
                queue.append(parent)
    return found


def area_label(index: SearchIndex, iri: str) -> str:
    """The area's name (its code when it has none)."""
    entry = index.get(iri)
    return entry.label if entry is not None else iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Place:
    """Where profiles are made: the release, its IRIs and its search index (for names and
    parents)."""

    release: Release
    iris: IriSpace
    index: SearchIndex


class _CubeReading:
    """One cube's observations of an area, by series, and what they are compared with."""

    def __init__(self, place: Place, cube: Cube, levels: CubeLevels, area: str) -> None:
        self.place, self.cube, self.levels = place, cube, levels
        self.dimension = cube.dimension(levels.dimension or "")
        self.others = [d for d in cube.dimensions if d is not self.dimension]
        self.units = {m.iri: m.unit for m in cube.measures}
        self.level = next((lv for lv in levels.levels if area in lv.areas), None)

    def holds(self, area: str) -> bool:
        """Whether the cube's area dimension has ``area``."""
        return self.dimension is not None and self.dimension.find(area) is not None

    def read(self, area: str) -> dict[SeriesKey, Observation]:
        """The observations of ``area``, by series."""
        assert self.dimension is not None
        free = [Free(f"d{n}", d) for n, d in enumerate(self.others)]
        locks = {self.dimension.key: area}
        found = matching_observations(self.place.release, self.cube, locks, free)
        return {tuple(o.codes[f.variable] for f in free): o for o in found}

    def order(self, series: SeriesKey) -> tuple[int, ...]:
        """Where the series comes in the code lists, dimension by dimension."""
        places = []
        for dimension, code in zip(self.others, series, strict=True):
            found = dimension.find(code)
            places.append(dimension.codes.index(found) if found is not None else _LAST)
        return tuple(places)

    @property
    def period_place(self) -> int | None:
        """Where the period is in a series (None: the cube has none)."""
        return next((n for n, d in enumerate(self.others) if d.kind == "period"), None)

    def value(self, observation: Observation, series: SeriesKey) -> Value:
        """The observation's value, with its measure's unit."""
        cell = observation.cell
        return Value(cell.value, cell.status, self.units.get(series[-1]))


_LAST = 1 << 30


def _parent(reading: _CubeReading, area: str) -> tuple[str, dict[SeriesKey, Observation]]:
    """The nearest area above ``area`` that the cube has, and its observations."""
    for above in ancestors(reading.place.index, area):
        if reading.holds(above):
            return above, reading.read(above)
    return "", {}


def _latest(reading: _CubeReading, series: list[SeriesKey]) -> list[SeriesKey]:
    """The series of the latest period the area has (all, when the cube has no period)."""
    at = reading.period_place
    if at is None:
        return series
    latest = max(reading.order(key)[at] for key in series)
    return [key for key in series if reading.order(key)[at] == latest]


def _figure(
    reading: _CubeReading,
    area: tuple[str, str],
    series: SeriesKey,
    mine: Observation,
    parent: tuple[str, dict[SeriesKey, Observation]],
) -> Figure:
    iris, index = reading.place.iris, reading.place.index
    label = series_label(reading.others, series)
    value = reading.value(mine, series)
    above: Parent | None = None
    if series in parent[1]:
        observation = parent[1][series]
        href = iris.page_path(observation.cell.observation)
        above = Parent(
            parent[0], area_label(index, parent[0]), reading.value(observation, series), href
        )
    level = reading.level
    spreads = spreads_of(reading.place.release, reading.cube, reading.levels)
    spread = spreads.find(series, level.key) if level is not None else None
    assert reading.dimension is not None
    return Figure(
        series,
        label,
        value,
        in_words(area[1], label, value),
        iris.page_path(mine.cell.observation),
        slice_href(iris, reading.cube, reading.dimension, area[0]),
        above,
        spread,
        plural(level.label) if level is not None else "areas",
    )


def _trend(
    reading: _CubeReading, mine: dict[SeriesKey, Observation], headline: SeriesKey
) -> tuple[Point, ...]:
    """The headline's series in every period the area has, in time order."""
    at = reading.period_place
    if at is None:
        return ()
    same = [key for key in mine if key[:at] + key[at + 1 :] == headline[:at] + headline[at + 1 :]]
    if len(same) < 2:
        return ()
    period = reading.others[at]
    points = []
    for key in sorted(same, key=reading.order):
        code = period.find(key[at])
        observation = mine[key]
        href = reading.place.iris.page_path(observation.cell.observation)
        points.append(Point(code.label if code else key[at], reading.value(observation, key), href))
    return tuple(points)


def _timeless_label(reading: _CubeReading, series: SeriesKey) -> str:
    kept = [(d, c) for d, c in zip(reading.others, series, strict=True) if d.kind != "period"]
    return series_label([d for d, _ in kept], [c for _, c in kept])


_FORMER: Slot[dict[str, tuple[str, ...]]] = Slot("former codes")


def former_codes(release: Release, area: str) -> tuple[str, ...]:
    """The codes ``area`` replaced, nearest first (read once per release)."""
    known = release.cache.once(_FORMER, lambda: read_former_codes(release))
    found: list[str] = []
    queue = [area]
    while queue:
        for old in known.get(queue.pop(0), ()):
            if old not in found and old != area:
                found.append(old)
                queue.append(old)
    return tuple(found)


def _held(place: Place, cube: Cube, levels: CubeLevels, area: str) -> str | None:
    """The code the cube holds the area under: its own, else a former one (a cube published
    before the area's code changed)."""
    dimension = cube.dimension(levels.dimension or "")
    if dimension is None:
        return None
    for code in (area, *former_codes(place.release, area)):
        if dimension.find(code) is not None:
            return code
    return None


def _section(
    place: Place, cube: Cube, levels: CubeLevels, named: tuple[str, str]
) -> Section | None:
    held = _held(place, cube, levels, named[0])
    if held is None:
        return None
    area = (held, named[1])
    reading = _CubeReading(place, cube, levels, area[0])
    mine = reading.read(area[0])
    if not mine:
        return None
    chosen = _latest(reading, sorted(mine, key=reading.order))
    parent = _parent(reading, area[0])
    figures = tuple(_figure(reading, area, key, mine[key], parent) for key in chosen)
    assert reading.dimension is not None
    return Section(
        cube.iri,
        cube.title,
        place.iris.page_path(cube.iri),
        slice_href(place.iris, cube, reading.dimension, area[0]),
        reading.level,
        figures,
        _trend(reading, mine, chosen[0]),
        _timeless_label(reading, chosen[0]),
        held.rsplit("/", 1)[-1] if held != named[0] else "",
    )


def area_profile(place: Place, area: str, cubes: Sequence[CubeAndLevels]) -> Profile:
    """Every statistic the cubes hold for ``area``, a section per cube (by title)
    (blocking: for worker threads)."""
    named = (area, area_label(place.index, area))
    ordered = sorted(cubes, key=lambda pair: (pair[0].title.casefold(), pair[0].iri))
    sections = [_section(place, cube, levels, named) for cube, levels in ordered]
    return Profile(area, named[1], tuple(s for s in sections if s is not None))
