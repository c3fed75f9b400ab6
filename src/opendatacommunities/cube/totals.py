"""Totals in a cube's source table: rows that are the figures of a larger area (England
among its authorities, a council area among its wards), declared in the description's
``totals`` so that they are published marked (the ``total`` attribute) and never added to
the rows they are the total of.

A rule picks rows one way:

* ``{"level": "country"}``: rows whose area is of that geography level (told by the GSS
  code's entity: ``E92`` is England, a country);
* ``{"pattern": "^E92"}``: rows whose area code matches the regular expression;
* ``{"column": "Geography", "values": ["Country"]}``: rows whose cell in that column is one
  of the values.

A row that matches any rule is a total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opendatacommunities.cube.levels import LEVELS, find_level
from opendatacommunities.errors import MetadataError

SELECTORS = ("level", "pattern", "column")
KEYS = {*SELECTORS, "values"}


@dataclass(frozen=True)
class TotalsRule:
    """One way of picking the rows that are totals; ``where`` is its place in the
    description (``totals[0]``), for messages."""

    where: str
    entities: tuple[str, ...] = ()
    """With ``level``: the GSS entities of the level's areas."""
    pattern: str | None = None
    column: str | None = None
    values: tuple[str, ...] = ()

    def matches(self, row: dict[str, str], area: str | None) -> bool:
        """Whether the row (cells by header), whose area code is ``area``, is a total."""
        if self.column is not None:
            return " ".join(row.get(self.column, "").split()) in self.values
        if area is None:
            return False
        if self.pattern is not None:
            return re.search(self.pattern, area) is not None
        return area[:3] in self.entities


def _fail(path: Path, where: str, message: str) -> MetadataError:
    return MetadataError(f"{where}: {message}", file=str(path))


def _selector(path: Path, data: dict[str, Any], where: str) -> str:
    for key in data:
        if key not in KEYS and not key.startswith("//"):
            expected = ", ".join(sorted(KEYS))
            raise _fail(path, where, f"unknown key {key!r} (expected one of {expected})")
    given = [key for key in SELECTORS if key in data]
    if len(given) != 1:
        extra = f", not {' and '.join(given)}" if given else ""
        raise _fail(path, where, f"give one of level, pattern or column{extra}")
    if "values" in data and given[0] != "column":
        raise _fail(path, f"{where}.values", "only with column: the values of that column")
    if not isinstance(data[given[0]], str) or not data[given[0]].strip():
        raise _fail(path, f"{where}.{given[0]}", "expected a non-empty string")
    return given[0]


def _rule(path: Path, data: Any, where: str) -> TotalsRule:
    if not isinstance(data, dict):
        raise _fail(path, where, "expected an object")
    selector = _selector(path, data, where)
    text = str(data[selector])
    if selector == "level":
        level = find_level(text)
        if level is None:
            known = ", ".join(level.name for level in LEVELS)
            raise _fail(
                path, f"{where}.level", f"{text!r} is not a geography level (one of {known})"
            )
        return TotalsRule(where, entities=level.entities)
    if selector == "pattern":
        try:
            re.compile(text)
        except re.error as error:
            raise _fail(path, f"{where}.pattern", f"not a regular expression ({error})") from None
        return TotalsRule(where, pattern=text)
    values = data.get("values")
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise _fail(path, f"{where}.values", "expected a non-empty list of cell values")
    return TotalsRule(where, column=text, values=tuple(" ".join(v.split()) for v in values))


def read_totals(path: Path, data: object, has_area: bool) -> tuple[TotalsRule, ...]:
    """The rules of a description's ``totals`` (None: no totals).

    :raises MetadataError: naming the file and the rule that cannot be followed.
    """
    if data is None:
        return ()
    if not isinstance(data, list):
        raise _fail(
            path, "totals", "expected a list of rules (objects with level, pattern or column)"
        )
    rules = tuple(_rule(path, item, f"totals[{index}]") for index, item in enumerate(data))
    for rule in rules:
        if rule.column is None and not has_area:
            raise _fail(path, rule.where, "no area dimension: pick the rows by a column instead")
    return rules
