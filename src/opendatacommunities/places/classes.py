"""A classed colour scale for maps: values split into (up to) five quantile classes, each
coloured from ColorBrewer's "YlGnBu" sequential scheme (light yellow for the lowest, dark
blue for the highest), which ColorBrewer marks colour-blind safe and which reads in
greyscale as light to dark.

>>> classes = quantile_classes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
>>> [(c.lower, c.upper) for c in classes.classes]
[(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
>>> classes.of(7).colour, classes.of(None)
('#2c7fb8', None)
>>> [c.colour for c in quantile_classes([3, 3, 3, 8]).classes]
['#ffffcc', '#253494']
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

#: ColorBrewer 2.0 "YlGnBu", 5 classes (Cynthia Brewer, Apache-2.0 licensed colour values).
YLGNBU = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
SCHEME = 'ColorBrewer "YlGnBu" (sequential, colour-blind safe)'
CLASSES = 5


@dataclass(frozen=True)
class ColourClass:
    """One class: the lowest and highest value in it, its colour and how many values."""

    lower: float
    upper: float
    colour: str
    count: int


@dataclass(frozen=True)
class Classes:
    """The classes of a set of values, lowest first (none when there are no values)."""

    classes: tuple[ColourClass, ...] = ()

    def of(self, value: float | None) -> ColourClass | None:
        """The class ``value`` falls in (None: no value, or no classes)."""
        if value is None or not self.classes:
            return None
        lowers = [c.lower for c in self.classes]
        return self.classes[max(bisect_right(lowers, value) - 1, 0)]


def _colours(count: int) -> list[str]:
    """``count`` colours spread over the scheme, so two classes are still far apart."""
    if count == 1:
        return [YLGNBU[len(YLGNBU) // 2]]
    last = len(YLGNBU) - 1
    return [YLGNBU[round(i * last / (count - 1))] for i in range(count)]


def _groups(ordered: list[float], count: int) -> list[list[float]]:
    """Sorted values cut into ``count`` groups of (nearly) equal size, equal values never
    split between two groups (a group may then be empty, and is dropped)."""
    groups: list[list[float]] = []
    start = 0
    for index in range(1, count + 1):
        end = round(index * len(ordered) / count)
        while 0 < end < len(ordered) and ordered[end] == ordered[end - 1]:
            end += 1
        if end > start:
            groups.append(ordered[start:end])
            start = end
    return groups


def quantile_classes(values: Iterable[float], count: int = CLASSES) -> Classes:
    """Quantile classes of ``values``: each holds about as many values as the others, and
    its bounds are the lowest and highest value in it (so the legend shows real figures)."""
    groups = _groups(sorted(values), count)
    colours = _colours(len(groups))
    return Classes(
        tuple(
            ColourClass(group[0], group[-1], colour, len(group))
            for group, colour in zip(groups, colours, strict=True)
        )
    )
