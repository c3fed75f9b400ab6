"""A cube in words: what it measures, for which areas and periods, by what; and each of its
dimensions in a phrase.

>>> plural("local authority"), plural("data zone"), plural("survey")
('local authorities', 'data zones', 'surveys')
>>> listing(["a", "b", "c"])
'a, b and c'
"""

from __future__ import annotations

from opendatacommunities.store.cube.profile import CubeProfile
from opendatacommunities.store.cube.structure import Cube, CubeDimension

#: Measures named one by one in the summary; more are counted.
NAMED_MEASURES = 3


def plural(noun: str) -> str:
    """The plural of a simple English noun phrase."""
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def listing(items: list[str]) -> str:
    """Items joined as English lists them."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def counted(number: int, noun: str) -> str:
    """``number`` of ``noun``, in figures and the noun's right form.

    >>> counted(1, "ward"), counted(6976, "data zone")
    ('1 ward', '6,976 data zones')
    """
    return f"{number:,} {noun if number == 1 else plural(noun)}"


def _areas(dimension: CubeDimension, profile: CubeProfile) -> str:
    levels = profile.levels.get(dimension.key, ())
    total = len(dimension.codes)
    if len(levels) == 1 and levels[0].count == total:
        return f"each of the {counted(total, levels[0].label)}"
    if levels:
        parts = [counted(level.count, level.label) for level in levels]
        rest = total - sum(level.count for level in levels)
        if rest > 0:
            parts.append(counted(rest, "other area"))
        return f"each of {total:,} areas ({listing(parts)})"
    return f"each of {counted(total, dimension.label.lower())}"


def _periods(dimension: CubeDimension) -> str:
    codes = dimension.codes
    if len(codes) == 1:
        return f"in {codes[0].label}"
    return f"from {codes[0].label} to {codes[-1].label} ({len(codes)} periods)"


def _measures(cube: Cube) -> str:
    names = [m.label for m in cube.measures]
    if len(names) <= NAMED_MEASURES:
        return listing(names)
    return f"{len(names)} measures, among them {listing(names[:NAMED_MEASURES])}"


def cube_in_words(cube: Cube, profile: CubeProfile) -> list[str]:
    """Two sentences: what the cube measures, and how much of it there is."""
    parts = [_measures(cube)]
    others = []
    for dimension in cube.dimensions:
        if dimension.kind == "area":
            parts.append(f"for {_areas(dimension, profile)}")
        elif dimension.kind == "period":
            parts.append(_periods(dimension))
        elif dimension.kind != "measure":
            others.append(
                f"{dimension.label.lower()} ({counted(len(dimension.codes), 'category')})"
            )
    if others:
        parts.append(f"by {listing(others)}")
    sentences = [", ".join(parts) + "."]
    size = f"{profile.observations:,} observations."
    missing = sum(status.count for status in profile.statuses)
    if missing:
        reasons = listing([f"{s.count:,} {s.label}" for s in profile.statuses])
        size = (
            f"{profile.observations:,} observations, of which {missing:,} have no value "
            f"({reasons})."
        )
    sentences.append(size)
    return sentences


def dimension_in_words(dimension: CubeDimension, profile: CubeProfile) -> str:
    """A dimension in a phrase: how many codes, of what kind."""
    total = len(dimension.codes)
    if dimension.kind == "area":
        levels = profile.levels.get(dimension.key, ())
        named = listing([counted(level.count, level.label) for level in levels])
        return f"{counted(total, 'area')}" + (f": {named}" if named else "")
    if dimension.kind == "period":
        return f"{counted(total, 'period')}: " + (
            dimension.codes[0].label
            if total == 1
            else f"{dimension.codes[0].label} to {dimension.codes[-1].label}"
        )
    if dimension.kind == "measure":
        return counted(total, "measure")
    shape = ", in a hierarchy" if dimension.hierarchical else ""
    return f"{counted(total, 'code')}{shape}"
