"""Reading a cube's source table as observations: one per value cell, whatever the layout.

A tidy table has one observation per row; a wide table one per value column of each row
(unpivoted). A cell holding a missing-value marker (``*``, empty...) still makes its
observation, as the Data Cube requires every observation to have its measures (IC-14, IC-17):
its value is ``"NaN"^^xsd:double`` (not a number: never mistaken for one, never a fake zero),
and its ``sdmx-attribute:obsStatus`` says why (suppressed, not available...). They are also
counted (``Omitted``), and the catalogue says how many.

The observations are written to a tidy CSV (one row per observation, codes ready for URI
templates, and the source row and column of each value), which the CSVW metadata compiled
for the cube maps to RDF: the CSVW engine reads the values, by the CSVW and XML Schema rules,
so a value is written as the cell gives it (less a measure's ``suffix``).

A row with more or fewer cells than the header is an error (``source``), as is anything
unexpected while a row is read: each names the source file, row and column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from opendatacommunities.cube.description import CubeDescription, Dimension, Measure, slug
from opendatacommunities.cube.source import table_rows
from opendatacommunities.errors import OdcError, SourceError

#: The value written for an observation whose cell holds a missing-value marker.
MISSING = "NaN"
_QUARTER = re.compile(r"^(\d{4})[- ]?Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})$")
_GSS = re.compile(r"^[EWSNK]\d{8}$")
Cell = tuple[str, str, dict[str, str]]
"""A value column: its name, its measure, and the codes it gives (for wide tables)."""
Observation = tuple[dict[str, str], str, str | None, int, str]
"""Its codes, measure name, value as the cell gives it (None for a missing-value marker: the
cell's text says which), source row and column."""


@dataclass
class Codes:
    """The codes met for one coded dimension: label by slug, parent slug by slug."""

    labels: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    minted_from: dict[str, str] = field(default_factory=dict)
    """The text each code was made from (a label, or a hierarchy path ``Owned: Outright``)."""

    def add(self, label: str, parent: str | None = None, *, path: str | None = None) -> str:
        """Record a code made from ``path`` (default: its label), and its parent's slug if
        any; return its slug."""
        code = slug(path or label)
        self.minted_from.setdefault(code, path or label)
        self.labels.setdefault(code, label)
        if parent is not None:
            self.parents.setdefault(code, parent)
        return code

    def clash(self, text: str) -> str | None:
        """The other text that already made the code ``text`` would make, if any.

        >>> codes = Codes()
        >>> codes.add("Owned outright")
        'owned-outright'
        >>> codes.clash("Owned, outright"), codes.clash("Owned outright")
        ('Owned outright', None)
        """
        first = self.minted_from.get(slug(text))
        return first if first is not None and first != text else None


@dataclass
class Omitted:
    """Cells holding a missing-value marker, by marker, with the first few positions."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def add(self, marker: str, where: str) -> None:
        """Count one more cell holding ``marker`` at ``where`` (file:row:column)."""
        self.counts[marker] = self.counts.get(marker, 0) + 1
        if len(self.examples) < 20:
            self.examples.append(where)

    @property
    def total(self) -> int:
        """How many cells made no observation."""
        return sum(self.counts.values())


def period_path(text: str) -> str | None:
    """The reference.data.gov.uk path of a period, or None when it is not one we know.

    >>> period_path("2017-Q1"), period_path("2019"), period_path("2019-04")
    ('quarter/2017-Q1', 'year/2019', 'month/2019-04')
    """
    value = text.strip()
    if match := _QUARTER.match(value):
        return f"quarter/{match[1]}-Q{match[2]}"
    if match := _MONTH.match(value):
        return f"month/{value}"
    if _YEAR.match(value):
        return f"year/{value}"
    return None


class Unpivot:
    """Turns the source table of one cube description into observations."""

    def __init__(self, cube: CubeDescription) -> None:
        self.cube = cube
        self.codes = {d.name: Codes() for d in cube.dimensions if d.kind == "codes"}
        self.omitted = Omitted()
        self._markers: dict[tuple[int, str], str] = {}
        self._measures = {m.name: m for m in cube.measures}
        self.display = str(cube.csv)
        self.header: dict[str, int] = {}
        """Each column's place in the source table's header, from 1."""
        self.total_rows: set[int] = set()
        """The source rows the description's ``totals`` pick (known once they are read)."""
        self._area = next((d.name for d in cube.dimensions if d.kind == "area"), None)
        for dimension in cube.dimensions:
            for label in dimension.codes or ():
                self.codes[dimension.name].add(label)
            for child, parent in dimension.parents.items():
                self.codes[dimension.name].add(child, slug(parent))
                self.codes[dimension.name].add(parent)

    def _code(self, dimension: Dimension, text: str, where: tuple[int, str]) -> str:
        value = " ".join(text.split())
        if dimension.kind == "codes":
            if dimension.codes is not None and value not in dimension.codes:
                return slug(value)  # outside the closed list: IC-19 will name it
            self._check_clash(dimension, value, where, text)
            return self.codes[dimension.name].add(value)
        if dimension.kind == "period":
            found = period_path(value)
            if found is None:
                raise self._error(f"not a year, quarter or month: {dimension.label}", where, text)
            return found
        if not _GSS.match(value):
            raise self._error(f"not a GSS area code: {dimension.label}", where, text)
        return value

    def _check_clash(
        self, dimension: Dimension, made_from: str, where: tuple[int, str], value: str
    ) -> None:
        """Two labels (or hierarchy paths) that would make one code are an error naming both:
        their observations would otherwise merge, or pass for duplicates."""
        other = self.codes[dimension.name].clash(made_from)
        if other is not None:
            raise self._error(
                f"the labels {other!r} and {made_from!r} of {dimension.label} would both make "
                f"the code {slug(made_from)!r}: codes are made from labels (lower case, words "
                "joined by '-'), so rename one",
                where,
                value,
            )

    def _error(self, message: str, where: tuple[int, str], value: str | None) -> SourceError:
        index = self.header.get(where[1])
        return SourceError(
            message, file=self.display, row=where[0], column=where[1], value=value, index=index
        )

    def _fixed(self, row: dict[str, str], line: int) -> dict[str, str]:
        """Codes of the dimensions given by a column or a constant."""
        codes = {}
        for dimension in self.cube.dimensions:
            if dimension.column is not None:
                if dimension.column not in row:
                    raise self._error("no such column", (line, dimension.column), None)
                codes[dimension.name] = self._code(
                    dimension, row[dimension.column], (line, dimension.column)
                )
            elif dimension.value is not None:
                codes[dimension.name] = self._code(dimension, dimension.value, (line, "(constant)"))
        return codes

    def _value(self, measure: Measure, text: str, where: tuple[int, str]) -> str | None:
        """The cell's value as written (less the measure's suffix); None for a marker."""
        marker = text.strip()
        if marker in self.cube.missing:
            self.omitted.add(marker or "(empty)", f"{self.display}:{where[0]}:{where[1]}")
            self._markers[where] = marker
            return None
        if measure.suffix is not None and marker.endswith(measure.suffix):
            return marker.removesuffix(measure.suffix)
        return text

    def observations(self) -> Iterator[Observation]:
        """Each observation of the source table, row by row.

        :raises SourceError: a ragged row, a bad code, or anything unexpected in a row.
        """
        rows = table_rows(self.cube.csv, self.cube.encoding)
        _, names = next(rows, (0, []))
        self.header = {}
        for index, name in enumerate(names, start=1):
            self.header.setdefault(name, index)
        columns = self._value_columns(names)
        self._check_totals_columns()
        seen: dict[int, tuple[int, str]] = {}
        for line, cells in rows:
            yield from self._row(dict(zip(names, cells, strict=True)), line, columns, seen)

    def _row(
        self,
        row: dict[str, str],
        line: int,
        columns: Callable[[dict[str, str], int], list[Cell]],
        seen: dict[int, tuple[int, str]],
    ) -> list[Observation]:
        """The observations of one row; anything unexpected names the row."""
        column = ""
        try:
            found: list[Observation] = []
            fixed = self._fixed(row, line)
            area = fixed.get(self._area) if self._area is not None else None
            if any(rule.matches(row, area) for rule in self.cube.totals):
                self.total_rows.add(line)
            for column, name, codes in columns(row, line):
                value = self._value(self._measures[name], row[column], (line, column))
                point = {**fixed, **codes}
                self._check_unique(seen, point, name, (line, column), row[column])
                found.append((point, name, value, line, column))
            return found
        except OdcError:
            raise
        except Exception as error:  # a bug must not reach the publisher as a traceback
            message = f"could not read this row ({type(error).__name__}: {error})"
            raise self._error(message, (line, column), row.get(column)) from error

    def _check_totals_columns(self) -> None:
        """Each column a totals rule reads is in the header."""
        for rule in self.cube.totals:
            if rule.column is not None and rule.column not in self.header:
                named = f"named by {rule.where}.column in {self.cube.path.name}"
                raise self._error(f"no such column ({named})", (1, rule.column), None)

    def markers_met(self) -> list[str]:
        """The missing-value markers found in the data (after ``observations`` ran)."""
        return sorted(set(self._markers.values()))

    def status(self, line: int, column: str) -> str:
        """The observation status code of the marker cell at ``line``, ``column``."""
        return slug(self.cube.missing[self._markers[(line, column)]])

    def _check_unique(
        self,
        seen: dict[int, tuple[int, str]],
        point: dict[str, str],
        measure: str,
        where: tuple[int, str],
        value: str,
    ) -> None:
        """IC-12, where it can be told: two cells for one observation (the same codes and
        measure) would become one observation with two values."""
        key = hash((tuple(sorted(point.items())), measure))
        first = seen.setdefault(key, where)
        if first != where:
            raise self._error(
                "IC-12 No duplicate observations: no two observations may have the same "
                f"value for every dimension; this cell repeats the one at row {first[0]}, "
                f"column {first[1]}",
                where,
                value,
            )

    def _value_columns(self, header: list[str]) -> Callable[[dict[str, str], int], list[Cell]]:
        """For each row: its value cells, with their measure and the codes they add."""
        cube = self.cube
        fixed: list[Cell] = []
        if cube.wide:
            missing = [c.column for c in cube.wide if c.column not in header]
            if missing:
                raise self._error(f"no such columns: {missing}", (1, missing[0]), None)
            fixed = [(c.column, c.measure, self._wide_codes(c.codes)) for c in cube.wide]
        elif cube.header_pattern:
            fixed = [cell for name in header if (cell := self._pattern_column(name)) is not None]
        else:
            for name in (cube.value_column, cube.measure_column):
                if name is not None and name not in header:
                    raise self._error("no such column", (1, name), None)
            return self._tidy_columns
        return lambda row, line: fixed

    def _wide_codes(self, codes: dict[str, str]) -> dict[str, str]:
        dimensions = {d.name: d for d in self.cube.dimensions}
        return {name: self._code(dimensions[name], text, (1, name)) for name, text in codes.items()}

    def _pattern_column(self, header: str) -> Cell | None:
        pattern_dimension = self.cube.pattern_dimension
        assert self.cube.header_pattern is not None and pattern_dimension is not None
        match = re.match(self.cube.header_pattern, header)
        if match is None:
            return None
        levels = [" ".join(part.split()) for part in match["path"].split(": ")]
        if levels and levels[-1] == "Total":
            levels = levels[:-1]  # "Owned: Total" is the group "Owned" itself
        codes = self.codes[pattern_dimension]
        if levels[0].startswith("All categories"):
            code = codes.add("All")
        else:
            # Each level is a code whose parent is the level above (the top level's is "All");
            # codes are made from the whole path, as labels repeat under different parents.
            parent = codes.add("All")
            dimension = next(d for d in self.cube.dimensions if d.name == pattern_dimension)
            for depth in range(1, len(levels) + 1):
                path = ": ".join(levels[:depth])
                self._check_clash(dimension, path, (1, header), header)
                parent = code = codes.add(levels[depth - 1], parent, path=path)
        return header, self.cube.measures[0].name, {pattern_dimension: code}

    def _tidy_columns(self, row: dict[str, str], line: int) -> list[Cell]:
        cube = self.cube
        assert cube.value_column is not None
        measure = cube.measures[0].name
        if cube.measure_column is not None:
            named = " ".join(row[cube.measure_column].split())
            wanted = named.lower()
            found = [
                m.name
                for m in cube.measures
                if wanted in {(m.source or m.label).lower(), m.name.lower()}
            ]
            if not found:
                raise self._error("not a measure of the cube", (line, cube.measure_column), named)
            measure = found[0]
        return [(cube.value_column, measure, {})]


#: Tidy value columns, one per measure datatype (a CSVW column has one datatype).
VALUE_COLUMNS = ("integer", "decimal", "double")
#: Where each value comes from: its source row, column, and the column's place (from 1).
SOURCE_COLUMNS = ("source_row", "source_column", "source_index")


def write_tidy(unpivot: Unpivot, target: Path) -> int:
    """Write every observation to ``target`` as tidy CSV; return how many.

    Columns: one per dimension (its code), ``measure``, one value column per datatype (only
    the measure's own is filled; ``double`` for a missing value), ``status`` (the
    observation status of a missing value), where the value comes from (``SOURCE_COLUMNS``)
    and, when the description declares totals, ``total`` (``true`` in the rows of totals).
    """
    cube = unpivot.cube
    names = [d.name for d in cube.dimensions]
    datatypes = {m.name: m.datatype for m in cube.measures}
    count = 0
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        values = [f"value_{t}" for t in VALUE_COLUMNS]
        header = [*names, "measure", *values, "status", *SOURCE_COLUMNS]
        totals = bool(cube.totals)
        header += ["total"] if totals else []
        writer.writerow(header)
        for codes, measure, value, line, column in unpivot.observations():
            status, datatype = "", datatypes[measure]
            if value is None:
                status, datatype, value = unpivot.status(line, column), "double", MISSING
            typed = [value if datatype == t else "" for t in VALUE_COLUMNS]
            index = unpivot.header.get(column, "")
            row = [*(codes[n] for n in names), measure, *typed, status, line, column, index]
            if totals:
                row.append("true" if line in unpivot.total_rows else "")
            writer.writerow(row)
            count += 1
    return count
