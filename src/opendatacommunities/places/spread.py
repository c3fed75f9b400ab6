"""How a figure sits among those of every area of its level: the spread of each series of a
cube (a measure, with a code of each other dimension) over the areas of one geography level,
its quartiles, and an area's rank in it ("3rd highest of 23").

Spreads are read once per release, a cube at a time (``spreads_of``): one query per measure,
its values grouped by series in the store, so even the half million observations of a cube of
LSOAs take seconds, not minutes, and a profile is then lookups.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from math import isfinite

from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.cube.levels import OTHER, CubeLevels
from opendatacommunities.store.cube.structure import Cube
from opendatacommunities.store.cube.tables import Free, grouped_values

SeriesKey = tuple[str, ...]
"""The codes of a series: one per dimension of the cube but the area, in the cube's order."""


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """The lower quartile, median and upper quartile of sorted ``values``, interpolated
    between ranks as spreadsheets do (``QUARTILE.INC``; numpy's ``percentile`` default).

    >>> quartiles([1.0, 2.0, 3.0, 4.0])
    (1.75, 2.5, 3.25)
    >>> quartiles([5.0])
    (5.0, 5.0, 5.0)
    """

    def at(share: float) -> float:
        place = share * (len(values) - 1)
        low = int(place)
        high = min(low + 1, len(values) - 1)
        return values[low] + (values[high] - values[low]) * (place - low)

    return at(0.25), at(0.5), at(0.75)


def ordinal(number: int) -> str:
    """``number`` as an English ordinal.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 102)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd']
    """
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


@dataclass(frozen=True)
class Spread:
    """The values of one series over the areas of one level, sorted, with their summary."""

    values: array[float]
    minimum: float
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: float

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        """The spread of ``values`` (at least one)."""
        ordered = sorted(values)
        low, middle, high = quartiles(ordered)
        return cls(array("d", ordered), ordered[0], low, middle, high, ordered[-1])

    @property
    def count(self) -> int:
        """How many areas have a value."""
        return len(self.values)

    def rank(self, value: float) -> int:
        """Where ``value`` ranks from the highest (1): areas with the same value share a rank."""
        return len(self.values) - bisect_right(self.values, value) + 1

    def rank_from_lowest(self, value: float) -> int:
        """Where ``value`` ranks from the lowest (1)."""
        return bisect_left(self.values, value) + 1


@dataclass
class CubeSpreads:
    """The spreads of one cube: (series, level key) -> spread."""

    spreads: dict[tuple[SeriesKey, str], Spread] = field(default_factory=dict)

    def find(self, series: SeriesKey, level: str) -> Spread | None:
        """The spread of ``series`` over the areas of ``level``, if it has values."""
        return self.spreads.get((series, level))


def _numbers(texts: Iterable[str]) -> list[float]:
    numbers = []
    for text in texts:
        try:
            number = float(text)
        except ValueError:
            continue  # not a number: such an observation has none to compare
        if isfinite(number):
            numbers.append(number)
    return numbers


def read_spreads(release: Release, cube: Cube, levels: CubeLevels) -> CubeSpreads:
    """Every series of ``cube`` over each level of its areas (blocking: for worker threads).
    A cube of one level groups its values in the store; a cube mixing levels is grouped by
    area, each area's value then filed under its level."""
    area = next((d for d in cube.dimensions if d.key == levels.dimension), None)
    if area is None:
        return CubeSpreads()
    level_of = {iri: lv.key for lv in levels.levels for iri in lv.areas}
    others = [d for d in cube.dimensions if d is not area and d.kind != "measure"]
    free = [Free(f"d{n}", d) for n, d in enumerate(others) if len(d.codes) > 1]
    if levels.mixed:
        free.append(Free("area", area))  # each area is then a group
    single = {d.key: d.codes[0].iri for d in others if len(d.codes) == 1}
    main = levels.levels[0].key if levels.levels else OTHER
    found: dict[tuple[SeriesKey, str], list[float]] = {}
    for measure in cube.measure_dimension.codes:
        for codes, texts in grouped_values(release, cube, measure.iri, free):
            chosen = {**single, **dict(zip((f.dimension.key for f in free), codes, strict=True))}
            key = (*(chosen[d.key] for d in others), measure.iri)
            level = level_of.get(chosen[area.key], OTHER) if levels.mixed else main
            found.setdefault((key, level), []).extend(_numbers(texts))
    return CubeSpreads({key: Spread.of(values) for key, values in found.items() if values})


class _Known:
    """Cube IRI -> its spreads, each read once (concurrent askers wait for one read)."""

    def __init__(self) -> None:
        self.spreads: dict[str, CubeSpreads] = {}
        self.locks: dict[str, threading.Lock] = {}
        self.guard = threading.Lock()


_SPREADS: Slot[_Known] = Slot("cube spreads")


def spreads_of(release: Release, cube: Cube, levels: CubeLevels) -> CubeSpreads:
    """The spreads of ``cube``, read once per release (blocking: for worker threads)."""
    known = release.cache.once(_SPREADS, _Known)
    found = known.spreads.get(cube.iri)
    if found is not None:
        return found
    with known.guard:
        lock = known.locks.setdefault(cube.iri, threading.Lock())
    with lock:
        found = known.spreads.get(cube.iri)
        if found is None:
            found = known.spreads[cube.iri] = read_spreads(release, cube, levels)
    return found
