"""Guessing a cube's totals: when the sample's areas are of several geography levels (told
by their GSS codes: ``E92`` a country, ``E06`` a local authority...), the rows of every level
but the one with the most areas are most likely totals of it (England beside its
authorities), and the starting description says so in its ``totals``, with a note."""

from __future__ import annotations

from typing import Any

from opendatacommunities.cube.levels import Level, level_of

from .sample import Sample

Json = dict[str, Any]


def _count(number: int, noun: str) -> str:
    if number == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {plural}"


def guess_totals(sample: Sample) -> list[Json]:
    """The ``totals`` rules for the sample's areas: one per level other than the one with the
    most areas (none when the areas are of one level)."""
    area = next((c for c in sample.columns if c.kind == "area"), None)
    if area is None:
        return []
    members: dict[Level, set[str]] = {}
    for code in set(area.cells):
        level = level_of(code)
        if level is not None:
            members.setdefault(level, set()).add(code)
    if len(members) < 2:
        return []
    ranked = sorted(members, key=lambda lv: (-len(members[lv]), lv.name))
    main, others = ranked[0], ranked[1:]
    found = ", ".join(_count(len(members[lv]), lv.name) for lv in ranked)
    return [
        {
            "//": f"the areas of {area.header!r} are of {len(ranked)} geography levels "
            f"({found}): the rows of each {level.name} ({', '.join(sorted(members[level])[:3])}"
            f"{'...' if len(members[level]) > 3 else ''}) are taken for totals of the "
            f"{_count(len(members[main]), main.name)}. Remove this rule if they are not.",
            "level": level.name,
        }
        for level in others
    ]
